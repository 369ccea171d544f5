"""Head counts in questions and thresholds in rules (no index needed)."""

from __future__ import annotations

import pytest

from app.counts import Count, count_conditions, stated_counts


@pytest.mark.parametrize("question, counts", [
    ("我们协会只有两个党员，能不能建支部？", [Count(2, "党员")]),
    ("支部有5名正式党员", [Count(5, "党员")]),
    ("单位一个党员都没有", [Count(0, "党员")]),
    ("我们就俩党员", [Count(2, "党员")]),        # spoken 俩 = 两个
    ("理事会有十二位理事", [Count(12, "理事")]),
    ("党员连续6个月不交党费", []),  # a period, not people
])
def test_stated_counts(question, counts):
    assert stated_counts(question) == counts


@pytest.mark.parametrize("sentence, conditions", [
    ("正式党员不足3人的单位，应当成立联合党支部。", [("<", 3)]),
    ("凡有三名以上正式党员的社会组织，都要设立党组织。", [(">=", 3)]),
    ("党支部委员会由3至5人组成，一般不超过7人。", []),   # a cap, not whom the rule is for
    ("委员不超过7人的党支部。", [("<=", 7)]),
    ("超过50人的党支部可以划分党小组。", [(">", 50)]),
    ("外出学习、工作6个月以上的党员。", []),  # a duration, not a head count
])
def test_count_conditions(sentence, conditions):
    assert count_conditions(sentence) == conditions


def test_count_fits_only_rules_about_the_same_people():
    two = Count(2, "党员")
    assert two.fits("正式党员不足3人的单位，应当成立联合党支部。") is True
    assert two.fits("有正式党员7人以上的党支部，应当设立党支部委员会。") is False
    assert two.fits("党支部委员会由3至5人组成，一般不超过7人。") is None
    assert Count(4, "人").fits("超过3人的小组，应当选组长。") is True
    # 「党员人数一般不超过50人」 caps every branch; two members do not make it apply
    assert two.fits("党支部党员人数一般不超过50人。") is None


def test_a_threshold_counts_the_people_named_beside_it():
    two = Count(2, "党员")
    assert two.fits("党支部党员大会讨论两个以上的发展对象入党时，必须逐个讨论和表决。") is None
    assert two.fits("有正式党员7人以上的党支部，应当设立党支部委员会。") is False
