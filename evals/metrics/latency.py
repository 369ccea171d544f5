"""Latency metrics: percentiles of per-question wall-clock time."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any


def percentile(values: Iterable[float], p: float) -> float:
    """The ``p``-th percentile (0–100) with linear interpolation, like numpy's default.

    Raises ``ValueError`` for no values or ``p`` outside [0, 100], as numpy does.

    >>> percentile([10, 20, 30, 40], 50)
    25.0
    """
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise ValueError("percentile() of an empty sequence")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile p must be in [0, 100], got {p}")
    position = (len(ordered) - 1) * p / 100
    lower, upper = math.floor(position), math.ceil(position)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


def _latency(prediction: Mapping[str, Any]) -> float | None:
    value = prediction.get("latency_ms")
    # bool is an int subclass; a stray True must not read as 1 ms.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def latency_scores(preds: Iterable[Mapping[str, Any]]) -> dict[str, float | None]:
    """p50 and p95 of ``latency_ms`` in milliseconds (not a [0, 1] score).

    Refused answers are included (the user waited for them too); predictions
    without a numeric latency are skipped. Values are ``None`` if none remain.

    >>> latency_scores([{"latency_ms": 100.0}, {"latency_ms": 300.0}])
    {'latency_p50_ms': 200.0, 'latency_p95_ms': 290.0}
    """
    values = [v for p in preds if (v := _latency(p)) is not None]
    if not values:
        return {"latency_p50_ms": None, "latency_p95_ms": None}
    return {
        "latency_p50_ms": percentile(values, 50),
        "latency_p95_ms": percentile(values, 95),
    }
