"""newsflow: raw scraped news in, clean, deduplicated, topic-tagged Parquet out."""

PIPELINE_VERSION = "0.1.0"
