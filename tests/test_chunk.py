"""Chunking: nodes split at 款 boundaries, sentences, and the texts their vectors encode."""

from __future__ import annotations

import pytest

from indexer.chunk import (EMBED_BODY_CHARS, LONG_SENTENCE_CHARS, MAX_NODE_CHARS, MIN_WINDOW_CHARS,
                           article_nodes, article_sentences, context_title, sentence_embed_text,
                           sentence_windows, split_sentences)
from indexer.corpus import load_corpus

from conftest import CORPUS


@pytest.fixture(scope="module")
def corpus():
    return {d.doc_id: d for d in load_corpus(CORPUS)}


def _all_articles(corpus):
    return [(doc, article) for doc in corpus.values() for article in doc.articles]


def test_sentences_keep_their_punctuation_and_closing_quotes():
    assert split_sentences("党员必须履行义务。“三会一课”要落实！并按期换届") == [
        "党员必须履行义务。", "“三会一课”要落实！", "并按期换届"]


def test_long_articles_split_at_paragraphs_and_lose_no_text(corpus):
    split = 0
    for doc, article in _all_articles(corpus):
        nodes = article_nodes(doc, article)
        title = context_title(doc, article)
        bodies = [n.text.removeprefix(f"{title}\n") for n in nodes]
        assert "\n".join(bodies) == "\n".join(article.paragraphs)
        for body in bodies:
            # a piece only exceeds the limit when a single paragraph does
            assert len(body) <= MAX_NODE_CHARS or body in article.paragraphs
        split += len(nodes) > 1
    assert split >= 10  # the 意见's long items and 慈善法's long articles


def test_article_vector_encodes_title_and_opening(corpus):
    doc = corpus["jingbanfa-2016-27"]
    article = doc.article("4")
    node = article_nodes(doc, article)[0]
    assert len(node.text) > len(node.embed_text)
    assert node.embed_text == f"{context_title(doc, article)}\n{node.text.split(chr(10), 1)[1][:EMBED_BODY_CHARS]}"
    assert "明确管理体制" in node.embed_text  # the item title stays in what is embedded


def test_one_sentence_article_shares_its_sentence_vector(corpus):
    shared = 0
    for doc, article in _all_articles(corpus):
        sentences = article_sentences(article)
        nodes = article_nodes(doc, article)
        if len(sentences) == 1 and len(nodes) == 1:
            assert nodes[0].embed_text == sentence_embed_text(doc, article, sentences[0].text)
            shared += 1
        else:
            assert all(n.embed_text.startswith(context_title(doc, article)) for n in nodes)
    assert shared > 100  # about a third of all articles: that many fewer texts to embed


def test_long_sentences_are_covered_by_clause_windows(corpus):
    long = [s.text for _, a in _all_articles(corpus) for s in article_sentences(a)
            if len(s.text) > LONG_SENTENCE_CHARS]
    assert long  # the 意见's item 2 alone is one sentence of over 300 characters
    windowed = 0
    for text in long:
        windows = sentence_windows(text)
        if windows:
            windowed += 1
            assert "".join(windows) == text  # whole clauses, in order, nothing lost
            assert len(windows) > 1 and all(len(w) >= MIN_WINDOW_CHARS for w in windows)
    assert windowed > 50


def test_a_short_tail_joins_the_window_before_it():
    text = "坚持党的领导，" * 15 + "等。"
    windows = sentence_windows(text)
    assert windows[-1].endswith("坚持党的领导，等。") and "".join(windows) == text
    assert sentence_windows("甲" * 120 + "。") == []  # no clauses: no second vector of the same text
