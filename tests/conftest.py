import json
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared beside the checkout (CI's layout and the developers'), else the workplace's copy
SHARED = next((p for p in (os.path.join(os.path.dirname(REPO), "shared"), "/work/shared") if os.path.isdir(p)),
              os.path.join(os.path.dirname(REPO), "shared"))
SEED = os.path.join(SHARED, "seeds", "000_4f2867a41c6d93fe.txt")


def require_shared(path):
    if not os.path.exists(path):
        pytest.skip(f"{path} is not on this machine (../shared is only present on the project's machines and in CI)")
    return path


def write_jsonl(path, records):
    """Records are dicts (serialised) or bytes (written as they are, for malformed lines)."""
    with open(path, "wb") as f:
        for r in records:
            f.write((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n")
    return path
