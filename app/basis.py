"""Where a document states its purpose and basis: 「这个实施意见是依据哪些上位文件制定的」 is
answered by the sentence 「…根据党章…和…《关于加强社会组织党的建设工作的意见(试行)》，…提出如下
实施意见」 (a preamble or the first article), which shares few words with such a question.

    >>> from indexer.records import Article
    >>> text = "第一条 为了规范基金会的组织和活动，根据有关法律，制定本条例。"
    >>> bases = Bases.from_articles([Article("jjh", "1", "第一条", (), "", text, (0, 0), 1)])
    >>> bases.rows_for("基金会条例是根据什么制定的", ["jjh"]), bases.rows_for("基金会怎么设立", ["jjh"])
    ([0], [])
    >>> bases.rows_for("理事长是根据什么选出来的", ["jjh"])
    []
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from indexer.records import Article

# 「为了…，根据…，制定本条例」, 「为…，根据…，现就…提出如下实施意见」
_STATES_RE = re.compile(r"(?:^|[。\n ])为了?[^。]{0,200}?(?:制定本|提出如下|提出以下)")
# what a document rests on (依据哪些文件, 上位法, 根据什么出台), or what it is for (立法目的)
_ASKS_RE = re.compile(
    r"(?:依据|根据|依照|基于)(?:的是)?(?:哪|什么|啥)|上位(?:文件|法|依据)"
    r"|(?:哪|什么|啥)[^，,。？?]{0,8}(?:文件|法规|法律|精神)[^，,。？?]{0,4}(?:制定|出台|印发|来的|出的)"
    r"|(?:立法|制定|出台)(?:的)?(?:目的|宗旨)|为(?:什么|啥)(?:要)?(?:制定|出台)")
# …of a document, not of a decision (「停止党籍是根据什么作出的」)
_DOCUMENT_RE = re.compile(r"文件|条例|细则|意见|章程|法规|这部法|慈善法|本法")


@dataclass
class Bases:
    """Document id -> rows of the articles stating its purpose and basis."""

    rows: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> "Bases":
        rows: dict[str, list[int]] = defaultdict(list)
        for row, article in enumerate(articles):
            if _STATES_RE.search(article.text):
                rows[article.doc_id].append(row)
        return cls(dict(rows))

    def rows_for(self, question: str, docs: Iterable[str]) -> list[int]:
        """The basis rows of `docs` when the question asks what a document rests on."""
        if not (_ASKS_RE.search(question) and _DOCUMENT_RE.search(question)):
            return []
        return [row for doc in docs for row in self.rows.get(doc, [])]
