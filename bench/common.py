"""Shared helpers for the benchmark scripts: percentiles and memory, printed as a table."""

from __future__ import annotations

import os
import resource
import statistics
from pathlib import Path


def lawcorpus_dir() -> Path:
    """The shared statute corpus: $TIAOWEN_LAWCORPUS, else the nearest `shared/lawcorpus`
    beside the checkout or any folder above it (clones live at different depths); the one
    beside the checkout when there is none, for the skip message."""
    if os.environ.get("TIAOWEN_LAWCORPUS"):
        return Path(os.environ["TIAOWEN_LAWCORPUS"])
    checkout = Path(__file__).resolve().parent.parent
    found = (f / "shared" / "lawcorpus" for f in checkout.parents)
    return next((p for p in found if p.is_dir()), checkout.parent / "shared" / "lawcorpus")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(name: str, values_ms: list[float]) -> dict:
    return {"name": name, "n": len(values_ms), "p50_ms": round(percentile(values_ms, 50), 2),
            "p95_ms": round(percentile(values_ms, 95), 2),
            "mean_ms": round(statistics.fmean(values_ms), 2)}


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def print_rows(rows: list[dict]) -> None:
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))
