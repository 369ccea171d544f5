"""The statute corpus at scale (~1,400 documents, ~65k articles): import and parse time, jieba
BM25 build time, and BM25 query latency (p50/p95) over the eval questions, with the bundled
corpus's BM25 of the same questions as the in-process baseline; plus peak memory.

No embedding: only the lexical side of the index is built.

    python bench/bench_scale.py [--src ../shared/lawcorpus] [--questions 200] [--passes 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import lawcorpus_dir, peak_rss_mb, print_rows, summary  # noqa: E402


def query_times(index, questions: list[str], passes: int) -> list[float]:
    """Milliseconds per query: BM25 scores over every article, ranked as the app ranks them."""
    import numpy as np

    times = []
    for _ in range(passes):
        for q in questions:
            t = time.perf_counter()
            scores = index.scores(q)
            np.argsort(-scores, kind="stable")[:5]
            times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", default=str(lawcorpus_dir()),
                        help="LawRefBook/Laws Markdown folder")
    parser.add_argument("--corpus", default=str(ROOT / "corpus"), help="baseline corpus")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--passes", type=int, default=3)
    args, _ = parser.parse_known_args()  # `make bench` passes --index to every script
    if not Path(args.src).is_dir():
        print(f"skipped: no statute corpus at {args.src}")
        return
    from evals.datasets import load_questions
    from indexer.bm25 import JiebaBM25
    from indexer.corpus import load_corpus
    from indexer.importer import import_statutes
    from indexer.tokenize import load_dictionary

    questions = [q["question"] for q in load_questions()][:args.questions]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        report = import_statutes(args.src, tmp)
        import_s = time.perf_counter() - t
        t = time.perf_counter()
        docs = load_corpus(tmp)
        load_s = time.perf_counter() - t
    articles = sum(len(d.articles) for d in docs)
    print(f"import: {import_s:.2f} s ({report.summary()})")
    print(f"load_corpus: {load_s:.2f} s ({len(docs)} documents, {articles} articles; "
          f"peak RSS so far {peak_rss_mb()} MB)")

    load_dictionary()  # as indexer/build.py does before building BM25
    base_docs = load_corpus(args.corpus)
    t = time.perf_counter()
    base = JiebaBM25.from_documents(base_docs)
    base_build_s = time.perf_counter() - t
    t = time.perf_counter()
    scale = JiebaBM25.from_documents(docs)
    build_s = time.perf_counter() - t
    print(f"BM25 build: {build_s:.1f} s for {scale.size} articles "
          f"(bundled corpus: {base_build_s:.2f} s for {base.size}); peak RSS so far {peak_rss_mb()} MB")

    # one untimed pass each: jieba's token cache then holds every question for both indexes
    query_times(base, questions, 1), query_times(scale, questions, 1)
    rows = [summary(f"statutes ({scale.size} articles)", query_times(scale, questions, args.passes)),
            summary(f"bundled corpus ({base.size} articles, baseline)",
                    query_times(base, questions, args.passes))]
    print(f"BM25 query latency, {len(questions)} questions x {args.passes} passes:")
    print_rows(rows)
    print(f"ratio statutes/bundled p50: {rows[0]['p50_ms'] / rows[1]['p50_ms']:.1f}x; "
          f"p95: {rows[0]['p95_ms'] / rows[1]['p95_ms']:.1f}x")
    print(f"peak RSS: {peak_rss_mb()} MB")


if __name__ == "__main__":
    main()
