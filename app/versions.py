"""What a revision changed: a document's articles and sentences set against its other versions
(the 2014 and 2026 发展党员工作细则), by the character bigrams they share."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # app.index derives `kept_sentences` from this module
    from app.index import LoadedIndex

# asks how two texts differ; not the 一样 of 「跟积极分子一样要参加培训吗」
COMPARE_RE = re.compile(r"不同|区别|差别|差异|变化|变了|变没变|还这么|还是这样|改了|改动|不一样|一样吗"
                        r"|相同吗|多了|少了|新增|增加了|删了|删去")
# bigrams a sentence shares with one the revision left as it was (可 → 可以 aside)
SAME_SENTENCE = 0.8


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def alike(a: set[str], b: set[str]) -> float:
    """Share of character bigrams two texts have in common (Jaccard).

    >>> round(alike(bigrams("入党介绍人一般由培养联系人担任，也可由党组织指定。"),
    ...             bigrams("入党介绍人一般由培养联系人担任，也可以由党组织指定。")), 2)
    0.88
    """
    return len(a & b) / (len(a | b) or 1)


def _other_versions(index: LoadedIndex) -> list[tuple[str, str]]:
    return [(doc.doc_id, other) for doc in index.documents.values()
            for other in {doc.supersedes, doc.superseded_by} & set(index.doc_rows)]


def version_twins(index: LoadedIndex) -> list[set[int]]:
    """Per article row, the rows of the other versions' articles worded most like it (most
    character bigrams shared): where a revised rule went, whatever its new number."""
    grams = [bigrams(a.text) for a in index.articles]
    twins: list[set[int]] = [set() for _ in index.articles]
    for doc, other in _other_versions(index):
        rows = index.doc_rows[other]
        for row in index.doc_rows[doc]:
            shared = [alike(grams[row], grams[r]) for r in rows]
            twins[row].add(int(rows[int(np.argmax(shared))]))
    return twins


def kept_sentences(index: LoadedIndex) -> np.ndarray:
    """Per sentence row, whether another version of its document has a sentence worded alike:
    a sentence that tells nothing of what a revision changed."""
    grams = [bigrams(s.text) for s in index.sentences]
    doc_of = np.array([s.doc_id for s in index.sentences])
    kept = np.zeros(len(index.sentences), dtype=bool)
    for doc, other in _other_versions(index):
        theirs = [grams[j] for j in np.flatnonzero(doc_of == other)]
        for i in np.flatnonzero(doc_of == doc):
            kept[i] = any(alike(grams[i], g) >= SAME_SENTENCE for g in theirs)
    return kept
