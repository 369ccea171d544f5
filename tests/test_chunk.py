"""Chunking: nodes split at 款 boundaries, sentences, and the texts their vectors encode."""

from __future__ import annotations

import pytest

from indexer.chunk import (EMBED_BODY_CHARS, MAX_NODE_CHARS, article_nodes, article_sentences,
                           context_title, sentence_embed_text, split_sentences)
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
