"""Vector store: Chroma `PersistentClient` collections (cosine) behind llama-index's
`ChromaVectorStore`, one for article nodes and one for sentences.

A `PersistentClient` belongs to one process; several processes need `chroma run` and an
`HttpClient` pointed at the same folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import chromadb
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

ARTICLES = "articles"
SENTENCES = "sentences"
_BATCH = 1000


def open_client(path: str | Path) -> chromadb.ClientAPI:
    return chromadb.PersistentClient(path=str(path),
                                     settings=ChromaSettings(anonymized_telemetry=False))


def close_client(client: chromadb.ClientAPI) -> None:
    """Release the sqlite handles so the folder can be swapped or removed."""
    identifier = client._identifier  # chroma caches one system per path for the process
    system = SharedSystemClient._identifier_to_system.pop(identifier, None)
    if system is not None:
        system.stop()


def vector_store(client: chromadb.ClientAPI, name: str, create: bool = False) -> ChromaVectorStore:
    if create:
        collection = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
    else:
        collection = client.get_collection(name)
    return ChromaVectorStore(chroma_collection=collection)


def add_nodes(store: ChromaVectorStore, nodes: list[TextNode]) -> None:
    for start in range(0, len(nodes), _BATCH):
        store.add(nodes[start:start + _BATCH])


def iter_embeddings(store: ChromaVectorStore) -> Iterator[tuple[str, dict, list[float]]]:
    """(id, metadata, embedding) of every record, for reuse by an incremental build."""
    collection = store._collection
    total = collection.count()
    for offset in range(0, total, _BATCH):
        got = collection.get(include=["metadatas", "embeddings"], limit=_BATCH, offset=offset)
        yield from zip(got["ids"], got["metadatas"], got["embeddings"])
