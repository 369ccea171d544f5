"""Corpus folder: one UTF-8 file per document; adding a document = dropping in a file."""

from __future__ import annotations

from pathlib import Path

from indexer.parse import CorpusError, parse_file
from indexer.records import Document

CORPUS_GLOB = "*.txt"


def corpus_files(corpus_dir: str | Path) -> list[Path]:
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(corpus_dir, None, "文件夹不存在")
    files = sorted(p for p in corpus_dir.glob(CORPUS_GLOB) if p.is_file())
    if not files:
        raise CorpusError(corpus_dir, None, "文件夹中没有 .txt 文件")
    return files


def load_corpus(corpus_dir: str | Path) -> list[Document]:
    """Parse every document, rejecting duplicate doc_ids and dangling supersession links."""
    docs = [parse_file(p) for p in corpus_files(corpus_dir)]
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.doc_id in seen:
            raise CorpusError(doc.path, 1, f"doc_id {doc.doc_id} 与 {seen[doc.doc_id]} 重复")
        seen[doc.doc_id] = doc.path
    for doc in docs:
        for link in (doc.supersedes, doc.superseded_by):
            if link and link not in seen:
                raise CorpusError(doc.path, None, f"引用的文件 {link} 不在语料中")
    return docs
