"""Every docstring example in app/, indexer/ and evals/ runs and holds; those that need an
index use the session's real one (through $TIAOWEN_INDEX_DIR, as a user's shell would)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import app
import evals
import indexer


def _modules_with_examples() -> list[str]:
    names = [name for package in (app, indexer, evals)
             for _, name, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    finder = doctest.DocTestFinder()
    return [name for name in sorted(names)
            if any(test.examples for test in finder.find(importlib.import_module(name)))]


@pytest.mark.parametrize("module", _modules_with_examples())
def test_docstring_examples_hold(module, built_index, monkeypatch):
    monkeypatch.setenv("TIAOWEN_INDEX_DIR", str(built_index))
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed (output above)"
