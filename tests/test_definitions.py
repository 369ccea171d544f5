"""Which article defines the term a question asks about (no index needed)."""

from __future__ import annotations

import pytest

from app.definitions import Definitions
from indexer.records import Article


def _article(article_id: str, text: str) -> Article:
    return Article("law", article_id, f"第{article_id}条", (), "", text, (0, 0), 1)


DEFS = Definitions.from_articles([
    _article("2", "本条例所称基金会，是指利用自然人、法人或者其他组织捐赠的财产…"),
    _article("7", "国务院民政部门登记的基金会、境外基金会代表机构…"),
    _article("44", "本法所称慈善信托属于公益信托，是指委托人基于慈善目的…"),
    _article("46", "本条例所称境外基金会，是指在外国…设立的基金会。"),
    _article("25", "党员组织关系是指党员对党的基层组织的隶属关系。\n每个党员都必须编入…"),
])


def test_defined_terms_are_found_in_both_styles():
    assert set(DEFS.rows) == {"基金会", "慈善信托", "境外基金会", "党员组织关系"}


@pytest.mark.parametrize("question, rows", [
    ("基金会是什么", [0]),
    ("请问什么是基金会？", [0]),
    ("境外基金会指的是什么", [3]),
    ("慈善信托的定义", [2]),
    ("党员组织关系是啥", [4]),
    ("基金会理事长是什么级别", []),   # asks about something else
    ("基金会怎么登记", []),           # not a question about meaning
])
def test_rows_for_question(question, rows):
    assert DEFS.rows_for(question) == rows
