"""Warm `ask` latency (p50/p95) over the eval questions, against a BM25-only baseline run in
the same process, plus start-up time and peak memory.

    python bench/bench_ask.py --index .index [--passes 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import peak_rss_mb, print_rows, summary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=None)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    from app.assistant import Assistant
    from app.retrieve import FusionWeights, HybridRetriever
    from evals.datasets import load_questions

    assistant = Assistant.load(args.index)
    first = assistant.ask("小型社会组织党建由谁兜底?")
    startup_s = time.perf_counter() - started
    baseline = Assistant(assistant.index, HybridRetriever(
        assistant.index, assistant.retriever.embedding, FusionWeights.only("bm25")),
        assistant.selector)
    questions = [q["question"] for q in load_questions()]
    for q in questions[:20]:  # warm caches of both paths
        assistant.ask(q), baseline.ask(q)
    product, bm25 = [], []
    for _ in range(args.passes):
        for q in questions:
            product.append(assistant.ask(q).latency_ms)
            bm25.append(baseline.ask(q).latency_ms)
    rows = [summary("hybrid (product)", product), summary("bm25 only (baseline)", bm25)]
    print_rows(rows)
    print(f"ratio p50 hybrid/bm25: {rows[0]['p50_ms'] / rows[1]['p50_ms']:.2f}; "
          f"p95: {rows[0]['p95_ms'] / rows[1]['p95_ms']:.2f}")
    print(f"start-up to first answer: {startup_s:.2f} s (first answer refused={first.refused})")
    print(f"peak RSS: {peak_rss_mb()} MB")


if __name__ == "__main__":
    main()
