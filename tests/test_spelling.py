"""Homophone typo correction: slips typed with a pinyin IME are read as corpus terms; real
words, even rare ones, are left alone."""

from __future__ import annotations

import pytest

from app.records import Correction
from app.spelling import HomophoneCorrector, sound


@pytest.fixture(scope="module")
def corrector(assistant):
    return assistant.index.corrector


def test_sound_is_toneless_pinyin_per_character():
    assert sound("党小组") == sound("党小阻") == ("dang", "xiao", "zu")


@pytest.mark.parametrize("typed, read_as, slip", [
    ("党小阻会多久开一次", "党小组会多久开一次", "党小阻"),
    ("社会组织党组织要不要按期换界", "社会组织党组织要不要按期换届", "换界"),
    ("要不断提高智度化、规范化水平", "要不断提高制度化、规范化水平", "智度化"),
    ("磁善组织的重大投资方案要多少人同意", "慈善组织的重大投资方案要多少人同意", "磁善组织"),
    ("党总枝能不能审批预备党员", "党总支能不能审批预备党员", "党总枝"),  # 党总支能 is nowhere
    # jieba joins 几 to the slip (几季 + 渡); 几 asks the numeral the corpus writes (第四季度)
    ("民主评议一般在第几季渡搞", "民主评议一般在第几季度搞", "季渡"),
])
def test_slips_are_read_as_the_corpus_term(corrector, typed, read_as, slip):
    text, corrections = corrector.correct(typed)
    assert text == read_as
    assert [c.typed for c in corrections] == [slip]


@pytest.mark.parametrize("question", [
    "小型社会组织党建由谁兜底？",           # plain question
    "已经受理的，裁定中止诉讼",             # 中止 sounds like the corpus's 终止
    "检察机关决定不起诉的怎么办",           # 检察 sounds like 检查
    "逾期仍不缴纳的，按日加收滞纳金",        # 缴纳 sounds like 交纳
    "支部工作条例从哪天开始施行",           # 始施 crosses two words
    "我们基金会理事里有一对父子，这样可以吗",   # 里有 sounds like 理由
    "Python里怎么把一个列表倒序",
])
def test_real_words_are_left_alone(corrector, question):
    assert corrector.correct(question) == (question, [])


@pytest.mark.parametrize("typed, read_as", [
    ("协会和主管部门脱了钩，党建归谁管", "协会和主管部门脱钩，党建归谁管"),
    ("他去年刚转了正", "他去年刚转正"),
    ("支部换过届没有", "支部换届没有"),
])
def test_a_word_split_by_an_aspect_particle_is_read_whole(corrector, typed, read_as):
    assert corrector.correct(typed)[0] == read_as


@pytest.mark.parametrize("question", ["新细则是不是规定了时间", "党员交了费没有", "会上说了算"])
def test_a_particle_between_two_words_joins_nothing(corrector, question):
    assert corrector.correct(question) == (question, [])


def test_the_joined_word_finds_the_rule_using_it(assistant):
    answer = assistant.ask("协会脱了钩以后党的工作没人管了吗")
    assert answer.corrections == [Correction("脱了钩", "脱钩")]
    assert (answer.retrieved[0].doc_id, answer.retrieved[0].article) == ("jingbanfa-2016-27", "17")


def test_only_terms_used_in_several_articles_are_targets():
    corrector = HomophoneCorrector({"党小组": 1}, "党小组会一般每月召开1次。")
    assert corrector.correct("党小阻会多久开一次") == ("党小阻会多久开一次", [])


def test_answer_reports_how_the_question_was_read(assistant):
    answer = assistant.ask("党小阻会多久开一次")
    assert not answer.refused
    assert answer.corrections == [Correction("党小阻", "党小组")]
    assert answer.correction_note == "已按“党小组”理解“党小阻”。"
    assert answer.citations[0].ref == "《支部工作条例》第13条"
    assert answer.to_json()["corrections"] == [{"typed": "党小阻", "read_as": "党小组"}]
    assert answer.question == "党小阻会多久开一次"  # the record keeps what was typed
    assert assistant.ask("党小组会多久开一次").corrections == []
