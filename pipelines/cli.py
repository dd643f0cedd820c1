"""The `newsflow` command: `newsflow run ...` (the batch job) and `newsflow eval <what> ...`."""
from __future__ import annotations

import importlib
import sys

EVALS = {
    "cleaning": "pipelines.evaluation.cleaning_eval",
    "topics": "pipelines.evaluation.topics_eval",
    "dedup": "pipelines.evaluation.dedup_eval",
    "extraction": "pipelines.evaluation.extraction_eval",
}
USAGE = "usage: newsflow run --input PATTERN --output DIR --run_date YYYY-MM-DD [beam options]\n" \
        "       newsflow stream --watch PATTERN --output DIR [--window 60s] [beam options]\n" \
        "       newsflow eval {" + ",".join(EVALS) + "} --data FILE.jsonl"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        from pipelines.news_pipeline import main as run_main

        return run_main(rest)
    if command == "stream":
        from pipelines.streaming import main as stream_main

        return stream_main(rest)
    if command == "eval" and rest and rest[0] in EVALS:
        return importlib.import_module(EVALS[rest[0]]).main(rest[1:]) or 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
