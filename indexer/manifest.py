"""Index manifest: what an index was built from, to detect stale indexes and rebuild only
what changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from indexer.asked import ASKED_DIR
from indexer.store import VectorHome

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_PIPELINE_FILES = ("parse.py", "numerals.py", "chunk.py", "tokenize.py", "quantities.py", "build.py",
                   "bm25.py", "asked.py", "userdict.txt", "speech_words.txt", "stopwords.txt")


def pipeline_fingerprint() -> str:
    """Hash of the code and dictionaries that shape an index: a change makes indexes stale."""
    digest = hashlib.sha1()
    for name in _PIPELINE_FILES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Manifest:
    embed_model: str
    corpus_dir: str
    documents: dict[str, str] = field(default_factory=dict)  # doc_id (or asked/<file>) -> sha256 of the file
    articles: int = 0
    nodes: int = 0
    sentences: int = 0
    asked: int = 0         # asked questions (indexer/asked.py)
    unanswered: int = 0    # questions staff ask that no article answers (ibid.)
    built_at: str = ""
    build_seconds: float = 0.0
    embedded: int = 0
    reused: int = 0
    pipeline: str = ""
    chroma_url: str = ""   # vectors on this Chroma server; empty: in the generation's folder
    format_version: int = FORMAT_VERSION

    @property
    def document_count(self) -> int:
        return sum(not key.startswith(f"{ASKED_DIR}/") for key in self.documents)

    def vector_home(self, generation: Path) -> VectorHome:
        return VectorHome(generation, self.chroma_url)

    def write(self, folder: Path) -> None:
        tmp = folder / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(folder / MANIFEST)

    @classmethod
    def read(cls, folder: Path) -> "Manifest | None":
        path = folder / MANIFEST
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            return None
        return cls(**data)
