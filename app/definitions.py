"""Statutory definitions: 「慈善信托是什么」 is answered by the article that defines the term
(「本法所称慈善信托属于公益信托，是指…」), which vectors rank below articles that merely use it.

    >>> from indexer.records import Article
    >>> text = "本法所称慈善信托属于公益信托，是指委托人基于慈善目的…"
    >>> defs = Definitions.from_articles([Article("d", "44", "第四十四条", (), "", text, (0, 0), 1)])
    >>> defs.rows_for("什么是慈善信托"), defs.rows_for("慈善信托的受托人是谁")
    ([0], [])
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from indexer.records import Article

_TERM = r"[\u4e00-\u9fff]{2,12}?"
# 「本法所称慈善组织，是指…」, 「本法所称慈善信托属于公益信托，是指…」, 「党员组织关系是指…」
_DEFINES_RE = re.compile(rf"所称({_TERM})[，,]?(?:是指|属于)|(?:^|\n)({_TERM})是指")
_ASKS_RE = re.compile(rf"什么(?:是|叫)({_TERM})[？?。]*$|^(?:请问)?({_TERM})"
                      rf"(?:是什么|是啥|指什么|指的是什么|是指什么|的定义|的含义|是什么意思)[？?。]*$")


@dataclass
class Definitions:
    """Defined term -> rows of the articles that define it."""

    rows: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> "Definitions":
        rows: dict[str, list[int]] = defaultdict(list)
        for row, article in enumerate(articles):
            for m in _DEFINES_RE.finditer(article.text):
                rows[m.group(1) or m.group(2)].append(row)
        return cls(dict(rows))

    def rows_for(self, question: str) -> list[int]:
        """Articles defining the term a question asks the meaning of: the longest defined term
        the asked phrase ends with (境外基金会, not 基金会)."""
        m = _ASKS_RE.search(question.strip())
        if not m:
            return []
        asked = m.group(1) or m.group(2)
        terms = [t for t in self.rows if asked.endswith(t)]
        return self.rows[max(terms, key=len)] if terms else []
