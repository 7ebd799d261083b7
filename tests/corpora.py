"""Where the shared test corpora (../shared/corpora beside the checkout) are found."""

import os
from pathlib import Path

import pytest

ROOT = Path(
    os.environ.get("SAMIZDAT_CORPORA") or Path(__file__).resolve().parents[2] / "shared" / "corpora"
)


def corpus_file(relative: str) -> Path:
    """Return a corpus file; skip outside CI when the corpora are absent, fail in CI."""
    path = ROOT / relative
    if not path.exists():
        message = f"corpus file {path} is missing (set SAMIZDAT_CORPORA to its folder)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
