"""Two processes on the same cores: `ask` latency while another process embeds (a rebuild
under a running web service), with the project's OpenMP spin setting and with libgomp's
default, each against the same process's latency with the cores to itself.

    python bench/bench_contention.py --index .index [--texts 150] [--asks 150]

Each setting runs in fresh processes (libgomp reads it when the engine loads): an asker that
measures warm `ask` alone (baseline) and then while a builder process embeds `--texts`
passages; the builder's time is reported alone and under contention. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import print_rows, summary  # noqa: E402

LIBGOMP_DEFAULT = "300000"  # with OMP_WAIT_POLICY unset (libgomp manual, GOMP_SPINCOUNT)
PASSAGE = "社会组织党组织应当按期换届，换届选举结果报上级党组织审批，并向登记管理机关备案。"


def run_builder(texts: int) -> None:
    from indexer.embed import make_embedding

    model = make_embedding()
    started = time.perf_counter()
    model.get_text_embedding_batch([f"{i}. {PASSAGE * 2}" for i in range(texts)])
    print(f"{time.perf_counter() - started:.2f}", flush=True)


def run_asker(index: str | None, asks: int, texts: int, env: dict) -> None:
    from app.assistant import Assistant
    from evals.datasets import load_questions

    assistant = Assistant.load(index)
    questions = [q["question"] for q in load_questions()][:asks]
    for q in questions[:20]:
        assistant.ask(q)
    alone = [assistant.ask(q).latency_ms for q in questions]
    builder = subprocess.Popen([sys.executable, __file__, "--role", "builder", "--texts", str(texts)],
                               env=env, stdout=subprocess.PIPE, text=True)
    during: list[float] = []
    while builder.poll() is None:
        during += [assistant.ask(q).latency_ms for q in questions[:10]]
    rows = [summary("ask alone (baseline)", alone), summary("ask while another process embeds", during)]
    print_rows(rows)
    print(f"ratio p50: {rows[1]['p50_ms'] / rows[0]['p50_ms']:.2f}; p95: {rows[1]['p95_ms'] / rows[0]['p95_ms']:.2f}")
    print(f"builder under contention: {builder.stdout.read().strip()} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=None)
    parser.add_argument("--texts", type=int, default=150)
    parser.add_argument("--asks", type=int, default=150)
    parser.add_argument("--role", choices=["main", "asker", "builder"], default="main")
    parser.add_argument("--spin", default="", help="measure this GOMP_SPINCOUNT only")
    args = parser.parse_args()
    if args.role == "builder":
        return run_builder(args.texts)
    if args.role == "asker":
        return run_asker(args.index, args.asks, args.texts, dict(os.environ))
    from indexer.embed import SPIN_COUNT

    settings = [(f"GOMP_SPINCOUNT={SPIN_COUNT} (project)", SPIN_COUNT),
                (f"GOMP_SPINCOUNT={LIBGOMP_DEFAULT} (libgomp's default)", LIBGOMP_DEFAULT)]
    for name, spin in settings if not args.spin else [(f"GOMP_SPINCOUNT={args.spin}", args.spin)]:
        env = {**os.environ, "GOMP_SPINCOUNT": spin}
        print(f"== {name}", flush=True)
        alone = subprocess.run([sys.executable, __file__, "--role", "builder", "--texts", str(args.texts)],
                               env=env, capture_output=True, text=True).stdout.strip()
        print(f"builder alone: {alone} s", flush=True)
        subprocess.run([sys.executable, __file__, "--role", "asker", "--texts", str(args.texts),
                        "--asks", str(args.asks), *(["--index", args.index] if args.index else [])],
                       env=env, check=True)


if __name__ == "__main__":
    main()
