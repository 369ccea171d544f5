"""Index build: parse -> chunk -> embed -> store, incremental and atomic.

An index folder holds generations `gen-*` and a symlink `current` naming the live one. A
build writes a new generation beside the live one, reusing the vectors of every unchanged
text (keyed by a hash of model and text), and only then swaps `current` with one atomic
rename. A crash at any point leaves the previous generation live and usable; its leftovers
are removed by the next build. With `chroma_url` the vectors go to collections on a Chroma
server instead of the generation's folder (see `indexer.store.VectorHome`); the rest of the
generation, and the swap, stay in the index folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode
from tqdm import tqdm

from indexer.asked import (AskedQuestion, UnansweredQuestion, asked_hashes, load_asked,
                           load_unanswered)
from indexer.bm25 import JiebaBM25
from indexer.chunk import (article_nodes, article_sentences, sentence_embed_text,
                           sentence_windows, window_id)
from indexer.corpus import load_corpus
from indexer.embed import DEFAULT_EMBED_MODEL, make_embedding, model_id, query_embeddings
from indexer.manifest import Manifest, pipeline_fingerprint
from indexer.records import Document
from indexer.store import (ARTICLES, ASKED, SENTENCES, ChromaUnavailable, VectorHome, add_nodes,
                           check_chroma_url, iter_embeddings)
from indexer.tokenize import corpus_terms, load_dictionary

log = logging.getLogger(__name__)

CURRENT = "current"
CORPUS_JSON = "corpus.json"
TERMS_JSON = "terms.json"
ASKED_BM25 = "asked_bm25"
_EMBED_BATCH = 64


@dataclass
class BuildResult:
    manifest: Manifest
    generation: Path
    changed: list[str]
    removed: list[str]
    up_to_date: bool


def live_generation(index_dir: str | Path) -> Path | None:
    link = Path(index_dir) / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def text_hash(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()


@dataclass
class _Record:
    """A node to store and the text its vector encodes."""

    node: TextNode
    embed_text: str
    as_query: bool = False  # an asked question is embedded as the questions it is compared with


def asked_node_id(row: int) -> str:
    # the row is also the question's position in the BM25 of asked questions
    return f"asked-{row}"


def unanswered_node_id(row: int) -> str:
    return f"unanswered-{row}"


def _asked_records(asked: list[AskedQuestion]) -> list[_Record]:
    return [_Record(TextNode(id_=asked_node_id(i), text=q.text,
                             metadata={"doc": q.doc_id, "article": q.article_id}), q.text, as_query=True)
            for i, q in enumerate(asked)]


def _unanswered_records(unanswered: list[UnansweredQuestion]) -> list[_Record]:
    return [_Record(TextNode(id_=unanswered_node_id(i), text=q.text, metadata={"topic": q.topic}),
                    q.text, as_query=True) for i, q in enumerate(unanswered)]


def _records(docs: list[Document]) -> tuple[list[_Record], list[_Record]]:
    """Article nodes and sentence nodes (with the clause windows of long sentences),
    embeddings not yet filled in."""
    articles, sentences = [], []
    for doc in docs:
        for article in doc.articles:
            for node in article_nodes(doc, article):
                articles.append(_Record(TextNode(id_=node.node_id, text=node.text, metadata={
                    "doc": doc.doc_id, "article": article.article_id, "piece": node.piece}),
                    node.embed_text))
            for s in article_sentences(article):
                meta = {"doc": doc.doc_id, "article": article.article_id, "sentence": s.index}
                text = sentence_embed_text(doc, article, s.text)
                sentences.append(_Record(TextNode(id_=s.node_id, text=text, metadata=meta), text))
                for j, window in enumerate(sentence_windows(s.text)):
                    text = sentence_embed_text(doc, article, window)
                    sentences.append(_Record(TextNode(id_=window_id(s, j), text=text,
                                                      metadata={**meta, "window": j,
                                                                "window_of": s.node_id}), text))
    return articles, sentences


def _previous_vectors(generation: Path | None, model: str) -> dict[str, list[float]]:
    old = Manifest.read(generation) if generation else None
    if old is None or old.embed_model != model:
        return {}
    home = old.vector_home(generation)
    if not home.chroma_url and not (generation / "chroma").is_dir():
        return {}
    try:  # a build must not depend on the old vectors
        client = home.open()
        try:
            return {meta["text_hash"]: list(vector) for kind in _stored_kinds(home, client)
                    for _, meta, vector in iter_embeddings(home.store(client, kind))}
        finally:
            home.close(client)
    except ChromaUnavailable as error:
        log.warning("旧索引的向量无法读取，全部重新嵌入：%s", error)
        return {}


def _stored_kinds(home: VectorHome, client) -> list[str]:
    # a generation built before asked questions has no collection of them
    existing = {c.name for c in client.list_collections()}
    return [kind for kind in (ARTICLES, SENTENCES, ASKED) if home.collection(kind) in existing]


def _embed(records: list[_Record], model: BaseEmbedding, model_id: str,
           cache: dict[str, list[float]], progress: bool) -> tuple[int, int]:
    """Fill in embeddings, from the cache where the text is unchanged; return how many
    distinct texts were embedded and how many were reused.

    Each distinct text is embedded once, however many nodes carry it."""
    todo: dict[str, _Record] = {}
    reused: set[str] = set()
    for record in records:
        marked = ("query: " if record.as_query else "") + record.embed_text
        record.node.metadata["text_hash"] = key = text_hash(model_id, marked)
        if key in cache:
            reused.add(key)
        else:
            todo.setdefault(key, record)
    bar = tqdm(total=len(todo), desc="嵌入向量", unit="段", disable=not progress or not todo)
    for as_query in (False, True):
        keys = [k for k, r in todo.items() if r.as_query == as_query]
        for start in range(0, len(keys), _EMBED_BATCH):
            batch = keys[start:start + _EMBED_BATCH]
            texts = [todo[k].embed_text for k in batch]
            vectors = query_embeddings(model, texts) if as_query else model.get_text_embedding_batch(texts)
            cache.update(zip(batch, vectors))
            bar.update(len(batch))
    bar.close()
    for record in records:
        record.node.embedding = cache[record.node.metadata["text_hash"]]
    return len(todo), len(reused)


def _write_generation(home: VectorHome, docs: list[Document], articles: list[TextNode],
                      sentences: list[TextNode], asked: list[TextNode],
                      unanswered: list[TextNode]) -> None:
    folder = home.generation
    client = home.open()
    try:
        add_nodes(home.store(client, ARTICLES, create=True), articles)
        add_nodes(home.store(client, SENTENCES, create=True), sentences)
        # the unanswered questions are kept beside the asked ones, never searched by BM25
        add_nodes(home.store(client, ASKED, create=True), asked + unanswered)
    finally:
        home.close(client)
    JiebaBM25.from_documents(docs).persist(folder / "bm25")
    if asked:
        JiebaBM25.from_texts([node.text for node in asked]).persist(folder / ASKED_BM25)
    payload = [{**d.meta(), "articles": [a.to_dict() for a in d.articles]} for d in docs]
    (folder / CORPUS_JSON).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    terms = sorted(corpus_terms(a.text for d in docs for a in d.articles))
    (folder / TERMS_JSON).write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")


def _swap(index_dir: Path, generation: Path) -> None:
    tmp_link = index_dir / f".current-{uuid.uuid4().hex[:8]}"
    tmp_link.symlink_to(generation.name)
    os.replace(tmp_link, index_dir / CURRENT)  # atomic: readers see old or new, never neither


def _collect_garbage(index_dir: Path, keep: Path, chroma_url: str) -> None:
    """Remove every generation but `keep`, with its collections on a Chroma server (a crashed
    build left no manifest: its collections are on the server this build used)."""
    keep = keep.resolve()
    for entry in index_dir.iterdir():
        if entry.name.startswith(("gen-", ".current-")) and entry.resolve() != keep:
            if entry.is_symlink() or entry.is_file():
                entry.unlink()
            else:
                manifest = Manifest.read(entry)
                try:  # the new generation is live already: nothing here may fail the build
                    VectorHome(entry, manifest.chroma_url if manifest else chroma_url).drop()
                except ChromaUnavailable as error:
                    log.warning("未能删除 %s 在 Chroma 服务上的集合：%s", entry.name, error)
                shutil.rmtree(entry, ignore_errors=True)


def build_index(corpus_dir: str | Path, index_dir: str | Path,
                embed_model: str = DEFAULT_EMBED_MODEL, force: bool = False,
                progress: bool = True, embedding: BaseEmbedding | None = None,
                before_swap: Callable[[Path], None] | None = None,
                chroma_url: str | None = None) -> BuildResult:
    """Build or refresh the index of `corpus_dir` in `index_dir`; see the module docstring.
    `chroma_url` (http://host:port) keeps the vectors on that Chroma server, "" in the index
    folder; None keeps them where the live generation has them.

    `before_swap` is called with the finished generation just before it goes live (tests use
    it to simulate a crash at the last moment).
    """
    started = time.perf_counter()
    docs = load_corpus(corpus_dir)
    index_dir = Path(index_dir).resolve()  # garbage collection compares resolved paths
    index_dir.mkdir(parents=True, exist_ok=True)
    live = live_generation(index_dir)
    old = Manifest.read(live) if live else None
    if chroma_url is None:
        chroma_url = old.chroma_url if old else ""
    chroma_url = check_chroma_url(chroma_url) if chroma_url else ""
    # an asked-questions file counts as a document of its own (asked/<doc_id>.tsv)
    hashes = {d.doc_id: d.sha256 for d in docs} | asked_hashes(corpus_dir)
    embed_id = embedding.model_name if embedding is not None else model_id(embed_model)
    pipeline = pipeline_fingerprint()
    same_pipeline = old is not None and old.embed_model == embed_id and old.pipeline == pipeline \
        and old.chroma_url == chroma_url
    old_docs = old.documents if same_pipeline else {}
    changed = [d for d, h in hashes.items() if old_docs.get(d) != h]
    removed = [d for d in old_docs if d not in hashes]
    if same_pipeline and not force and not changed and not removed:
        return BuildResult(old, live, [], [], up_to_date=True)

    load_dictionary()
    embedding = embedding or make_embedding(embed_model)
    cache = _previous_vectors(live, embed_id)
    article_records, sentence_records = _records(docs)
    asked, unanswered = load_asked(corpus_dir, docs), load_unanswered(corpus_dir)
    asked_records, unanswered_records = _asked_records(asked), _unanswered_records(unanswered)
    embedded, reused = _embed(article_records + sentence_records + asked_records + unanswered_records,
                              embedding, embed_id, cache, progress)
    articles = [r.node for r in article_records]
    sentences = [r.node for r in sentence_records]

    generation = index_dir / f"gen-{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    generation.mkdir()
    _write_generation(VectorHome(generation, chroma_url), docs, articles, sentences,
                      [r.node for r in asked_records], [r.node for r in unanswered_records])
    manifest = Manifest(
        embed_model=embed_id, corpus_dir=str(Path(corpus_dir).resolve()), documents=hashes,
        articles=sum(len(d.articles) for d in docs), nodes=len(articles),
        sentences=sum("window" not in n.metadata for n in sentences), asked=len(asked),
        unanswered=len(unanswered), built_at=datetime.now().isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 2), embedded=embedded,
        reused=reused, pipeline=pipeline, chroma_url=chroma_url)
    manifest.write(generation)
    if before_swap:
        before_swap(generation)
    _swap(index_dir, generation)
    _collect_garbage(index_dir, generation, chroma_url)
    return BuildResult(manifest, generation, changed, removed, up_to_date=False)

