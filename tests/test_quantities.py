"""Quantities written in digits, Chinese numerals or as halves match one another."""

from __future__ import annotations

import pytest

from indexer.bm25 import JiebaBM25
from indexer.quantities import matchable, quantity_tokens, stated_head_counts, written_quantity
from indexer.tokenize import (bm25_query_tokens, bm25_tokens, load_dictionary, match_terms,
                               question_terms, tokenize)


@pytest.mark.parametrize("written, token", [
    ("正式党员3人以上", "#3人"), ("三名以上正式党员", "#3人"), ("5位理事", "#5人"),
    ("连续六个月", "#6月"), ("6个月", "#6月"), ("半年", "#6月"), ("一年半", "#18月"),
    ("年满十八岁", "#18岁"), ("18周岁", "#18岁"), ("三十日内", "#30日"), ("30天", "#30日"),
    ("十个工作日", "#10工作日"), ("800万元", "#800万元"), ("一百二十元", "#120元"),
    ("每年不少于32学时", "#32学时"), ("延长一次", "#1次"),
    ("两个党员", "#2人"), ("就俩党员", "#2人"), ("3个正式党员", "#3人"), ("3位理事", "#3人"),
    ("每年一次", "#1次"), ("每月1次", "#1次"), ("6 个月", "#6月"),
])
def test_each_way_of_writing_reads_as_one_token(written, token):
    assert quantity_tokens(written) == [token]


@pytest.mark.parametrize("text", [
    "2016年3月1日起施行", "二〇一六年三月一日", "于5月31日", "到二〇三五年",   # dates and years
    "第三年", "第二十次", "第十二个月", "第二十个工作日",                       # ordinals
    "1.5万元",                                   # not the 5 of a decimal
    "两个方面", "一个支部", "有50个以上的个人会员",  # 个 counts no quantity
    "五位一体", "两个项目", "一元化", "两个名额",    # a unit character beginning another word
    "上半年",                                    # a part of the year, not six months
])
def test_dates_ordinals_and_bare_counts_are_no_quantities(text):
    assert quantity_tokens(text) == []


def test_quantities_in_order_and_halves_not_read_twice():
    assert quantity_tokens("预备期满一年，可延长半年，最长不超过一年半") == ["#1年", "#6月", "#18月"]


def test_numbers_inside_quantities_give_way_to_their_token():
    assert written_quantity("十八", "年满十八岁") and written_quantity("六个月", "连续六个月")
    assert not written_quantity("2022", "2022年以来") and not written_quantity("一先", "两优一先")
    load_dictionary()
    assert "#18岁" in match_terms("入党要满18岁吗") and "18" not in match_terms("入党要满18岁吗")
    assert "2022" in match_terms("2022年世界杯冠军")  # a year stays a term of its own
    assert all(t in matchable("连续六个月不交纳党费") for t in match_terms("六个月不交纳党费"))


def test_bm25_matches_digits_to_chinese_numerals():
    index = JiebaBM25.from_texts(["党员连续六个月不交纳党费的，视为自动脱党。",
                                  "党员应当按期交纳党费。",
                                  "年满十八岁的中国工人可以申请入党。"])
    assert int(index.scores("党员6个月不交党费").argmax()) == 0
    assert int(index.scores("党员半年没交党费").argmax()) == 0
    assert int(index.scores("18岁能申请入党吗").argmax()) == 2
    # the plain tokens of 「6个月」 (6, 月) miss 「六个月」: the quantity token makes the difference
    assert int(index.scores(tokenize("党员6个月不交党费")).argmax()) != 0


def test_a_head_count_stated_as_a_case_is_told_from_a_threshold():
    assert stated_head_counts("我们协会就2个正式党员") == {"#2人"}
    assert stated_head_counts("正式党员3人以上的单位") == set()
    assert stated_head_counts("超过50人的党支部") == set()
    assert stated_head_counts("有正式党员不足3人") == set()
    # a threshold the question quotes is a search key, the asker's own count is not
    assert "#3人" in bm25_query_tokens("正式党员3人以上的单位要建支部吗")


def test_a_head_count_in_a_question_is_no_search_key():
    """「就2个正式党员」 describes the asker's case; as a BM25 key it found the rule on 两名
    正式党员 as 入党介绍人 instead of the rule for units with fewer than three."""
    question = "我们就2个正式党员能建支部吗"
    assert "#2人" in bm25_tokens(question) and "#2人" not in bm25_query_tokens(question)
    index = JiebaBM25.from_texts(["发展对象应当有两名正式党员作入党介绍人。",
                                  "正式党员不足3人的单位，应当按照地域相邻的原则建立联合党支部。"])
    assert int(index.scores(question).argmax()) == 1
    assert int(index.scores(bm25_tokens(question)).argmax()) == 0


def test_a_period_asked_a_count_of_times_for_is_searched_as_a_frequency():
    """「一个月开几次」 asks how often: as the duration 「一个月」 it found the time limit
    「一个月内派人谈话」 instead of the rule 「每月召开1次」."""
    question = "支委会一个月开几次"
    tokens = bm25_query_tokens(question)
    assert "每月" in tokens and "一个月" not in tokens and "#1月" not in tokens
    assert "每月" in question_terms(question) and "#1月" not in question_terms(question)
    index = JiebaBM25.from_texts(["党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话。",
                                  "党支部委员会会议一般每月召开1次。"])
    assert int(index.scores(question).argmax()) == 1
    # a duration with no count of times asked stays one
    assert "#1月" in bm25_query_tokens("一个月内要谈话吗")
    assert "#1月" in bm25_query_tokens("申请书交了一个月了，谈话几次")
