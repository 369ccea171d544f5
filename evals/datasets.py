"""Eval question sets: JSONL, one question per line (see evals/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_SET = Path(__file__).with_name("questions.jsonl")
# each written by someone who had seen none of the other sets; run them (`tiaowen eval --set
# evals/holdout.jsonl`) to see whether a change generalises, but do not tune on their misses:
# they are not gated
HOLDOUT_SETS = tuple(Path(__file__).with_name(f"{name}.jsonl")
                     for name in ("holdout", "holdout2", "holdout3", "holdout4", "holdout5",
                                  "holdout6", "holdout7", "holdout8", "holdout9", "holdout10",
                                  "holdout11", "holdout12", "holdout13",
                                  "holdout14", "holdout15", "holdout16",
                                  "holdout17"))
REQUIRED = ("id", "question", "expected", "answerable")


class DatasetError(ValueError):
    """A malformed question set; the message names file and line, in Chinese."""


def load_questions(path: str | Path = DEFAULT_SET) -> list[dict]:
    questions, seen = [], set()
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path} 第{lineno}行不是合法的 JSON：{exc.msg}") from None
        missing = [k for k in REQUIRED if k not in record]
        if missing:
            raise DatasetError(f"{path} 第{lineno}行缺少字段：{'、'.join(missing)}")
        if record["id"] in seen:
            raise DatasetError(f"{path} 第{lineno}行：编号 {record['id']} 重复")
        seen.add(record["id"])
        record.setdefault("key_phrases", [])
        questions.append(record)
    return questions
