"""The live index of a folder, loaded once per process and shared read-only."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from app.spelling import HomophoneCorrector
from app.versions import kept_sentences
from indexer.bm25 import JiebaBM25
from indexer.asked import UnansweredQuestion, asked_hashes
from indexer.build import (ASKED_BM25, CORPUS_JSON, TERMS_JSON, asked_node_id, live_generation,
                           unanswered_node_id)
from indexer.chunk import Sentence, article_sentences
from indexer.corpus import corpus_files
from indexer.manifest import Manifest, pipeline_fingerprint
from indexer.numerals import int_to_chinese
from indexer.parse import CorpusError
from indexer.records import Article, Document
from indexer.store import ARTICLES, ASKED, SENTENCES, ChromaUnavailable, iter_embeddings
from indexer.tokenize import load_dictionary, match_terms

DEFAULT_INDEX_DIR = Path(__file__).resolve().parent.parent / ".index"
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


class IndexUnavailable(RuntimeError):
    """No usable index; the message says which command fixes it."""


def default_index_dir() -> Path:
    return Path(os.environ.get("TIAOWEN_INDEX_DIR") or DEFAULT_INDEX_DIR)


def stale_documents(manifest: Manifest) -> list[str]:
    """Files of the indexed corpus folder that changed or appeared since the build, plus a
    marker when indexed files were deleted."""
    try:
        files = corpus_files(manifest.corpus_dir)
    except CorpusError:
        return []  # corpus folder gone: the index is all there is
    current = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} \
        | asked_hashes(manifest.corpus_dir)
    indexed = set(manifest.documents.values())
    changed = [name for name, digest in current.items() if digest not in indexed]
    if not indexed <= set(current.values()):
        changed.append("已删除的文件")
    return changed


@dataclass
class LoadedIndex:
    generation: Path
    manifest: Manifest
    documents: dict[str, Document]
    articles: list[Article]
    sentences: list[Sentence]
    sentence_vectors: np.ndarray      # (n_sentences, dim), L2-normalised
    sentence_article: np.ndarray      # sentence row -> article row
    window_vectors: np.ndarray        # (n_windows, dim): clause runs of long sentences
    window_sentence: np.ndarray       # window row -> sentence row
    piece_vectors: np.ndarray         # (n_article_pieces, dim), L2-normalised
    piece_article: np.ndarray         # piece row -> article row
    bm25: JiebaBM25
    article_store: object             # llama-index ChromaVectorStore over article nodes
    chroma_client: object
    asked_vectors: np.ndarray         # (n_asked, dim): asked questions (indexer/asked.py)
    asked_article: np.ndarray         # asked question row -> article row
    asked_bm25: JiebaBM25 | None      # BM25 over the asked questions; None when there are none
    asked_texts: list[str]            # asked question row -> its wording
    # questions staff ask that no article answers (indexer/asked.py)
    unanswered_vectors: np.ndarray
    unanswered: list[UnansweredQuestion]

    @classmethod
    def load(cls, index_dir: str | Path | None = None, check_stale: bool = True,
             generation: Path | None = None) -> "LoadedIndex":
        """The live generation of `index_dir` (or the given one), all in memory but Chroma."""
        index_dir = Path(index_dir) if index_dir else default_index_dir()
        generation = generation or live_generation(index_dir)
        manifest = Manifest.read(generation) if generation else None
        if manifest is None:
            raise IndexUnavailable(f"索引不存在或已损坏：{index_dir}。请先运行 `tiaowen index"
                                   f"{'' if index_dir == default_index_dir() else f' --index {index_dir}'}` 建立索引。")
        if check_stale and manifest.pipeline != pipeline_fingerprint():
            raise IndexUnavailable(f"索引由旧版本程序建立，请运行 `tiaowen index --index {index_dir}` 更新索引"
                                   "（未变的文本会复用已有向量，很快完成）。")
        if check_stale and (changed := stale_documents(manifest)):
            raise IndexUnavailable(f"索引已过期：语料文件已变更（{'、'.join(changed[:5])}）。"
                                   f"请运行 `tiaowen index --index {index_dir}` 更新索引。")
        documents = {}
        for data in json.loads((generation / CORPUS_JSON).read_text(encoding="utf-8")):
            articles = tuple(Article.from_dict(a) for a in data.pop("articles"))
            documents[data["doc_id"]] = Document(**{**data, "aliases": tuple(data["aliases"]),
                                                    "governs": tuple(data["governs"])},
                                                 articles=articles)
        articles = [a for d in documents.values() for a in d.articles]
        row = {a.key: i for i, a in enumerate(articles)}  # needed before the object exists
        sentences = [s for a in articles for s in article_sentences(a)]
        home = manifest.vector_home(generation)
        try:
            client = home.open()
            sentence_store, article_store = home.store(client, SENTENCES), home.store(client, ARTICLES)
            asked_store = home.store(client, ASKED)
        except ChromaUnavailable as error:
            raise IndexUnavailable(str(error)) from None
        # both collections are small enough to score exactly in memory: exact beats HNSW's
        # approximation and costs microseconds; Chroma stays the store of record
        stored = list(iter_embeddings(sentence_store))
        by_id = {sid: vec for sid, _, vec in stored}
        sentence_vectors = _normalized([by_id[s.node_id] for s in sentences])
        sentence_row = {s.node_id: srow for srow, s in enumerate(sentences)}
        # clause windows of long sentences, each tied to its sentence by the stored metadata
        windows = [(vec, sentence_row[meta["window_of"]]) for _, meta, vec in stored if "window" in meta]
        pieces = list(iter_embeddings(article_store))
        # in the order of the BM25 of asked questions, which the node ids keep
        asked_by_id = {qid: rest for qid, *rest in iter_embeddings(asked_store, with_text=True)}
        asked = _in_order(asked_by_id, asked_node_id)
        unanswered = _in_order(asked_by_id, unanswered_node_id)
        load_dictionary(json.loads((generation / TERMS_JSON).read_text(encoding="utf-8")))
        return cls(generation, manifest, documents, articles, sentences, sentence_vectors,
                   np.array([row[s.key] for s in sentences]),
                   _normalized([v for v, _ in windows]) if windows
                   else np.zeros((0, sentence_vectors.shape[1]), dtype=np.float32),
                   np.array([r for _, r in windows], dtype=int),
                   _normalized([vec for _, _, vec in pieces]),
                   np.array([row[(meta["doc"], meta["article"])] for _, meta, _ in pieces]),
                   JiebaBM25.from_persist_dir(generation / "bm25"), article_store, client,
                   _normalized([vec for _, vec, _ in asked]) if asked
                   else np.zeros((0, sentence_vectors.shape[1]), dtype=np.float32),
                   np.array([row[(meta["doc"], meta["article"])] for meta, _, _ in asked], dtype=int),
                   JiebaBM25.from_persist_dir(generation / ASKED_BM25) if asked else None,
                   [text for _, _, text in asked],
                   _normalized([vec for _, vec, _ in unanswered]) if unanswered
                   else np.zeros((0, sentence_vectors.shape[1]), dtype=np.float32),
                   [UnansweredQuestion(meta["topic"], text) for meta, _, text in unanswered])

    def article_row(self, key: tuple[str, str]) -> int | None:
        return self._rows.get(key)

    def section_rows(self, doc_id: str, number: int) -> list[int]:
        """Rows of a document's numbered section (第三章, 意见's 二、…), in order: the heading
        printed with that number, else the number-th top-level heading (a source that lost
        its 「第一章」 label)."""
        rows = [int(r) for r in self.doc_rows.get(doc_id, [])]
        numeral = int_to_chinese(number)
        labels = (f"第{numeral}章", f"第{numeral}部分", f"第{numeral}编", f"{numeral}、")
        headings = list(dict.fromkeys(h for r in rows for h in self.articles[r].heading))
        named = next((h for h in headings if h.startswith(labels)), None)
        if named is None:
            tops = list(dict.fromkeys(self.articles[r].heading[0] for r in rows if self.articles[r].heading))
            named = tops[number - 1] if 0 < number <= len(tops) else None
        return [r for r in rows if named in self.articles[r].heading] if named else []

    def last_article_row(self, doc_id: str) -> int | None:
        """The document's last numbered article (最后一条), not a trailing preamble."""
        rows = [int(r) for r in self.doc_rows.get(doc_id, []) if self.articles[r].article_id[:1].isdigit()]
        return rows[-1] if rows else None

    @cached_property
    def term_articles(self) -> dict[str, int]:
        """Term (as `match_terms` reads it) -> number of articles using it (IDF, typo correction)."""
        counts: dict[str, int] = {}
        for article in self.articles:
            for term in match_terms(article.text):
                counts[term] = counts.get(term, 0) + 1
        return counts

    @cached_property
    def corrector(self) -> HomophoneCorrector:
        """The typo corrector over this index's terms, shared by every assistant over it."""
        return HomophoneCorrector(self.term_articles, self.search_text)

    @cached_property
    def kept_sentences(self) -> np.ndarray:
        """Per sentence row, whether another version of its document words it alike: read by
        ranking and by the answer step, worked out once (see app/versions.py)."""
        return kept_sentences(self)

    @cached_property
    def search_text(self) -> str:
        """All article text with titles and headings, one article per line."""
        return "\n".join(a.search_text for a in self.articles)

    def __post_init__(self) -> None:
        self._rows = {a.key: i for i, a in enumerate(self.articles)}  # article key -> row
        self.doc_rows = {d: np.array([i for i, a in enumerate(self.articles) if a.doc_id == d])
                         for d in self.documents}


def _in_order(by_id: dict[str, list], node_id) -> list[list]:
    """The stored entries whose ids `node_id` numbers 0, 1, … in that order."""
    out = []
    while (entry := by_id.get(node_id(len(out)))) is not None:
        out.append(entry)
    return out


def _normalized(vectors: list) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
