"""The output tables' pyarrow schemas, defined once. Writers pass them explicitly; DDL and checks derive from them.

Partition columns (dt, topic) live in the directory names (hive layout), not inside the files;
ARTICLES_TABLE is what a reader sees after hive partitioning is applied.
"""
import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

TOPIC_SCORE = pa.struct([("topic", pa.string()), ("score", pa.float64()), ("iptc_code", pa.string())])
TOPIC_EVIDENCE = pa.struct(
    [("topic", pa.string()), ("phrase", pa.string()), ("field", pa.string()), ("start", pa.int32()), ("end", pa.int32())]
)

METADATA_SOURCE = pa.struct([("field", pa.string()), ("source", pa.string())])

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("published_at", TS),
        pa.field("scraped_at", TS, nullable=False),
        pa.field("language", pa.string()),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("topics", pa.list_(pa.string()), nullable=False),
        pa.field("primary_topic", pa.string()),
        pa.field("topic_scores", pa.list_(TOPIC_SCORE), nullable=False),
        pa.field("topic_evidence", pa.list_(TOPIC_EVIDENCE), nullable=False),
        pa.field("input_ref", pa.string(), nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
        pa.field("taxonomy_version", pa.string(), nullable=False),
        pa.field("cleaning_version", pa.string(), nullable=False),
        # Page metadata, filled for HTML input; metadata_sources says where each field came from
        # (json-ld, og, meta, time, url, text, ...).
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("modified_at", TS),
        pa.field("description", pa.string()),
        pa.field("image_url", pa.string()),
        pa.field("metadata_sources", pa.list_(METADATA_SOURCE), nullable=False),
    ],
    metadata={"newsflow.table": "articles", "newsflow.schema_version": "1"},
)

PARTITIONS = {"articles": ["dt", "topic"], "duplicates": ["dt"], "rejected": ["dt"], "index": ["dt"]}

ARTICLES_TABLE = ARTICLES.append(pa.field("dt", pa.date32(), nullable=False)).append(
    pa.field("topic", pa.string(), nullable=False)
)

DUPLICATES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string(), nullable=False),
        pa.field("rule", pa.string(), nullable=False),
        pa.field("similarity", pa.float64(), nullable=False),
        pa.field("scraped_at", TS, nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("input_ref", pa.string(), nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
    ],
    metadata={"newsflow.table": "duplicates", "newsflow.schema_version": "1"},
)

REJECTED = pa.schema(
    [
        pa.field("input_ref", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("raw", pa.binary(), nullable=False),
        pa.field("raw_size", pa.int64(), nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
    ],
    metadata={"newsflow.table": "rejected", "newsflow.schema_version": "1"},
)

# Fingerprints of published articles: what later runs deduplicate against (exact keys and near-dup MinHash bands).
INDEX = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("scraped_at", TS, nullable=False),
        pa.field("near_dup_version", pa.string()),
        pa.field("band_keys", pa.list_(pa.string()), nullable=False),
        # 32-bit since schema 2 (near_dup 2026.11.6); schema 1 files hold uint64, read as their low half
        # (near_dup.low_shingles)
        pa.field("shingle_hashes", pa.list_(pa.uint32()), nullable=False),
    ],
    metadata={"newsflow.table": "index", "newsflow.schema_version": "2"},
)

# The index as written before near_dup 2026.11.6: 64-bit shingle hashes. Its files stay valid (validate, compact,
# retag and the history readers accept them); uint64 also holds every schema 2 value, so it is the schema to read
# files of both versions with.
INDEX_V1 = INDEX.set(INDEX.get_field_index("shingle_hashes"),
                     pa.field("shingle_hashes", pa.list_(pa.uint64()), nullable=False)).with_metadata(
    {"newsflow.table": "index", "newsflow.schema_version": "1"})

# Internal staging shards: an article row plus its fingerprint, so nothing is computed twice.
SHARD = pa.schema(list(ARTICLES) + [INDEX.field("near_dup_version"), INDEX.field("band_keys"), INDEX.field("shingle_hashes")])

SCHEMAS = {"articles": ARTICLES, "duplicates": DUPLICATES, "rejected": REJECTED, "index": INDEX}

# Every schema a table's files may have, current first (what new files are written with).
ACCEPTED_SCHEMAS = {**{table: (schema,) for table, schema in SCHEMAS.items()}, "index": (INDEX, INDEX_V1)}
