"""Web benchmark: start-up to first answer, then N concurrent gradio_client users.

    .venv/bin/python bench/bench_web.py [--index DIR] [--clients 20] [--questions 10]

Starts `python -m app.web` on a free loopback port over an existing index and measures
  1. process start → first `/ask` answer (issue target: ≤ 10 s; printed, never asserted);
  2. `--clients` API clients asking `--questions` questions each, all at once: errors,
     p50/p95/max latency and throughput.
Questions come from evals/questions.jsonl. Figures are printed only: no timed assertions.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from bench.common import percentile  # noqa: E402


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float | None, error: str | None = None) -> None:
        with self.lock:
            if error is None:
                self.latencies.append(seconds)
            else:
                self.errors.append(error)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_questions(limit: int) -> list[str]:
    from evals.datasets import load_questions as eval_questions

    return [q["question"] for q in eval_questions()][:limit]


def start_server(index_dir: Path, port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.web", "--host", "127.0.0.1", "--port", str(port), "--index", str(index_dir)],
        cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})


def first_answer(url: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> tuple[float, float]:
    """Monotonic times at which the server first accepted a client and first answered `/ask`."""
    from gradio_client import Client
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text(errors='replace')}")
        try:
            client = Client(url, verbose=False)
        except Exception:
            time.sleep(0.1)
            continue
        listening = time.monotonic()
        client.predict("小型社会组织党建由谁兜底?", api_name="/ask")
        return listening, time.monotonic()
    raise SystemExit(f"server not up after {timeout:.0f} s:\n{log.read_text(errors='replace')}")


def user(url: str, questions: list[str], barrier: threading.Barrier, results: Results) -> None:
    from gradio_client import Client
    try:
        client = Client(url, verbose=False)
    except Exception as error:  # count a failed connection as errors for every question
        barrier.wait()
        for _ in questions:
            results.add(None, f"connect: {error!r}")
        return
    barrier.wait()
    for question in questions:
        started = time.perf_counter()
        try:
            answer = client.predict(question, api_name="/ask")
            if "refused" not in answer:
                raise ValueError(f"not the JSON contract: {sorted(answer)}")
            results.add(time.perf_counter() - started)
        except Exception as error:
            results.add(None, repr(error)[:200])


def load_test(url: str, clients: int, per_client: int) -> tuple[Results, float]:
    pool = load_questions(clients * per_client)
    results, barrier = Results(), threading.Barrier(clients + 1)
    threads = [threading.Thread(target=user, args=(url, [pool[(c * per_client + i) % len(pool)]
                                                         for i in range(per_client)], barrier, results))
               for c in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def report(listening: float, startup: float, results: Results, wall: float, clients: int, per_client: int) -> None:
    done = results.latencies
    print(f"start-up to first answer: {startup:.2f} s (process start → first /ask answer; target ≤ 10 s; "
          f"listening after {listening:.2f} s)")
    print(f"load: {clients} clients × {per_client} questions = {clients * per_client} requests in {wall:.1f} s "
          f"({len(done) / wall:.1f} answers/s)")
    print(f"errors: {len(results.errors)}" + (f" — first: {results.errors[0]}" if results.errors else ""))
    if done:
        print(f"latency (s): p50 {statistics.median(done):.2f} · p95 {percentile(done, 95):.2f} · "
              f"max {max(done):.2f} · mean {statistics.mean(done):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", default=os.environ.get("TIAOWEN_INDEX_DIR") or str(ROOT / ".index"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args(argv)
    index_dir = Path(args.index)
    if not index_dir.exists():
        print(f"索引不存在：{index_dir}。请先运行 `tiaowen index --index {index_dir}`。", file=sys.stderr)
        return 2
    port, log = free_port(), Path(tempfile.gettempdir()) / f"bench-web-{os.getpid()}.log"
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    process = start_server(index_dir, port, log)
    try:
        listening, answered = (t - started for t in first_answer(url, process, log))
        results, wall = load_test(url, args.clients, args.questions)
    finally:
        process.terminate()
        process.wait(timeout=30)
    report(listening, answered, results, wall, args.clients, args.questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
