"""The project's own synthetic sample corpus: phrase banks, scraper junk and the generator."""
