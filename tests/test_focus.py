"""The asked-about noun of a question, and whether the corpus names it."""

from __future__ import annotations

import pytest

from app.answer import asked_type
from app.focus import AskedFocus, asked_nouns, asking_text
from indexer.tokenize import load_dictionary, match_terms

load_dictionary()

RULES = ["社会团体应当在业务主管单位审查同意后申请登记。",
         "支部委员会一般每季度召开一次会议。",
         "党员组织关系介绍信由党组织开具。"]


@pytest.mark.parametrize("question, nouns", [
    ("党旗的标准尺寸有哪几种规格", ["标准", "尺寸", "规格"]),  # before and after the question word
    ("开办幼儿园的办学许可证怎么申请", ["办学", "许可证"]),   # a compound as a whole
    ("市级协会能不能设立分会", ["协会", "分会"]),             # 市级 frames what is asked
    ("社会团体能不能做盈利性的生意", []),
    ("介绍信的有效期是多少天，到期怎么办", ["有效期"]),     # each clause on its own
    ("我们楼里有好几家协会", []),                            # 好几 asks nothing
    ("社会团体应当申请登记", []),                            # no question at all
    ("几乎所有会员都要参加大会吗", ["大会"]),                 # 几乎 asks nothing; 吗 does
    ("按党员人头一年最少给多少钱", []),                       # what a sum is counted by
    ("基金会理事一届能干几年", ["基金会", "理事"]),            # 能干 is 能 + 干, no noun
    ("党员的护照是不是要交给组织保管", ["护照"]),              # 是不是 asks as 是否 does
])
def test_asked_nouns(question, nouns):
    assert asked_nouns(question) == nouns


def test_a_noun_the_rules_never_use_is_unnamed():
    focus = AskedFocus.from_texts(RULES)
    assert focus.unnamed("党员组织关系介绍信的有效期是多少天") == ["有效期"]
    assert focus.unnamed("党员组织关系介绍信由谁开具？") == []


def test_a_short_form_is_named_by_the_full_form():
    # 支委会 is 支部委员会 and 社团 is 社会团体, characters in order within one clause
    focus = AskedFocus.from_texts(RULES)
    assert focus.named("支委会") and focus.named("社团")
    assert not focus.named("社保")  # 社…保 never occur that close together


def test_a_word_left_out_of_a_name_still_names_it():
    # 年度报告 for 年度工作报告: staff drop a word as often as they shorten one
    focus = AskedFocus.from_texts(["基金会应当于每年3月31日前向登记管理机关报送上一年度工作报告。"])
    assert focus.named("年度报告")


def test_a_short_form_is_not_matched_across_clauses():
    focus = AskedFocus.from_texts(["经费来源于会费，标准另定。"])
    assert not focus.named("费标")
    assert focus.named("会费")


def test_everyday_nouns_are_never_unnamed():
    # 时候 and 样子 are too common in speech to mean the rules lack something
    focus = AskedFocus.from_texts(RULES)
    assert focus.unnamed("社会团体什么时候申请登记") == []


# near-domain questions: the rules around each exist, the asked-for detail does not
@pytest.mark.parametrize("question", ["党员证的有效期是几年", "基金会年度审计报告用什么字体打印",
                                      "党费可以用微信交吗",  # 微信: speech_words.txt
                                      "慈善组织的公章由谁保管", "党员出国旅游，护照是不是得交支部统一保管"])
