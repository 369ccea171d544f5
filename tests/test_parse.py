"""Structure parser: exact article counts, headings vs references, bad files."""

from __future__ import annotations

import pytest

from indexer.corpus import load_corpus
from indexer.numerals import article_id, chinese_to_int, int_to_chinese
from indexer.parse import CorpusError, parse_file, parse_text

from conftest import CORPUS

# units per document: 条 (plus 总纲 for 党章, 序言 for the 意见 and the 2014 细则's 印发通知)
EXPECTED_COUNTS = {
    "jingbanfa-2016-27": 20, "dangzhang-2022": 56, "zhibu-gongzuo-2018": 37,
    "dangyuan-jiaoyu-2019": 46, "fazhan-dangyuan-2026": 44, "fazhan-dangyuan-2014": 45,
    "shetuan-dengji-2016": 37, "minfei-dengji-1998": 32, "jijinhui-2004": 48,
    "cishan-fa-2023": 125,
}
HEADER = "doc_id: t\ntitle: 测试\nshort_title: 测试\n---\n"


@pytest.fixture(scope="module")
def corpus():
    return {d.doc_id: d for d in load_corpus(CORPUS)}


def test_every_document_has_its_exact_article_count(corpus):
    assert {d: len(doc.articles) for d, doc in corpus.items()} == EXPECTED_COUNTS


def test_statute_articles_are_numbered_in_order(corpus):
    for doc in corpus.values():
        numbers = [int(a.article_id) for a in doc.articles if a.article_id.isdigit()]
        assert numbers == list(range(1, len(numbers) + 1)), doc.doc_id


def test_yijian_items_sections_and_titles(corpus):
    doc = corpus["jingbanfa-2016-27"]
    item4 = doc.article("4")
    assert item4.label == "4."
    assert item4.item_title == "明确管理体制"
    assert item4.heading == ("二、健全党建工作管理体制和工作机制",)
    assert item4.text.endswith("由街道社区、乡镇村党组织兜底管理。")
    # item 7 and heading 四、 follow each other without a blank line in the source
    assert doc.article("7").text.endswith("党建工作的指导。")
    assert doc.article("8").heading == ("四、有效发挥党组织和党员作用",)
    assert doc.article("序言").text.startswith("（京办发〔2016〕27号）\n为切实加强党对社会组织的领导")


def test_dangzhang_general_program_is_its_own_unit(corpus):
    doc = corpus["dangzhang-2022"]
    assert doc.articles[0].article_id == "总纲"
    assert "中国共产党是中国工人阶级的先锋队" in doc.articles[0].text
    assert doc.article("7").heading == ("第一章 党员",)


def test_span_points_at_the_article_in_the_source(corpus):
    doc = corpus["jingbanfa-2016-27"]
    raw = (CORPUS / "jingbanfa-2016-27.txt").read_text(encoding="utf-8")
    a = doc.article("4")
    assert raw[a.span[0]:a.span[1]].strip().startswith("4.明确管理体制")
    assert raw.splitlines()[a.line - 1].strip().startswith("4.")


def test_2014_rules_bare_chapter_heading_and_notice(corpus):
    doc = corpus["fazhan-dangyuan-2014"]
    assert doc.article("1").heading == ("总则",)
    assert doc.article("序言").text.startswith("(中办发〔2014〕33号)\n各省、自治区、直辖市党委")
    assert doc.superseded and doc.superseded_by == "fazhan-dangyuan-2026"


def test_reference_inside_a_sentence_is_not_a_heading():
    text = HEADER + ("第一章 总则\n第一条 为了规范管理，制定本条例。\n"
                     "第二条 依照本条例第十条的规定办理。\n"
                     "第十条规定的事项，由民政部门负责。\n"
                     "第三条 本条例自公布之日起施行。\n")
    doc = parse_text(text)
    assert [a.article_id for a in doc.articles] == ["1", "2", "3"]
    assert "第十条规定的事项" in doc.article("2").text


def test_article_zhi_yi_sections_and_parts():
    text = HEADER + ("第一编 总则\n第一章 一般规定\n第一节 范围\n第十七条 甲。\n"
                     "第十七条之一 乙。\n（一）项一；\n（二）项二。\n第二节 其他\n第十八条 丙。\n")
    doc = parse_text(text)
    assert [a.article_id for a in doc.articles] == ["17", "17-1", "18"]
    a = doc.article("17-1")
    assert a.label == "第十七条之一"
    assert a.heading == ("第一编 总则", "第一章 一般规定", "第一节 范围")
    assert a.paragraphs == ["乙。", "（一）项一；", "（二）项二。"]
    assert doc.article("18").heading[-1] == "第二节 其他"


def test_duplicate_article_number_names_file_and_line(tmp_path):
    path = tmp_path / "dup.txt"
    path.write_text(HEADER + "第一条 甲。\n第二条 乙。\n第二条 丙。\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        parse_file(path)
    assert "条文编号重复" in str(err.value) and "第7行" in str(err.value)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("content, message", [
    ("第一条 没有文件头。\n", "缺少文件头"),
    ("doc_id: x\n---\n第一条 甲。\n", "缺少必填项"),
    (HEADER + "只有一段话，没有条文。\n", "未识别出任何条文"),
])
def test_bad_files_get_a_chinese_message(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        parse_file(path)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((HEADER + "第一条 甲。\n").encode("gbk"))
    with pytest.raises(CorpusError, match="UTF-8"):
        parse_file(path)


@pytest.mark.parametrize("text, value", [("一百二十五", 125), ("十七", 17), ("一百零九", 109),
                                         ("二十", 20), ("18", 18)])
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value
    assert chinese_to_int(int_to_chinese(value)) == value


def test_article_id_with_zhi():
    assert article_id("十七", "一") == "17-1"


def test_documents_without_a_wenhao_have_an_empty_doc_number(corpus):
    # the headers say 无, 无（中共中央印发） or (not stated in source); citations must not show that
    assert corpus["dangzhang-2022"].doc_number == ""
    assert corpus["zhibu-gongzuo-2018"].doc_number == ""
    assert corpus["cishan-fa-2023"].doc_number == ""
    assert corpus["jingbanfa-2016-27"].doc_number == "京办发〔2016〕27号"
    assert corpus["jijinhui-2004"].doc_number == "国务院令第400号"


@pytest.mark.parametrize("value, kept", [
    ("无", ""), ("无（中共中央印发）", ""), ("(not stated in source)", ""), ("—", ""),
    ("（京办发〔2016〕27号）", "（京办发〔2016〕27号）"),   # a real 文号 in brackets is kept
    ("(民政部令第8号)", "(民政部令第8号)"),
])
def test_no_wenhao_placeholders_only(value, kept):
    from indexer.parse import _NO_DOC_NUMBER_RE
    assert ("" if _NO_DOC_NUMBER_RE.match(value) else value) == kept


def test_a_regulation_says_which_kinds_of_organisation_it_governs(corpus):
    assert corpus["shetuan-dengji-2016"].governs == ("社会团体", "社团")  # 协会: rule_terms.txt
    assert corpus["jijinhui-2004"].governs == ("基金会",)
    assert corpus["jingbanfa-2016-27"].governs == ()  # applies to every social organisation
    doc = parse_text("doc_id: t\ntitle: 测试\nshort_title: 测试\ngoverns: 学会，商会\n---\n第一条 正文。")
    assert doc.governs == ("学会", "商会")
