"""Evaluation harness for tiaowen (metrics live in :mod:`evals.metrics`)."""
