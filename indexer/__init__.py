"""Indexer: parse corpus documents into articles, chunk, embed and store them."""

import os

# OpenBLAS worker threads spin after each call and starve the embedding engine's own threads
# (5x slower questions on 2 cores); our matrix products are far too small to need them.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
