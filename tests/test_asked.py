"""Asked questions (corpus/asked/*.tsv): loaded, checked, indexed, ranked by, kept fresh."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.answer import AnswerPolicy, AnswerSelector
from app.assistant import Assistant
from app.index import IndexUnavailable, LoadedIndex
from app.retrieve import HybridRetriever
from indexer.asked import UnansweredQuestion, load_asked, load_unanswered
from indexer.build import build_index
from indexer.corpus import load_corpus
from indexer.parse import CorpusError

# 第二十一条 …任何单位和个人不得侵占、私分或者挪用民办非企业单位的资产: the question words
# it as staff do, and shares none of its words with the article
QUESTION = "理事长把单位的钱拿回家用了"
ASKED = "21\t单位的钱能不能被哪个领导私下拿去用\n13\t我们民非想在别的区再开一家分店挂牌，行不行？\n"


def _write_asked(corpus, text):
    folder = corpus / "asked"
    folder.mkdir(exist_ok=True)
    (folder / "minfei-dengji-1998.tsv").write_text("# 工作人员的问法\n" + text, encoding="utf-8")


def _rank_of(retriever, question, article):
    order = [retriever.index.articles[int(r)].key for r in retriever.rank(question).order]
    return order.index(("minfei-dengji-1998", article))


def test_asked_questions_rank_their_article_and_an_edit_reindexes_only_them(small_corpus, tmp_path):
    _write_asked(small_corpus, ASKED)
    index_dir = tmp_path / "index"
    first = build_index(small_corpus, index_dir, progress=False)
    assert (first.manifest.asked, first.manifest.document_count) == (2, 2)
    index = LoadedIndex.load(index_dir)
    assert index.asked_vectors.shape == (2, 384)
    assert [index.articles[r].article_id for r in index.asked_article] == ["21", "13"]
    assert index.asked_texts == ["单位的钱能不能被哪个领导私下拿去用", "我们民非想在别的区再开一家分店挂牌，行不行？"]

    retriever = HybridRetriever.from_defaults(index)
    assert _rank_of(retriever, QUESTION, "21") == 0
    without = HybridRetriever(index, retriever.embedding,
                              dataclasses.replace(retriever.weights, asked=0.0, asked_bm25=0.0))
    assert _rank_of(without, QUESTION, "21") > 2

    _write_asked(small_corpus, ASKED + "13\t民非可以设分支机构吗\n")
    with pytest.raises(IndexUnavailable, match="asked/minfei-dengji-1998.tsv"):
        LoadedIndex.load(index_dir)
    again = build_index(small_corpus, index_dir, progress=False)
    assert again.changed == ["asked/minfei-dengji-1998.tsv"]
    assert again.manifest.embedded == 1  # the new question; every other text is reused
    assert again.manifest.reused == first.manifest.embedded
    assert LoadedIndex.load(index_dir).asked_vectors.shape == (3, 384)


def test_an_asked_question_is_never_quoted(assistant):
    # a bundled asked question of 民非条例 第十三条, asked as written
    answer = assistant.ask("我们民非想在另一个区开个分部，可以吗？")
    assert not answer.refused
    assert "民办非企业单位不得设立分支机构" in answer.answer and "分部" not in answer.answer
    assert (answer.citations[0].doc_id, answer.citations[0].article) == ("minfei-dengji-1998", "13")


def test_a_close_asked_question_lends_its_wording_to_coverage(assistant):
    """「压力很大、情绪低落」 is no word of 《实施意见》第9条 (…加强人文关怀和心理疏导…): by its words
    alone the question covers too little of the article to be answered. An asked question of
    the article worded as staff word it is close enough to lend its words; the answer still
    quotes only the article."""
    question = "单位员工最近压力很大、情绪低落，党组织要不要过问？"
    answer = assistant.ask(question)
    assert not answer.refused
    assert (answer.citations[0].doc_id, answer.citations[0].article) == ("jingbanfa-2016-27", "9")
    assert "心理疏导" in answer.answer and "情绪" not in answer.answer

    strict = Assistant(assistant.index, assistant.retriever,
                       AnswerSelector(assistant.index, AnswerPolicy(asked_close=1.01)))
    assert strict.ask(question).refused


def test_unanswered_questions_are_indexed_beside_the_asked_ones(small_corpus, tmp_path):
    _write_asked(small_corpus, ASKED)
    (small_corpus / "asked" / "unanswered.tsv").write_text(
        "# 工作人员常问、条文没有回答的\n年检费用\t社团年检要交多少钱\n", encoding="utf-8")
    result = build_index(small_corpus, tmp_path / "index", progress=False)
    assert (result.manifest.asked, result.manifest.unanswered) == (2, 1)
    index = LoadedIndex.load(tmp_path / "index")
    assert index.unanswered == [UnansweredQuestion("年检费用", "社团年检要交多少钱")]
    assert index.unanswered_vectors.shape == (1, 384)
    # not an asked question of any article, nor searched as one
    assert len(index.asked_texts) == 2 and len(index.asked_bm25.scores(["年检"])) == 2
    ranking = HybridRetriever.from_defaults(index).rank("社会团体年检收费吗")
    assert ranking.unanswered_cos.shape == (1,) and ranking.unanswered_cos[0] > 0.9


def test_a_bad_unanswered_line_names_its_file_and_line(small_corpus):
    (small_corpus / "asked").mkdir()
    (small_corpus / "asked" / "unanswered.tsv").write_text("党费比例\t党费交几成\n没有制表符\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"unanswered.tsv 第2行.*话题<TAB>问题"):
        load_unanswered(small_corpus)
    (small_corpus / "asked" / "unanswered.tsv").write_text("党费比例\t党费交几成\n", encoding="utf-8")
    assert load_unanswered(small_corpus) == [UnansweredQuestion("党费比例", "党费交几成")]


def test_a_question_nearer_to_one_no_article_answers_is_refused(assistant):
    """慈善法 66 records volunteers' 服务时间; how a member logs hours on the 志愿北京 platform is
    nearer to what staff ask and no article answers (asked/unanswered.tsv) than to any asked
    question of an article."""
    question = "党员去志愿北京平台登记服务时长怎么弄"
    answer = assistant.ask(question)
    assert answer.refused and "志愿北京" in answer.unanswered_like
    assert answer.unanswered_like in {q.text for q in assistant.index.unanswered}
    assert answer.to_json()["unanswered_like"] == answer.unanswered_like
    assert answer.unanswered_note.startswith("相近的常见问题「")
    lax = Assistant(assistant.index, assistant.retriever,
                    AnswerSelector(assistant.index, AnswerPolicy(unanswered_margin=1.0)))
    assert not lax.ask(question).refused


def test_an_unanswered_question_asking_a_number_refuses_no_yes_no_question(assistant):
    """「党员数量多少人以上…必须配专职副书记」 is unanswered, 「是不是得配」 is answered (实施意见 15):
    the nearer unanswered question asks a number, this one does not."""
    question = "党员人数多的大社会组织，是不是得配个专职的副书记"
    ranking = assistant.retriever.rank(question)
    margin = assistant.selector.policy.unanswered_margin
    assert ranking.unanswered_cos.max() >= ranking.asked_cos.max() + margin
    answer = assistant.ask(question)
    assert not answer.refused and "应配备专职副书记" in answer.answer
    assert (answer.citations[0].doc_id, answer.citations[0].article) == ("jingbanfa-2016-27", "15")


@pytest.mark.parametrize("line, message", [
    ("99\t第九十九条问什么", r"minfei-dengji-1998.tsv 第2行.*没有第 99 条"),
    ("13 没有制表符", r"minfei-dengji-1998.tsv 第2行.*条号<TAB>问题"),
])
def test_a_bad_asked_line_names_its_file_and_line(small_corpus, line, message):
    _write_asked(small_corpus, line + "\n")
    with pytest.raises(CorpusError, match=message):
        load_asked(small_corpus, load_corpus(small_corpus))


def test_asked_questions_of_a_document_not_in_the_corpus_are_refused(small_corpus):
    (small_corpus / "asked").mkdir()
    (small_corpus / "asked" / "dangzhang-2022.tsv").write_text("1\t党员要几岁\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="语料中没有文件 dangzhang-2022"):
        load_asked(small_corpus, load_corpus(small_corpus))


def test_every_bundled_asked_question_names_an_article_of_its_document():
    from tests.conftest import CORPUS

    asked = load_asked(CORPUS, load_corpus(CORPUS))
    docs = {q.doc_id for q in asked}
    assert len(asked) > 2000 and len(docs) == 10


def test_signal_weights_are_relative(assistant):
    """Doubling every signal weight changes nothing: the signals present always weigh 1 in all,
    the scale the bonuses are set against, with or without the asked questions (a question
    naming a version is ranked without them)."""
    retriever = assistant.retriever
    w = retriever.weights
    doubled = HybridRetriever(retriever.index, retriever.embedding, dataclasses.replace(
        w, sentence=2 * w.sentence, article=2 * w.article, bm25=2 * w.bm25,
        asked=2 * w.asked, asked_bm25=2 * w.asked_bm25))
    for question in ("我们民非想在另一个区开个分部，可以吗？", "2014年版细则里，确定发展对象前要公示吗"):
        assert np.allclose(doubled.rank(question).scores, retriever.rank(question).scores, atol=1e-4)
