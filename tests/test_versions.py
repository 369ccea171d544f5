"""What a revision changed, read off the two versions of the 发展党员工作细则."""

from __future__ import annotations

from app.versions import kept_sentences


def _rows(index, key):
    return [i for i, s in enumerate(index.sentences) if s.key == key]


def test_a_sentence_the_revision_kept_is_told_from_one_it_added(assistant):
    index = assistant.index
    kept = kept_sentences(index)
    new_14 = _rows(index, ("fazhan-dangyuan-2026", "14"))
    texts = {index.sentences[i].text: bool(kept[i]) for i in new_14}
    # worded as in 2014 but for 可 -> 可以: kept; the sentence on 警告 处分 is new
    assert texts["入党介绍人一般由培养联系人担任，也可以由党组织指定。"] is True
    assert texts["受警告、严重警告、撤销党内职务处分在影响期内的党员，不宜作入党介绍人。"] is False
    # a document with no other version keeps nothing
    assert not kept[_rows(index, ("cishan-fa-2023", "27"))].any()


def test_a_question_on_what_changed_ranks_the_changed_rule_first(assistant):
    """第9条's item 「向党支部提出能否将入党积极分子列为发展对象的意见」 is worded alike in both
    versions and matched the question best; 第13条, which the revision changed (公示), is
    what answers it."""
    answer = assistant.ask("入党积极分子列为发展对象，新版细则跟老版比多了啥程序")
    assert answer.retrieved[0].article == "13"
    assert "公示期不少于五个工作日" in answer.answer
    # asked about the rule, not what changed, 第9条 still answers as before
    plain = assistant.ask("谁向党支部提出能否将入党积极分子列为发展对象的意见")
    assert plain.retrieved[0].article == "9"


def test_a_comparison_naming_one_version_quotes_the_other_too(assistant):
    """「2014年版和现在的细则比」 names only the 2014 version; asking what changed, it asks of
    the current one as well, which is not pushed down as a version nobody asked for."""
    answer = assistant.ask("2014年版和现在的细则比，入党宣誓的时间要求变了没")
    assert {(c.doc_id, c.article) for c in answer.citations} == {
        ("fazhan-dangyuan-2014", "30"), ("fazhan-dangyuan-2026", "29")}
    assert "一个月内" in answer.answer
