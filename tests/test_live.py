"""A long-running service follows `tiaowen index`: the live assistant switches to a rebuilt
index without a restart, and keeps the index it has when a new one cannot be loaded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from app.index import LoadedIndex
from app.live import LiveAssistant
from indexer.build import CURRENT, build_index

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FOUNDATION_QUESTION = "基金会理事会每年至少开几次会"


def _point_current_at(index_dir: Path, generation: Path) -> None:
    link = index_dir / ".current-test"
    link.symlink_to(generation.name)
    os.replace(link, index_dir / CURRENT)


def test_switches_to_a_rebuilt_index_and_keeps_the_model(small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, progress=False)
    live = LiveAssistant.load(index_dir, check_every=0)
    before = live.current()
    assert "jijinhui-2004" not in before.index.documents
    assert all(c.doc_id != "jijinhui-2004" for c in before.ask(FOUNDATION_QUESTION).citations)

    shutil.copy(CORPUS / "jijinhui-2004.txt", small_corpus)
    build_index(small_corpus, index_dir, progress=False)
    live.current()          # notices the swap and loads in the background
    live.wait(120)
    after = live.current()
    assert after is not before and "jijinhui-2004" in after.index.documents
    assert after.retriever.embedding is before.retriever.embedding   # the model is not loaded twice
    answer = after.ask(FOUNDATION_QUESTION)
    assert not answer.refused and answer.citations[0].doc_id == "jijinhui-2004"
    assert before.ask(FOUNDATION_QUESTION).question == FOUNDATION_QUESTION  # old one still answers


def test_a_page_being_opened_gets_the_rebuilt_index_at_once(small_corpus, tmp_path):
    """Questions check for a rebuild at most every `check_every` seconds and never wait; a page
    being opened checks now and waits for the load, so its header counts the new documents."""
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, progress=False)
    live = LiveAssistant.load(index_dir, check_every=3600)
    before = live.current()
    shutil.copy(CORPUS / "jijinhui-2004.txt", small_corpus)
    build_index(small_corpus, index_dir, progress=False)
    assert live.current() is before                      # within the interval: not even checked
    page = live.current(wait=120)
    assert page is not before and "jijinhui-2004" in page.index.documents


def test_keeps_its_index_when_the_new_generation_cannot_be_loaded(small_corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, progress=False)
    live = LiveAssistant.load(index_dir, check_every=0)
    before = live.current()
    broken = index_dir / "gen-broken"   # no manifest: what a foreign or damaged folder looks like
    broken.mkdir()
    _point_current_at(index_dir, broken)
    loads = []
    real_load = LoadedIndex.load.__func__
    monkeypatch.setattr(LoadedIndex, "load", classmethod(
        lambda cls, *a, **k: loads.append(k.get("generation")) or real_load(cls, *a, **k)))
    for _ in range(3):      # within the retry interval a failed generation is not tried again
        live.current()
        live.wait(60)
        assert live.current() is before
    assert loads == [broken]
    live.retry_after = 0    # after it, it is
    live.current()
    live.wait(60)
    assert loads == [broken, broken] and live.current() is before
    assert not before.ask("社会团体的登记管理机关是谁").refused
