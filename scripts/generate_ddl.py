"""Writes warehouse/ddl/*.sql from schemas/articles.py. `--check` exits 1 if a committed file is stale."""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pipelines.orchestration.ddl import generate_all  # noqa: E402

DDL_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "warehouse", "ddl")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", default=DDL_DIR)
    args = parser.parse_args(argv)
    stale = []
    for name, text in generate_all().items():
        path = os.path.join(args.out, name)
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current != text:
                stale.append(path)
            continue
        os.makedirs(args.out, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path}")
    if stale:
        print("stale DDL (run python scripts/generate_ddl.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
