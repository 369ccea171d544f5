"""Asked questions: how staff ask after each article, kept beside the corpus.

`<corpus>/asked/<doc_id>.tsv` holds one question per line, `<article id><TAB><question>`;
lines starting with # are comments. The questions are indexed with their article (their
own vectors and BM25) so that a question worded as staff word it finds the article that
answers it, however far its words are from the article's (「腿脚不好来不了」 for 行动不便).
They are never quoted: an answer quotes the article. A corpus without the folder has none.

`<corpus>/asked/unanswered.tsv` holds what staff ask that no article answers, one
`<topic><TAB><question>` per line (党费比例 …): near the corpus in words, outside it in fact.
A question closer to one of them than to any asked question of any article is refused
(app/answer.py): an article mentions what it asks without answering it.

    >>> import tempfile
    >>> from indexer.records import Article, Document
    >>> doc = Document("d", "某条例", "条例", articles=(Article("d", "3", "第三条", (), "", "…", (0, 1), 1),))
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ASKED_DIR).mkdir(), (folder / ASKED_DIR / "d.tsv").write_text("# 注释\\n3\\t要交几份材料\\n")
    >>> load_asked(folder, [doc])
    [AskedQuestion(doc_id='d', article_id='3', text='要交几份材料')]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from indexer.parse import CorpusError
from indexer.records import Document

ASKED_DIR = "asked"
UNANSWERED_FILE = "unanswered.tsv"


@dataclass(frozen=True)
class AskedQuestion:
    doc_id: str
    article_id: str
    text: str


@dataclass(frozen=True)
class UnansweredQuestion:
    topic: str  # what is asked that the corpus leaves open (党费比例)
    text: str


def asked_files(corpus_dir: str | Path) -> list[Path]:
    return sorted(p for p in Path(corpus_dir, ASKED_DIR).glob("*.tsv") if p.is_file())


def asked_hashes(corpus_dir: str | Path) -> dict[str, str]:
    """`asked/<file>` -> sha256: a changed file makes the index stale like a changed document."""
    return {f"{ASKED_DIR}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
            for p in asked_files(corpus_dir)}


def load_asked(corpus_dir: str | Path, docs: list[Document]) -> list[AskedQuestion]:
    """Every asked question of the corpus, checked against the articles it names."""
    articles = {d.doc_id: {a.article_id for a in d.articles} for d in docs}
    questions: list[AskedQuestion] = []
    for path in asked_files(corpus_dir):
        if path.name == UNANSWERED_FILE:
            continue
        doc_id = path.stem
        if doc_id not in articles:
            raise CorpusError(path, None, f"语料中没有文件 {doc_id}（文件名应为所问文件的 doc_id）")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            article_id, _, text = line.partition("\t")
            if not text.strip():
                raise CorpusError(path, number, "应为「条号<TAB>问题」")
            if article_id.strip() not in articles[doc_id]:
                raise CorpusError(path, number, f"{doc_id} 中没有第 {article_id.strip()} 条")
            questions.append(AskedQuestion(doc_id, article_id.strip(), text.strip()))
    return questions


def load_unanswered(corpus_dir: str | Path) -> list[UnansweredQuestion]:
    """What staff ask that no article answers (`asked/unanswered.tsv`); none without the file."""
    path = Path(corpus_dir, ASKED_DIR, UNANSWERED_FILE)
    if not path.is_file():
        return []
    questions: list[UnansweredQuestion] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        topic, _, text = line.partition("\t")
        if not topic.strip() or not text.strip():
            raise CorpusError(path, number, "应为「话题<TAB>问题」")
        questions.append(UnansweredQuestion(topic.strip(), text.strip()))
    return questions
