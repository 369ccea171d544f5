"""What a document says about itself, found where it says it: 「这个实施意见是依据哪些上位文件
制定的」 is answered by the preamble's 「根据党章…和…《关于加强社会组织党的建设工作的意见(试行)》，
…提出如下实施意见」, 「老细则还算数吗」 by the last article's 「本细则自发布之日起施行。…同时废止」.
Such questions share few words with those sentences, so vectors and BM25 rank them low.

    >>> from indexer.records import Article
    >>> first = Article("jjh", "1", "第一条", (), "", "为了规范基金会的组织和活动，制定本条例。", (0, 0), 1)
    >>> last = Article("jjh", "48", "第四十八条", (), "", "本条例自2004年6月1日起施行。", (0, 0), 48)
    >>> basis, commencement = provisions([first, last])
    >>> basis.rows_for("基金会条例是根据什么制定的", ["jjh"]), basis.rows_for("理事长是根据什么选出来的", ["jjh"])
    ([0], [])
    >>> commencement.rows_for("基金会条例哪天开始施行", ["jjh"]), commencement.rows_for("基金会怎么设立", ["jjh"])
    ([1], [])
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from indexer.records import Article

# …of a document, not of a decision (「停止党籍是根据什么作出的」); not 章程, mostly an
# organisation's own charter here
_DOCUMENT_RE = re.compile(r"文件|条例|细则|意见|办法|法规|这部法|慈善法|本法")
_DOCUMENT = r"(?:条例|细则|意见|办法|文件|法)"
_MADE = r"(?:制定|出台|印发|来的|(?<![作做提])出的)"  # not 作出的: a decision
# the act the question ends on (「…开始施行的」), not one it goes on to qualify (「开始实行预备期」)
_ENDS = r"(?=[的了吗呢啊？?，,。\s]|$)"


@dataclass(frozen=True)
class Provision:
    """One thing documents state about themselves: the rows stating it, per document, and
    how a question asks for it."""

    rows: dict[str, list[int]]
    asks: re.Pattern

    @classmethod
    def find(cls, articles: Iterable[Article], states: re.Pattern, asks: re.Pattern) -> "Provision":
        rows: dict[str, list[int]] = defaultdict(list)
        for row, article in enumerate(articles):
            if states.search(article.text):
                rows[article.doc_id].append(row)
        return cls(dict(rows), asks)

    def rows_for(self, question: str, docs: Iterable[str]) -> list[int]:
        """The rows of `docs` stating it, when the question asks it of a document."""
        if not (self.asks.search(question) and _DOCUMENT_RE.search(question)):
            return []
        return [row for doc in docs for row in self.rows.get(doc, [])]


# 「为了…，根据…，制定本条例」, 「为…，根据…，现就…提出如下实施意见」
_BASIS_STATES = re.compile(r"(?:^|[。\n ])为了?[^。]{0,200}?(?:制定本|提出如下|提出以下)")
# what a document rests on (依据哪些文件制定的, 上位法, 根据什么出台的), or what it is for
# (立法目的); not 「注销登记依照什么程序办理」 or 「根据什么标准审查」
_BASIS_ASKS = re.compile(
    rf"(?:依据|根据|依照|基于)(?:的是)?(?:哪|什么|啥)[^，,。？?]{{0,8}}{_MADE}|上位(?:文件|法|依据)"
    rf"|(?:哪|什么|啥)[^，,。？?]{{0,8}}(?:文件|法规|法律|精神)[^，,。？?]{{0,4}}{_MADE}"
    r"|(?:立法|制定|出台)(?:的)?(?:目的|宗旨)|为(?:什么|啥)(?:要)?(?:制定|出台)")
# 「本条例自2004年6月1日起施行，…同时废止」
_COMMENCEMENT_STATES = re.compile(r"本(?:条例|细则|法|办法|规定|意见)自[^。]{0,20}起施行")
# when the document takes effect, whether it or an older one still holds (细则还算数吗), what
# it repealed (废止了哪个文件); not whether a decision holds or a rule applies to a case
_COMMENCEMENT_ASKS = re.compile(
    rf"{_DOCUMENT}[^，,。？?]{{0,6}}(?:什么时候|何时|哪天|哪一天|哪年|几号)[^，,。？?]{{0,4}}"
    rf"(?:施行|生效|实行|实施){_ENDS}"
    rf"|{_DOCUMENT}[^，,。？?]{{0,4}}(?:还|仍然?)(?:算数|有效|管用)|废止了?(?:哪|什么)")


def provisions(articles: list[Article]) -> tuple[Provision, Provision]:
    """Where each document states its basis, and where it states when it takes effect."""
    return (Provision.find(articles, _BASIS_STATES, _BASIS_ASKS),
            Provision.find(articles, _COMMENCEMENT_STATES, _COMMENCEMENT_ASKS))
