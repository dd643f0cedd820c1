"""What the Airflow DAGs need besides wiring, in plain Python: paths, validation, publication, warehouse load,
DDL, re-tagging and compaction. Importing this package stays cheap (no pyarrow, Beam or DuckDB at import time)."""
from pipelines.orchestration.paths import (  # noqa: F401 (the public API the DAGs and tests use)
    DEFAULT_INPUTS,
    DEFAULT_OUTPUT,
    INPUT_ENV,
    OUTPUT_ENV,
    REPO_ROOT,
    ReportCheckFailed,
    check_report_file,
    duckdb_path,
    extra_pipeline_options,
    input_patterns,
    output_dir,
    ready_pattern,
    report_path,
    report_summary,
    staging_dir,
)
