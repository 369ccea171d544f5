"""Full index build and incremental re-index after changing one document, in a scratch
folder, with the parse-only time of the same corpus as the in-process baseline.

    python bench/bench_build.py [--corpus corpus]

Also embeds a sample of the texts as the build does and one per engine call (the baseline).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import peak_rss_mb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent / "corpus"))
    parser.add_argument("--change", default="cishan-fa-2023.txt", help="file edited for the incremental run")
    args, _ = parser.parse_known_args()
    from indexer.build import build_index
    from indexer.corpus import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(args.corpus, corpus)
        t = time.perf_counter()
        load_corpus(corpus)
        parse_s = time.perf_counter() - t
        t = time.perf_counter()
        full = build_index(corpus, Path(tmp) / "index", progress=False)
        full_s = time.perf_counter() - t
        path = corpus / args.change
        text = path.read_text(encoding="utf-8")
        # change one article's wording, as an editor correcting a typo would
        first = text.index("\n第一条", text.index("\n---\n")) + len("\n第一条 ")
        path.write_text(text[:first] + "（修订）" + text[first:], encoding="utf-8")
        t = time.perf_counter()
        incremental = build_index(corpus, Path(tmp) / "index", progress=False)
        incremental_s = time.perf_counter() - t
    print(f"parse only (baseline): {parse_s:.2f} s")
    print(f"full build: {full_s:.1f} s ({full.manifest.nodes} nodes + {full.manifest.sentences} sentences + "
          f"{full.manifest.asked} asked questions, "
          f"{full.manifest.embedded} distinct texts embedded; "
          f"{full_s / parse_s:.0f}x parse)")
    print(f"incremental after editing {args.change}: {incremental_s:.1f} s "
          f"(embedded {incremental.manifest.embedded}, reused {incremental.manifest.reused}; "
          f"{incremental_s / full_s:.2%} of full)")
    print(embedding_calls(args.corpus))
    print(f"peak RSS: {peak_rss_mb()} MB")


def embedding_calls(corpus: str, every: int = 10) -> str:
    """Every `every`-th distinct text of the corpus embedded as the build does (64 texts per
    engine call) and one text per call, the baseline, in this process."""
    from indexer.build import _records
    from indexer.corpus import load_corpus
    from indexer.embed import make_embedding

    articles, sentences = _records(load_corpus(corpus))
    texts = list(dict.fromkeys(r.embed_text for r in articles + sentences))[::every]
    model = make_embedding()
    t = time.perf_counter()
    model.get_text_embedding_batch(texts)
    batched = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        model.get_text_embedding(text)
    single = time.perf_counter() - t
    return (f"embedding {len(texts)} texts: {batched:.1f} s batched, {single:.1f} s one per call "
            f"(batched/single {batched / single:.2f})")


if __name__ == "__main__":
    main()
