"""Vector store: Chroma collections (cosine) behind llama-index's `ChromaVectorStore`, one
for article nodes and one for sentences, per index generation.

By default a generation keeps them in an embedded `PersistentClient` folder of its own
(`gen-*/chroma`). A `PersistentClient` belongs to one process: where several processes on
several machines share vectors, build with `--chroma-url` and the generation's collections
live on a Chroma server (`chroma run`), named after the generation, read through `HttpClient`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import chromadb
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from llama_index.core.schema import TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

ARTICLES = "articles"
SENTENCES = "sentences"
ASKED = "asked"  # asked questions (indexer/asked.py)
_BATCH = 1000


def _settings() -> ChromaSettings:
    # a new object per client: HttpClient writes its server into the Settings it is given,
    # and a PersistentClient handed the same object would then talk to that server
    return ChromaSettings(anonymized_telemetry=False)


class InvalidChromaUrl(ValueError):
    """A Chroma server address that is not http(s)://host[:port]; the message is for the user."""


class ChromaUnavailable(RuntimeError):
    """A generation's vectors cannot be read: its Chroma server is down, or its collections
    are gone. The message is for the user."""


def open_client(path: str | Path) -> chromadb.ClientAPI:
    return chromadb.PersistentClient(path=str(path), settings=_settings())


def close_client(client: chromadb.ClientAPI) -> None:
    """Release the sqlite handles so the folder can be swapped or removed."""
    identifier = client._identifier  # chroma caches one system per path for the process
    system = SharedSystemClient._identifier_to_system.pop(identifier, None)
    if system is not None:
        system.stop()


def check_chroma_url(url: str) -> str:
    """`url` without a trailing slash if it names an http(s) Chroma server, else
    `InvalidChromaUrl`.

        >>> check_chroma_url("http://127.0.0.1:8000/")
        'http://127.0.0.1:8000'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidChromaUrl(f"Chroma 服务地址须以 http:// 或 https:// 开头，例如 http://127.0.0.1:8000；收到：{url}")
    return url.rstrip("/")


@dataclass(frozen=True)
class VectorHome:
    """Where one index generation keeps its two collections: an embedded Chroma folder inside
    the generation (no `chroma_url`), or collections named after it on a Chroma server.

        >>> VectorHome(Path("gen-1"), "http://127.0.0.1:8000").collection(ARTICLES)
        'tiaowen-gen-1-articles'
    """

    generation: Path
    chroma_url: str = ""

    def collection(self, kind: str) -> str:
        # one server may hold the generations of several index folders: names are unique
        return f"tiaowen-{self.generation.name}-{kind}" if self.chroma_url else kind

    def open(self) -> chromadb.ClientAPI:
        if not self.chroma_url:
            return open_client(self.generation / "chroma")
        parts = urlsplit(self.chroma_url)
        try:
            client = chromadb.HttpClient(host=parts.hostname, port=parts.port or 8000,
                                         ssl=parts.scheme == "https", settings=_settings())
            client.heartbeat()
        except Exception as error:  # refused, DNS, TLS: all mean the server is not there
            raise ChromaUnavailable(
                f"无法连接 Chroma 服务 {self.chroma_url}（{error.__class__.__name__}）。"
                "请先启动服务：chroma run --path <数据目录> --port <端口>") from None
        return client

    def store(self, client: chromadb.ClientAPI, kind: str, create: bool = False) -> ChromaVectorStore:
        """The generation's collection `kind` (ARTICLES, SENTENCES, ASKED): created, or one that
        must exist."""
        try:
            return vector_store(client, self.collection(kind), create)
        except NotFoundError:
            where = f"Chroma 服务 {self.chroma_url} 上" if self.chroma_url else f"{self.generation / 'chroma'} 中"
            raise ChromaUnavailable(
                f"{where}没有本索引的向量集合 {self.collection(kind)}（服务换了数据目录，或已被另一次重建删除）。"
                "请运行 `tiaowen index --force` 重建索引。") from None

    def close(self, client: chromadb.ClientAPI) -> None:
        if not self.chroma_url:
            close_client(client)

    def drop(self) -> None:
        """Delete the generation's collections from the server (an embedded folder goes with
        the generation folder)."""
        if not self.chroma_url:
            return
        client = self.open()
        existing = {c.name for c in client.list_collections()}
        for kind in (ARTICLES, SENTENCES, ASKED):
            if self.collection(kind) in existing:
                client.delete_collection(self.collection(kind))


def vector_store(client: chromadb.ClientAPI, name: str, create: bool = False) -> ChromaVectorStore:
    if create:
        collection = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
    else:
        collection = client.get_collection(name)
    return ChromaVectorStore(chroma_collection=collection)


def add_nodes(store: ChromaVectorStore, nodes: list[TextNode]) -> None:
    for start in range(0, len(nodes), _BATCH):
        store.add(nodes[start:start + _BATCH])


def iter_embeddings(store: ChromaVectorStore, with_text: bool = False) -> Iterator[tuple]:
    """(id, metadata, embedding) of every record, for reuse by an incremental build; with
    `with_text`, (id, metadata, embedding, text) in the same single pass."""
    collection = store._collection
    include = ["metadatas", "embeddings", *(["documents"] if with_text else [])]
    for offset in range(0, collection.count(), _BATCH):
        got = collection.get(include=include, limit=_BATCH, offset=offset)
        yield from zip(got["ids"], got["metadatas"], got["embeddings"],
                       *([got["documents"]] if with_text else []))
