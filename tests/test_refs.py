"""What a question names: documents, versions, articles and sections (no index needed)."""

from __future__ import annotations

import pytest

from app.refs import find_mentions
from indexer.records import Document

OLD = Document("xize-2014", "发展党员工作细则", "细则（2014）", date="2014", status="superseded",
               superseded_by="xize-2026", aliases=("发展党员细则",))
NEW = Document("xize-2026", "发展党员工作细则", "细则", date="2026", supersedes="xize-2014",
               aliases=("发展党员细则",))
DZ = Document("dangzhang-2022", "中国共产党章程", "党章", aliases=("党章",))
DOCS = [OLD, NEW, DZ]


@pytest.mark.parametrize("question, docs", [
    ("发展党员细则第五条", ("xize-2026",)),                 # the version in force
    ("2014年发展党员细则第五条", ("xize-2014",)),           # the year names the version
    ("老版发展党员细则第五条", ("xize-2014",)),
    ("新旧发展党员细则有什么不同", ("xize-2014", "xize-2026")),  # both, for a comparison
    ("14年那版发展党员细则第五条", ("xize-2014",)),         # the year's last two digits
    ("发展党员细则干了14年的支书", ("xize-2026",)),         # 14 years, no version
])
def test_versions(question, docs):
    assert set(find_mentions(question, DOCS).docs) == set(docs)


@pytest.mark.parametrize("question, old", [
    ("跟以前的规定比，公示有啥不一样", True),               # of a document
    ("新发展党员细则跟老的比变了没", True),                 # beside a document with versions
    ("我们协会去年跟原来的主管局脱钩了，党建还有人管吗", False),  # 原来的 of a bureau
    ("原来的民非登记证书要不要换", False),
    ("党章里老的党员怎么管", False),                       # 党章 has no other version
])
def test_an_old_word_asks_for_a_version_only_of_a_document(question, old):
    assert find_mentions(question, DOCS).old_version is old


def test_only_the_year_of_a_version_names_one():
    assert not find_mentions("我们支部是2021年选的支委，发展党员细则里换届怎么说", DOCS).names_version
    assert find_mentions("2014年发展党员细则里换届怎么说", DOCS).years == ("2014",)


def test_sections_and_last_article():
    m = find_mentions("党章第三章讲的是什么", DOCS)
    assert m.docs == ("dangzhang-2022",) and m.sections == (3,) and m.articles == ()
    assert m.whole_section
    narrower = find_mentions("党章第五章对社会组织党组织有什么要求", DOCS)
    assert narrower.sections == (5,) and not narrower.whole_section
    assert find_mentions("实施意见第二部分", DOCS).sections == (2,)
    assert find_mentions("党章最后一条", DOCS).last_article
    assert not find_mentions("上级党委会不会拨一部分党费给支部", DOCS).sections


@pytest.mark.parametrize("question, articles, docs", [
    # each article belongs to the document named right before it
    ("党章第9条和发展党员细则第31条有什么区别", ("9", "31"), (("dangzhang-2022",), ("xize-2026",))),
    ("发展党员细则第5条跟党章第一条一样吗", ("5", "1"), (("xize-2026",), ("dangzhang-2022",))),
    # one alias naming both versions: the article in both
    ("新旧发展党员细则第十条", ("10",), (("xize-2014", "xize-2026"),)),
    # a list of names: the article of each
    ("党章和发展党员细则的第一条有什么不同", ("1",), (("xize-2026", "dangzhang-2022"),)),
    # a reference before any document name, or after a kind word only, is left to the rest
    ("第七条在党章里讲什么", ("7",), ((),)),
    ("党章第9条和条例第31条", ("9", "31"), (("dangzhang-2022",), ())),
])
def test_each_article_is_paired_with_the_documents_named_right_before_it(question, articles, docs):
    m = find_mentions(question, DOCS)
    assert m.articles == articles and m.article_docs == docs


def test_a_kind_of_document_before_an_article_narrows_where_it_is_looked_up():
    yijian = Document("yijian", "关于加强社会组织党建的实施意见", "实施意见", aliases=("实施意见",))
    tiaoli = Document("tiaoli", "基金会管理条例", "基金会条例", aliases=("基金会条例",))
    cishan = Document("cishan", "中华人民共和国慈善法", "慈善法", aliases=("慈善法",))
    docs = [*DOCS, yijian, tiaoli, cishan]
    assert find_mentions("意见里第四项是啥", docs).article_kinds == (("yijian",),)
    assert find_mentions("党章第9条和条例第31条", docs).article_kinds == ((), ("tiaoli",))
    # a named document says it all; a kind word inside another name or not before an
    # article is no reference
    assert find_mentions("实施意见第四项", docs).article_kinds == ((),)
    assert find_mentions("党小组提出意见以后第二步做什么", docs).article_kinds == ()
    # a document the corpus does not have is no article of ours
    assert find_mentions("宪法第五条", docs).foreign == ("第五条",)
    assert find_mentions("宪法第五条", docs).articles == ()
    assert find_mentions("我们协会的章程第五条怎么写", docs).foreign == ("第五条",)


@pytest.mark.parametrize("question, within", [
    ("党章第七条讲什么", ""),
    ("党章第九条原文是什么", ""),
    ("党章第三十一条对支部的任期是怎么规定的", "对支部的任期是怎么规定的"),
    ("发展党员细则第十条里头，培训的内容有哪些", " 里头，培训的内容有哪些"),
])
def test_what_a_question_asks_of_the_article_it_names(question, within):
    assert find_mentions(question, DOCS).asked_within.strip() == within.strip()
