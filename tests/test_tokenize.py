"""How questions are read for matching: spoken negations in their written form, roles by
the rules' word for them."""

from __future__ import annotations

from indexer.bm25 import JiebaBM25
from indexer.tokenize import (bm25_query_tokens, bm25_tokens, load_dictionary, match_terms,
                              negated_forms, phrases_reworded, question_terms, rule_phrases,
                              rule_terms, rule_words, rules_wording, tokenize)


def test_spoken_negation_reads_as_the_written_one():
    load_dictionary()
    assert negated_forms("我们理事长不是党员，能参加吗") == ["非党员"]
    assert negated_forms("他是不是党员") == []  # a yes-no question, not a negation
    # only real words: 「不是很清楚」 has no 非很清 to match
    assert negated_forms("这条规定我不是很清楚") == []
    assert "非党员" in match_terms("秘书长不是党员") and "非党员" in bm25_tokens("秘书长不是党员")


def test_bm25_finds_the_rule_about_non_members():
    index = JiebaBM25.from_texts(["党组织开展的有关活动可邀请非党员社会组织负责人参加。",
                                  "党支部应当组织党员按期参加党员大会、党小组会。"])
    question = "理事长不是党员能来参加吗"
    assert int(index.scores(bm25_tokens(question)).argmax()) == 0
    assert int(index.scores(tokenize(question)).argmax()) == 1  # 党员 alone: the other rule


def test_a_word_said_otherwise_also_searches_for_the_rules_word():
    load_dictionary()
    assert rule_terms("我们会长不是党员") == ["负责人"] and rule_terms("副秘书长能兼职吗") == ["负责人"]
    assert rule_terms("党员大会多久开一次") == [] and rule_terms("负责人和秘书长") == []  # already there
    assert "负责人" not in rule_terms("协会长期未换届")  # words are tokens: no 会长 in 协会长期
    assert rule_terms("支书有没有补贴") == ["津贴"] and rule_terms("支部搞活动") == ["开展"]
    assert rule_words("分会") == ("分支机构",) and rule_words("津贴") == ()
    assert rule_words("投票") == ("选举权",)
    # the lines written from the corpus alone (2026-12-01): 民非 is the rules' 民办非企业单位
    assert rule_terms("我们民非的名字能叫中华研究院吗") == ["民办非企业单位"]
    assert rule_terms("协会年检没过会怎样") == ["社会团体", "年度检查"]
    assert rule_terms("够不够成立的门槛") == ["条件"] and rule_terms("报税时能扣掉吗") == ["扣除"]
    # 失联 is cut out of 「失联快一年」 (userdict.txt) to be found as 失去联系
    assert "失去联系" in rule_terms("有个党员失联快一年了") and "法定代表人" in rule_terms("兼任法人代表")
    assert "管理层" in rule_terms("支部书记能参加理事会吗")
    assert {"互联网", "募捐"} <= set(rule_terms("在网上发起筹款"))
    assert "互联网" in rule_terms("募捐能在自己公众号上发吗")  # an example of 互联网
    # a short form the rules never write, and bounds as the rules write them (不超过, 至少)
    assert rule_terms("支委会 多久开一次") == ["委员会"]
    assert rule_terms("起码要多少学时") == ["至少"] and rule_terms("最多能联几家") == ["超过"]
    assert rule_terms("我们商会换了法定代表人") == ["社会团体"]  # a kind named for the kind
    assert "近亲属" in rule_terms("理事长想让他外甥来做监事")  # a relative named by example
    assert "行动不便" in rule_terms("有个老党员常年卧床") and "申辩" in rule_terms("本人能到会辩解吗")
    assert "公开募捐" in rule_terms("没有公募资格能在网上筹款吗")
    assert "下拨" in rule_terms("党费会返还给支部吗") and "会议" in rule_terms("书记能去管理层开会吗")
    assert "负责人" in bm25_query_tokens("理事长怎么选") and "负责人" not in bm25_tokens("理事长怎么选")
    index = JiebaBM25.from_texts(["社会组织负责人应当支持党组织开展工作。",
                                  "会议由党支部书记主持。"])
    assert int(index.scores("我们会长支持党支部工作吗").argmax()) == 0
    assert int(index.scores(tokenize("我们会长支持党支部工作吗")).argmax()) == 1