def test_a_question_about_a_detail_the_corpus_never_names_is_refused(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused and answer.answer == "已收录文件中未找到相关规定。"


@pytest.mark.parametrize("question, article", [
    ("民非的分支机构怎么设", ("minfei-dengji-1998", "13")),
    ("社团的名称里能不能用中华两个字", ("shetuan-dengji-2016", "10")),
])
def test_a_short_form_of_the_rules_word_is_still_answered(assistant, question, article):
    answer = assistant.ask(question)
    assert not answer.refused
    assert (answer.citations[0].doc_id, answer.citations[0].article) == article


@pytest.mark.parametrize("question, asking", [
    # 几 after 有/和, in a clause before the one that asks, means "a few"
    ("我们支部有几位老党员行动不便，学习教育能不能不作要求", "学习教育能不能不作要求"),
    ("副会长和几个业务骨干还不是党员，发展时有没有侧重", "发展时有没有侧重"),
    # …and after a verb's 了: what was done to a few
    ("项目上临时抽了几个党员组成专班，能不能建临时支部", "能不能建临时支部"),
    # …and after 在: a place (but 「在几个工作日内」 asks a period)
    ("我们想在几个街道分别设分会，这样行吗", "这样行吗"),
    ("我们想在几个街道分别设分会，这样行不行", "这样行不行"),  # 行不行 asks as 吗 does
    ("要在几个工作日内办完，逾期怎么办", "要在几个工作日内办完，逾期怎么办"),
    # …and after 从/跟: where a few come from, or whom they are with
    ("我们从几家协会抽了党员办展会，能不能建临时支部", "能不能建临时支部"),
    # …or told of in the next clause
    ("专班里有几个党员，关系都不在这，能建临时支部吗", "关系都不在这，能建临时支部吗"),
    # a clause that ends in a question mark, or 几 elsewhere, still asks
    ("支部有几个党员？能不能建支委会", "支部有几个党员？能不能建支委会"),
    ("评估等级分几个A，评上有什么好处", "评估等级分几个A，评上有什么好处"),
    ("支部委员会有几名委员，怎么选出来", "支部委员会有几名委员，怎么选出来"),  # nothing said of them
    # a 几 opening a clause that a 的 makes a description
    ("几个人合伙办的民非 登记证书跟法人的一样吗", "登记证书跟法人的一样吗"),
    ("几个人可以成立支部，怎么成立", "几个人可以成立支部，怎么成立"),
    # a few opening a clause, or after a noun, who do something (no modal: they are not asked)
    ("几家商会联合筹办展会，党员关系都不转，能建临时支部吗", "党员关系都不转，能建临时支部吗"),
    ("协会想在朝阳、海淀几个区分别成立分会，可以吗", "可以吗"),
    ("一年开几次会，由谁主持", "一年开几次会，由谁主持"),  # after a verb, 几 asks
    # right after a yes-no question word, 几 is "several"
    ("能不能几家凑一块建个党组织", "能不能多家凑一块建个党组织"),
])
def test_asking_text_drops_a_few(question, asking):
    assert asking_text(question) == asking


def test_what_a_quantity_is_counted_by_is_not_asked():
    # 「按党员人数算」 says how a sum is reckoned: no head count is asked
    assert asked_type("按党员人数算一年最低标准是多少").search("年人均不低于200元")
    assert not asked_type("支部党员人数是多少").search("年人均不低于200元")


def test_words_pointing_back_and_bounds_name_no_missing_thing():
    focus = AskedFocus.from_texts(["党建工作作为评估的重要内容。", "经费标准。"])
    assert focus.unnamed("这两件事文件里有说法吗") == []  # 两件事 points back
    assert focus.unnamed("经费最低标准是多少") == []  # the 标准 a bound is asked of
    assert focus.unnamed("党员证的有效期是几年") == ["有效期"]


def test_a_sum_reckoned_per_member_is_answered(assistant):
    answer = assistant.ask("按党员人数算，社会组织党组织一年的活动经费最低标准是多少")
    assert not answer.refused and "年人均不低于200元" in answer.answer


def test_a_few_members_is_no_head_count_asked(assistant):
    answer = assistant.ask("我们支部有几位党员年纪很大行动不便，组织生活能不能不参加")
    assert not answer.refused and "不作硬性要求" in answer.answer


def test_a_word_of_the_rule_terms_table_is_named_by_the_rules_word():
    # 分会 never occurs in the corpus; rule_terms.txt reads it as 分支机构
    focus = AskedFocus.from_texts(["社会团体不得设立地域性的分支机构。"])
    assert not focus.named("分会") and focus.unnamed("协会能不能设分会") == []


def test_a_question_in_the_staffs_words_is_answered_from_the_rules_words(assistant):
    answer = assistant.ask("市级协会能不能在下面各区设立分会")
    assert not answer.refused and "社会团体不得设立地域性的分支机构" in answer.answer


def test_an_amount_of_a_thing_the_corpus_never_names_is_refused(assistant):
    # the rules on founding a 社会团体 state sums (活动资金), but no 登记费: any number quoted
    # would answer another question
    answer = assistant.ask("注册一个社会团体需要缴纳多少登记费")
    assert answer.refused


def test_a_staff_word_for_a_sum_is_read_as_the_rules_word(assistant):
    # 注册资金 is said for the 原始基金 of a foundation (rule_terms.txt)
    answer = assistant.ask("基金会的注册资金最少多少")
    assert not answer.refused and "原始基金不低于" in answer.answer


def test_a_way_asked_for_or_a_verb_phrase_names_no_missing_thing():
    focus = AskedFocus.from_texts(RULES)
    assert focus.unnamed("社会团体想申请登记，有啥合规的路子") == []  # a way of doing
    assert focus.unnamed("支部委员会这样开会符合要求吗") == []        # jieba tags it a noun
    assert focus.unnamed("介绍信的有效期有啥路子延长") == ["有效期"]


def test_a_case_asked_whether_it_meets_the_rules_is_answered(assistant):
    answer = assistant.ask("支部想选一位入党才半年的同志当支部书记，这样符合要求吗")
    assert not answer.refused and "一般应当具有1年以上党龄" in answer.answer
    # 这样 points back at the case (a stop word): no term the rule lacks
    assert "这样" not in match_terms("支部书记候选人入党才半年，这样符合要求吗")
    answer = assistant.ask("支部书记候选人入党才半年，这样符合要求吗？")
    assert not answer.refused and "一般应当具有1年以上党龄" in answer.answer


def test_somewhat_and_a_count_ask_no_quantity_and_name_no_thing(assistant):
    # 多少有点 is "somewhat": no number is asked, so a rule stating none answers
    assert asking_text("活动多少有点风险，要不要买保险") == "活动有点风险，要不要买保险"
    assert asked_type("活动多少有点风险，要不要买保险") is None
    assert asked_type("活动经费多少，要不要买保险") is not None
    focus = AskedFocus.from_texts(RULES)
    assert focus.unnamed("支部委员会开会有没有个数要求") == []  # the count asked for
    answer = assistant.ask("带志愿者去抗洪一线，多少有点风险，慈善组织要不要替他们买保险")
    assert not answer.refused and "人身意外伤害保险" in answer.answer


def test_what_follows_how_at_once_is_done_and_versions_told_apart_name_nothing():
    focus = AskedFocus.from_texts(RULES + ["发展党员工作细则：入党宣誓"])
    assert focus.unnamed("大家争得很厉害，该怎么收场") == []     # jieba tags 收场 a noun
    assert focus.unnamed("入党宣誓最晚什么时候办，新旧细则一样吗") == []
    assert focus.unnamed("介绍信的有效期怎么延长") == ["有效期"]  # the noun before still asks


def test_staff_words_for_a_rules_word_are_answered(assistant):
    answer = assistant.ask("支委会讨论重要问题，双方人数差不多，该怎么收场")
    assert not answer.refused and "应当暂缓作出决定" in answer.answer
    answer = assistant.ask("我们基金会的出纳能不能同时当监事")  # 出纳: 财会人员 (rule_terms.txt)
    assert not answer.refused and "财会人员不得兼任监事" in answer.answer
    answer = assistant.ask("党员每年集中学习有没有硬指标")  # 硬指标: 要求
    assert not answer.refused and "不少于32学时" in answer.answer


def test_what_how_often_is_asked_of_is_an_asked_noun():
    focus = AskedFocus.from_texts(RULES + ["发展党员工作细则：市、县党委每半年检查一次。"])
    assert focus.unnamed("入党积极分子的思想汇报多久交一次") == ["思想汇报"]
    assert focus.unnamed("多长时间交一次思想汇报") == ["思想汇报"]
    # levels of government, the interval asked, and versions name nothing a rule could lack
    assert focus.unnamed("老版细则里市县党委多久检查一次") == []
    assert focus.unnamed("支部委员会中间隔多久开一次会议") == []


def test_how_often_a_thing_the_corpus_never_names_is_done_is_refused(assistant):
    # 「党支部每半年对入党积极分子进行一次考察」 states how often 考察 is done, not 思想汇报
    assert assistant.ask("积极分子的思想汇报多长时间写一次").refused
    answer = assistant.ask("2014年细则里，市县党委多久检查一次发展党员工作")
    assert not answer.refused and "每半年检查一次" in answer.answer


def test_a_one_character_modifier_leaves_the_thing_named():
    focus = AskedFocus.from_texts(RULES + ["鼓励退休的党政领导干部担任党建工作指导员。"])
    assert focus.unnamed("退休的老干部能不能当党建工作指导员") == []
    assert focus.unnamed("老干部的护照怎么办") == ["护照"]
