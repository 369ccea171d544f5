"""Refusal metrics: does the app decline exactly the out-of-scope questions?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def _ratio(numerator: int, denominator: int, empty: float) -> float:
    return numerator / denominator if denominator else empty


def refusal_scores(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> dict[str, float]:
    """Refusal precision/recall and false-refusal rate.

    Positives are out-of-scope questions (``answerable`` false).

    - refusal_precision = refused & out-of-scope / refused
    - refusal_recall = refused & out-of-scope / out-of-scope
    - false_refusal_rate = refused & answerable / answerable

    Zero denominators follow a "nothing went wrong" convention instead of
    raising: precision is 1.0 when nothing was refused (no wrong refusal),
    recall is 1.0 when there are no out-of-scope questions (nothing missed),
    and the false-refusal rate is 0.0 when there are no answerable questions.

    >>> refusal_scores([({"answerable": False}, {"refused": True}),
    ...                 ({"answerable": True}, {"refused": True})])
    {'refusal_precision': 0.5, 'refusal_recall': 1.0, 'false_refusal_rate': 1.0}
    """
    refused = out_of_scope = answerable = true_refusals = false_refusals = 0
    for question, prediction in pairs:
        is_oos = not question.get("answerable", True)
        did_refuse = bool(prediction.get("refused", False))
        refused += did_refuse
        out_of_scope += is_oos
        answerable += not is_oos
        true_refusals += did_refuse and is_oos
        false_refusals += did_refuse and not is_oos
    return {
        "refusal_precision": _ratio(true_refusals, refused, 1.0),
        "refusal_recall": _ratio(true_refusals, out_of_scope, 1.0),
        "false_refusal_rate": _ratio(false_refusals, answerable, 0.0),
    }