def test_a_question_is_reworded_only_with_words_meaning_the_same():
    assert rules_wording("去网上募款要什么资格") == "去互联网募捐要什么资格"
    # an example is not the rules' word: a 协会's 工会 is no 社会团体, a 会长 no 负责人 as such
    assert rules_wording("我们协会想成立工会委员会") is None and rules_wording("会长能兼职吗") is None
    # 注册资金 is a 基金会's 原始基金, a 民非's 开办资金, a 社团's 活动资金: no one word
    assert rules_wording("注册资金要多少") is None
    assert rule_terms("朋友圈和网上说话要注意什么") == ["互联网"]  # two lines, one word


def test_a_yes_no_question_leaves_no_negation_behind():
    """「能不能」 asks; cut for search it left 不能, which matched the rules' prohibitions."""
    load_dictionary()
    assert "不能" not in bm25_query_tokens("预备党员能不能参加选举")
    assert "不行" not in question_terms("在各个区设分会行不行")
    assert "合规" in question_terms("这样合不合规") and "不需要" not in question_terms("需要不需要备案")
    assert "不能" in bm25_tokens("预备党员不能担任入党介绍人")  # a rule's own 不能 stays
    index = JiebaBM25.from_texts(["预备党员不能担任入党介绍人。", "预备党员没有表决权、选举权和被选举权。"])
    assert int(index.scores("预备党员能不能参加选举").argmax()) == 1


def test_every_word_of_the_rule_terms_table_reaches_the_rules_word():
    """A word jieba cuts into pieces that are not in the table (公众号 -> 公众/号) would be a
    dead entry."""
    from indexer.tokenize import _rule_lines

    load_dictionary()
    dead = [(word, other) for word, others, _ in _rule_lines() for other in others
            if other not in tokenize(other) or word not in rule_terms(other)]
    assert dead == []
    # BM25 searches for the rules' word whole: jieba must keep it whole in the articles too
    # (失去联系 was cut into 失去/联系, and found nothing)
    assert [word for word, _, _ in _rule_lines() if word not in bm25_tokens(word)] == []


def test_words_of_todays_speech_are_kept_whole():
    # jieba's dictionary lacks them: 「用微信交」 was cut 用微 / 信交
    assert "微信" in tokenize("党费可以用微信交吗") and "线上" in tokenize("能不能搞线上的组织活动")


def test_a_case_described_in_staff_phrases_is_searched_in_the_rules_wording():
    # rule_phrases.txt: 「还留在原单位没转过来」 is the rules' 暂未转移组织关系
    assert rule_phrases("有个党员组织关系还留在原单位没转过来") == ["暂未转移组织关系"]
    assert "转移" in bm25_query_tokens("有个党员组织关系还留在原单位没转过来")
    assert rule_phrases("预备期满不转正怎么办") == []  # no phrase of the table
    assert "组建" in question_terms(phrases_reworded("我们一个党员都没有，建不了支部"))


def test_a_phrase_is_reworded_once_and_its_wording_counted_once():
    # two phrases of one case side by side are one case; a wording is not read again
    assert phrases_reworded("关系还留在原单位没转过来") == "关系暂未转移组织关系"
    assert rule_phrases("关系还留在原单位没转过来，能参加活动吗") == ["暂未转移组织关系"]
    # the word table already gives 法定代表人 for 法人代表: the phrase table does not add it again
    assert bm25_query_tokens("我们商会法人代表换人了").count("法定代表人") == 1


def test_the_issuers_city_is_no_search_word():
    # 北京 is in one sentence of the 意见 only (「对北京工作的重要指示精神」), while 「北京的文件」
    # names the whole 意见
    assert "北京" not in tokenize("北京的文件对党建经费怎么说") and "北京市" not in tokenize("北京市社会组织")


def test_asking_whether_documents_agree_is_no_search_word():
    # 一样 is in one article only (党章 7: 预备党员的义务同正式党员一样), while 「说的一样吗」 asks
    # whether the documents the question names agree
    assert "一样" not in tokenize("北京的文件跟党章说的一样吗")


def test_a_number_told_roughly_leaves_no_terms_but_an_exact_one_does():
    load_dictionary()
    rough = question_terms("支部有个八十多岁的老党员")
    assert not {t for t in rough if "八十" in t or "多岁" in t or "十多" in t}
    assert {"老", "党员"} <= rough
    assert "#18岁" in question_terms("入党要满十八岁吗")
    assert question_terms("三十出头的党员") == {"党员"}
