"""Indexer: parse corpus documents into articles, chunk, embed and store them."""
