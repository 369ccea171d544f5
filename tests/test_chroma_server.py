"""Vectors on a Chroma server (`chroma run` + `HttpClient`), for several processes or machines
sharing one index: builds write each generation's collections there, rebuilds drop the old
ones, and concurrent processes answer through it. The server is the real `chroma` program
from the chromadb package, on a free loopback port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import chromadb
import pytest

from app.assistant import Assistant
from indexer.build import build_index, live_generation
from indexer.manifest import Manifest
from indexer.store import ARTICLES, SENTENCES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CHROMA = Path(sys.executable).with_name("chroma")
SOCIETY_QUESTION = "社会团体的登记管理机关是谁"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _chroma_server(data: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 60   # a bounded wait for start-up, not a timing check
        while True:
            assert process.poll() is None, "chroma run exited"
            try:
                with opener.open(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "chroma run did not come up"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with _chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def _collections(url: str) -> set[str]:
    host, port = url.removeprefix("http://").split(":")
    return {c.name for c in chromadb.HttpClient(host=host, port=int(port)).list_collections()}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_generations_live_on_the_server_and_rebuilds_drop_the_old_ones(server, small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = build_index(small_corpus, index_dir, progress=False, chroma_url=server)
    names = {f"tiaowen-{first.generation.name}-{kind}" for kind in (ARTICLES, SENTENCES)}
    assert names <= _collections(server)
    assert not (first.generation / "chroma").exists() and first.manifest.chroma_url == server
    answer = Assistant.load(index_dir).ask(SOCIETY_QUESTION)
    assert answer.citations[0].ref == "《社团登记条例》第6条"

    shutil.copy(CORPUS / "jijinhui-2004.txt", small_corpus)
    second = build_index(small_corpus, index_dir, progress=False)   # stays on the server
    assert second.manifest.chroma_url == server and second.manifest.reused > 0
    assert second.changed == ["jijinhui-2004"]
    now = _collections(server)
    assert not names & now and {f"tiaowen-{second.generation.name}-{k}" for k in (ARTICLES, SENTENCES)} <= now


def test_moving_an_index_between_folder_and_server_reuses_every_vector(server, small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, progress=False)
    moved = build_index(small_corpus, index_dir, progress=False, chroma_url=server)
    assert moved.manifest.embedded == 0 and not (moved.generation / "chroma").exists()
    back = build_index(small_corpus, index_dir, progress=False, chroma_url="")
    assert back.manifest.embedded == 0 and (back.generation / "chroma").is_dir()
    assert not any(moved.generation.name in name for name in _collections(server))


def test_several_processes_answer_through_the_server(server, small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, progress=False, chroma_url=server)
    held = Assistant.load(index_dir)   # this process holds the index open meanwhile
    processes = [subprocess.Popen([sys.executable, "-m", "app.cli", "ask", SOCIETY_QUESTION, "--json",
                                   "--index", str(index_dir)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
                 for _ in range(3)]
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert json.loads(out)["citations"][0]["article"] == "6"
    assert not held.ask(SOCIETY_QUESTION).refused


def test_an_unreachable_server_is_a_clear_error(small_corpus, tmp_path):
    closed = f"http://127.0.0.1:{_free_port()}"
    result = _cli("index", "--corpus", str(small_corpus), "--index", str(tmp_path / "a"),
                  "--chroma-url", closed, "--quiet")
    assert result.returncode == 2 and "无法连接 Chroma 服务" in result.stderr and "Traceback" not in result.stderr
    result = _cli("index", "--corpus", str(small_corpus), "--index", str(tmp_path / "a"),
                  "--chroma-url", "localhost:8000", "--quiet")
    assert result.returncode == 2 and "须以 http:// 或 https:// 开头" in result.stderr

    index_dir = tmp_path / "b"
    with _chroma_server(tmp_path / "data") as url:
        build_index(small_corpus, index_dir, progress=False, chroma_url=url)
    assert live_generation(index_dir) is not None and Manifest.read(live_generation(index_dir)).chroma_url == url
    result = _cli("ask", SOCIETY_QUESTION, "--index", str(index_dir))   # the server has stopped
    assert result.returncode == 2 and "无法连接 Chroma 服务" in result.stderr and "chroma run" in result.stderr

    # the build after it neither needs the old vectors nor fails on dropping them
    moved = build_index(small_corpus, index_dir, progress=False, chroma_url="")
    assert moved.manifest.embedded > 0 and [p.name for p in index_dir.iterdir() if p.name.startswith("gen-")] \
        == [moved.generation.name]
    assert not Assistant.load(index_dir).ask(SOCIETY_QUESTION).refused


def test_collections_gone_from_the_server_say_how_to_rebuild(server, small_corpus, tmp_path):
    # e.g. the server was restarted on an empty data folder
    index_dir = tmp_path / "index"
    first = build_index(small_corpus, index_dir, progress=False, chroma_url=server)
    host, port = server.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port))
    for kind in (ARTICLES, SENTENCES):
        client.delete_collection(f"tiaowen-{first.generation.name}-{kind}")
    result = _cli("ask", SOCIETY_QUESTION, "--index", str(index_dir))
    assert result.returncode == 2 and "没有本索引的向量集合" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    rebuilt = build_index(small_corpus, index_dir, progress=False, force=True)
    assert rebuilt.manifest.embedded > 0 and rebuilt.manifest.chroma_url == server
    assert Assistant.load(index_dir).ask(SOCIETY_QUESTION).citations[0].article == "6"
