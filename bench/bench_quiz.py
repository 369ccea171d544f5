"""Time to build a 100-question quiz over the whole corpus (target ≤ 5 s), repeated:
cold (the span bank rebuilt every time: what the first quiz of a process pays) and warm
(bank cached: every later quiz), plus the 实施意见 quiz and process start-up.

    python bench/bench_quiz.py [--index DIR] [--repeat 10]

Without --index the documents come from corpus/ (same sentences as an index by construction).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import peak_rss_mb, print_rows, summary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=None, help="an index folder; default: parse corpus/")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()

    started = time.perf_counter()
    from app.quiz import build_quiz
    from app.quiz import generate
    from indexer.tokenize import pos_tokens

    if args.index:
        from app.index import LoadedIndex
        source = LoadedIndex.load(args.index)
    else:
        from indexer.corpus import load_corpus
        source = load_corpus(ROOT / "corpus")
    first = build_quiz(source, n=args.n, seed=0)
    startup_s = time.perf_counter() - started

    def cold(seed: int) -> None:
        generate._BANKS.clear()
        pos_tokens.cache_clear()
        build_quiz(source, n=args.n, seed=seed)

    cold_ms = [_timed(lambda s=s: cold(s)) for s in range(1, args.repeat + 1)]
    warm_ms = [_timed(lambda s=s: build_quiz(source, n=args.n, seed=s))
               for s in range(1, args.repeat + 1)]
    jb_ms = [_timed(lambda s=s: build_quiz(source, doc_ids=["jingbanfa-2016-27"], n=args.n, seed=s))
             for s in range(1, args.repeat + 1)]
    print_rows([summary(f"{args.n} questions, whole corpus, cold bank", cold_ms),
                summary(f"{args.n} questions, whole corpus, warm", warm_ms),
                summary(f"{args.n} questions, 实施意见, warm", jb_ms)])
    print(f"start-up to first quiz (imports, corpus/index load, jieba, bank): {startup_s:.2f} s "
          f"({len(first.questions)} questions)")
    worst = max(max(cold_ms), max(warm_ms)) / 1000
    print(f"target ≤ 5 s per {args.n}-question quiz: {'met' if worst <= 5 else 'MISSED'} "
          f"(worst {worst:.2f} s)")
    print(f"peak RSS: {peak_rss_mb()} MB")


if __name__ == "__main__":
    main()
