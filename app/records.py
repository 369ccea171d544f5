"""Answer records; `Answer.to_json()` is the JSON contract other tools read."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from indexer.records import short_ref


# a citation marker 〔《实施意见》第4条〕 or 〔《…》第8条，已修订〕; never a 文号's 〔1990〕
MARKER_RE = re.compile(r"〔《[^〔〕]*〕")


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    short_title: str
    article: str
    label: str
    heading: str
    text: str
    score: float
    doc_number: str = ""
    superseded: bool = False

    @property
    def marker(self) -> str:
        """〔《实施意见》第4条〕: Arabic numbers, as staff cite in writing; a superseded
        version says so inside the marker."""
        return f"〔{self.ref}{'，已修订' if self.superseded else ''}〕"

    @property
    def ref(self) -> str:
        return short_ref(self.short_title, self.article)


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    article: str
    sentence: str


@dataclass(frozen=True)
class Retrieved:
    doc_id: str
    article: str
    score: float


@dataclass(frozen=True)
class Correction:
    """A typing slip read as the corpus term it sounds like (「党小阻」 -> 党小组), or a word
    speech splits read whole (「脱了钩」 -> 脱钩)."""

    typed: str
    read_as: str


@dataclass
class Answer:
    question: str
    refused: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    retrieved: list[Retrieved] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)
    # a refusal's nearest question staff ask that no article answers (indexer/asked.py), if any
    unanswered_like: str = ""
    latency_ms: float = 0.0
    id: str | None = None
    corrections: list[Correction] = field(default_factory=list)

    @property
    def correction_note(self) -> str:
        """「已按“党小组”理解“党小阻”。」, or "" when the question was read as typed."""
        if not self.corrections:
            return ""
        return "已按" + "、".join(f"“{c.read_as}”理解“{c.typed}”" for c in self.corrections) + "。"

    @property
    def unanswered_note(self) -> str:
        """Why a refusal is sure of itself: 「相近的常见问题「…」，已收录文件中也没有规定。」, or ""."""
        if not self.unanswered_like:
            return ""
        return f"相近的常见问题「{self.unanswered_like}」，已收录文件中也没有规定。"

    def to_json(self) -> dict:
        """The CLI/API contract: id, question, refused, answer, citations, evidence,
        retrieved, latency_ms (plus `related`, the 可能相关 articles of a refusal,
        `unanswered_like`, the known unanswered question it was refused for being near, and
        `corrections`, typing slips read as corpus terms)."""
        cite = lambda c: {k: v for k, v in asdict(c).items()
                          if k not in ("doc_number", "superseded")} | {"superseded": c.superseded}
        return {
            "id": self.id, "question": self.question, "refused": self.refused,
            "answer": self.answer,
            "citations": [cite(c) for c in self.citations],
            "evidence": [asdict(e) for e in self.evidence],
            "retrieved": [asdict(r) for r in self.retrieved],
            "related": [cite(c) for c in self.related],
            "unanswered_like": self.unanswered_like,
            "corrections": [asdict(c) for c in self.corrections],
            "latency_ms": round(self.latency_ms, 2),
        }
