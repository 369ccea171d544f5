"""Tests for the quiz builder (app.quiz): quality checks over the whole corpus, exports that
parse back to the JSON, determinism by seed, and bad input."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from app.quiz import (CARRIED, FORMATS, QUESTION_TYPES, QuizError, build_quiz, export, parse,
                      question_problems, quiz_problems)
from app.quiz import command as quiz_command
from app.quiz import generate
from app.quiz.export import TABLE_HEADER, aiken_skipped, gift_escape, to_gift, to_markdown
from app.quiz.generate import select_articles
from app.quiz.spans import also_correct, near_duplicate, number_spans
from indexer.chunk import article_sentences
from indexer.corpus import load_corpus
from indexer.parse import parse_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
JB = "jingbanfa-2016-27"
HEADER = "doc_id: fakuan\ntitle: 罚款条例\nshort_title: 罚款条例\n---\n"
CITATION_RE = re.compile(r"〔《[^》]+》(?:第\d+(?:-\d+)?条|总纲|序言)〕")


@pytest.fixture(scope="module")
def docs():
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def corpus_sentences(docs) -> set[tuple[str, str, str]]:
    return {(s.doc_id, s.article_id, s.text)
            for d in docs for a in d.articles for s in article_sentences(a)}


@pytest.fixture(scope="module")
def quiz_all(docs):
    return build_quiz(docs, n=100, seed=42)


@pytest.fixture(scope="module")
def quiz_jb(docs):
    return build_quiz(docs, doc_ids=[JB], n=100, seed=42)


def _questions(quiz) -> list[dict]:
    return quiz.to_json()["questions"]


def _texts(q: dict, letters) -> list[str]:
    return [q["options"][k] for k in letters]


# -- quality over the whole corpus --------------------------------------------------------

@pytest.mark.parametrize("name", ["quiz_all", "quiz_jb"])
def test_100_questions_pass_every_check(name, request, corpus_sentences):
    quiz = request.getfixturevalue(name)
    assert len(quiz.questions) == 100
    assert quiz_problems(quiz, corpus_sentences) == []


@pytest.mark.parametrize("seed", [1, 7, 2024])
@pytest.mark.parametrize("doc_ids", [(), (JB,), ("dangzhang-2022",), ("cishan-fa-2023",)])
def test_other_seeds_and_documents_pass_every_check(docs, corpus_sentences, seed, doc_ids):
    quiz = build_quiz(docs, doc_ids=doc_ids, n=40, seed=seed)
    assert quiz.questions
    assert quiz_problems(quiz, corpus_sentences) == []


def test_whole_corpus_quiz_has_every_type_in_equal_shares(quiz_all):
    counts = {t: sum(q.type == t for q in quiz_all.questions) for t in QUESTION_TYPES}
    assert counts == {t: 25 for t in QUESTION_TYPES}
    assert quiz_all.note == ""


def test_jb_quiz_draws_only_on_that_document(quiz_jb):
    assert {q.source.doc_id for q in quiz_jb.questions} == {JB}
    assert {q.type for q in quiz_jb.questions} == set(QUESTION_TYPES)


def test_superseded_documents_are_left_out_unless_named(quiz_all, docs):
    superseded = {d.doc_id for d in docs if d.superseded}
    assert superseded and not {q.source.doc_id for q in quiz_all.questions} & superseded
    old = build_quiz(docs, doc_ids=["fazhan-dangyuan-2014"], n=10, seed=1)
    assert len(old.questions) == 10 and "已被取代" in old.note and "fazhan-dangyuan-2026" in old.note


def test_makers_rarely_make_a_question_the_checks_reject(docs, monkeypatch):
    """The picker drops whatever `question_problems` flags, so every quiz passes the checks by
    construction; what can regress is how often the makers produce a bad question."""
    from app.quiz import checks

    verdicts = []

    def counting(question):
        problems = real(question)
        verdicts.append(bool(problems))
        return problems

    real = checks.question_problems
    monkeypatch.setattr(checks, "question_problems", counting)
    build_quiz(docs, n=100, seed=5)
    assert len(verdicts) >= 100 and sum(verdicts) / len(verdicts) < 0.15, (sum(verdicts), len(verdicts))


def test_a_large_chinese_amount_does_not_break_number_questions():
    # 五千 doubled is 一万: no Chinese numeral the distractor writer can print
    text = HEADER + "第一条 违反本条例规定的，由登记管理机关处五千元以上罚款。\n第二条 本条例自发布之日起施行。\n"
    quiz = build_quiz([parse_text(text)], types=["single"], seed=1)
    assert all("一万" not in "".join(q.options.values()) for q in quiz.questions)


def test_true_false_are_balanced(quiz_all):
    answers = [q.answer for q in quiz_all.questions if q.type == "tf"]
    assert abs(answers.count(True) - answers.count(False)) <= 2


def test_explanation_quotes_the_sentence_with_its_citation(quiz_jb):
    for q in _questions(quiz_jb):
        marker = f"〔《实施意见》第{q['source']['article']}条〕"
        assert f"“{q['source']['sentence']}”{marker}" in q["explanation"]


def test_citation_of_dangzhang_general_programme(docs):
    quiz = build_quiz(docs, doc_ids=["dangzhang-2022"], articles="总纲", n=5, seed=3)
    assert quiz.questions
    for q in quiz.questions:
        assert q.source.article == "总纲" and "〔《党章》总纲〕" in q.explanation


def test_json_shape(quiz_all):
    data = json.loads(export(quiz_all, "json"))
    assert list(data) == ["questions"]
    for q in data["questions"]:
        expected = ["id", "type", "stem", "answer", "explanation", "source"]
        if q["type"] in ("single", "multi"):
            expected.insert(3, "options")
        assert list(q) == expected
        assert list(q["source"]) == ["doc_id", "article", "label", "sentence"]
        assert isinstance(q["answer"], {"single": str, "multi": list, "tf": bool, "cloze": str}[q["type"]])


# -- determinism --------------------------------------------------------------------------

def test_same_seed_same_quiz(docs, quiz_jb):
    generate._BANKS.clear()  # also rebuilt from scratch
    again = build_quiz(docs, doc_ids=[JB], n=100, seed=42)
    assert again.to_json() == quiz_jb.to_json()


def test_other_seed_other_quiz(docs, quiz_jb):
    other = build_quiz(docs, doc_ids=[JB], n=100, seed=43)
    assert other.to_json() != quiz_jb.to_json()


# -- exports ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_export_parses_back_to_the_json(quiz_all, fmt):
    expected = [q for q in _questions(quiz_all) if fmt != "aiken" or q["type"] in ("single", "tf")]
    parsed = parse(export(quiz_all, fmt), fmt)["questions"]
    assert len(parsed) == len(expected)
    for want, got in zip(expected, parsed):
        assert {k: got.get(k) for k in CARRIED[fmt]} == {k: want.get(k) for k in CARRIED[fmt]}


def _tricky_quiz() -> dict:
    source = {"doc_id": "x", "article": "1", "label": "第一条", "sentence": "a~b=c#d{e}f:g"}
    note = "原文：“a~b=c#d{e}f:g”〔《X》第1条〕"
    return {"questions": [
        {"id": "Q001", "type": "single", "stem": "问：{ } ~ = # 1:2 *粗* _斜_ \\ ?",
         "options": {"A": "a~b", "B": "c=d", "C": "e#f", "D": "{g}:h"}, "answer": "B",
         "explanation": note, "source": source},
        {"id": "Q002", "type": "multi", "stem": "多：~=#{}:", "options": {"A": "1", "B": "2:3",
         "C": "#4", "D": "5"}, "answer": ["A", "C"], "explanation": note, "source": source},
        {"id": "Q003", "type": "tf", "stem": "判：a:b", "answer": False, "explanation": note,
         "source": source},
        {"id": "Q004", "type": "cloze", "stem": "填：＿＿＿＿{x}", "answer": "=~#:", "explanation": note,
         "source": source}]}


def test_gift_escapes_control_characters():
    assert gift_escape("~ = # { } :") == r"\~ \= \# \{ \} \:"
    text = to_gift(_tricky_quiz())
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    assert "问：\\{ \\} \\~ \\= \\# 1\\:2" in body
    assert "~a\\~b" in body and "=c\\=d" in body and "{=\\=\\~\\#\\:####" in body
    assert parse(text, "gift") == _tricky_quiz()


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx"])
def test_tricky_characters_round_trip(fmt):
    quiz = _tricky_quiz()
    parsed = parse(export(quiz, fmt), fmt)["questions"]
    for want, got in zip(quiz["questions"], parsed):
        assert {k: got.get(k) for k in CARRIED[fmt]} == {k: want.get(k) for k in CARRIED[fmt]}


def test_markdown_keeps_answers_for_the_key(quiz_jb):
    text = to_markdown(quiz_jb, "测验")
    questions, key = text.split("## 答案与解析")
    assert "答案：" not in questions and "解析：" not in questions
    assert key.count("答案：") == 100 and key.count("解析：") == 100


def test_csv_and_xlsx_use_the_training_platform_layout(quiz_jb):
    csv_text = export(quiz_jb, "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[0].split(",") == list(TABLE_HEADER)
    assert export(quiz_jb, "csv").startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    rows = parse(export(quiz_jb, "xlsx"), "xlsx")["questions"]
    assert [r["citation"] for r in rows] == [CITATION_RE.search(q.explanation).group(0)[1:-1]
                                             for q in quiz_jb.questions]
    assert {r["type"] for r in rows} == set(QUESTION_TYPES)


def test_aiken_leaves_out_what_it_cannot_express(quiz_all):
    skipped = aiken_skipped(quiz_all)
    assert skipped == {"multi": 25, "cloze": 25}
    text = export(quiz_all, "aiken").decode()
    assert text.count("ANSWER: ") == 50


# -- selection and bad input --------------------------------------------------------------

def test_article_range_selects_those_articles(docs):
    quiz = build_quiz(docs, doc_ids=[JB], articles="4-7,18", n=20, seed=1)
    assert quiz.questions and {q.source.article for q in quiz.questions} <= {"4", "5", "6", "7", "18"}
    jb = next(d for d in docs if d.doc_id == JB)
    assert [a.article_id for a in select_articles(jb, ["4—6", "序言"])] == ["序言", "4", "5", "6"]


def test_unknown_document_is_refused_in_chinese(docs):
    with pytest.raises(QuizError, match="未知的文件编号：no-such-doc"):
        build_quiz(docs, doc_ids=["no-such-doc"])


@pytest.mark.parametrize("spec", ["99-120", "7-4"])
def test_empty_article_range_is_refused(docs, spec):
    with pytest.raises(QuizError, match="没有对应的条文"):
        build_quiz(docs, doc_ids=[JB], articles=spec)


@pytest.mark.parametrize("kwargs, message", [
    ({"articles": "第四条"}, "无法识别"),
    ({"types": ("single", "essay")}, "未知的题型"),
    ({"n": 0}, "正整数"),
    ({"types": {"single": -1}}, "非负整数"),
])
def test_other_bad_requests_are_refused(docs, kwargs, message):
    with pytest.raises(QuizError, match=message):
        build_quiz(docs, doc_ids=[JB], **kwargs)


def test_too_many_requested_returns_what_exists_and_says_so(docs, corpus_sentences):
    quiz = build_quiz(docs, doc_ids=[JB], articles="17", n=60, seed=42)
    assert 0 < len(quiz.questions) < 60
    assert f"只能生成 {len(quiz.questions)} 道" in quiz.note and "60" in quiz.note
    assert quiz_problems(quiz, corpus_sentences) == []


def test_counts_per_type(docs):
    quiz = build_quiz(docs, doc_ids=[JB], n=0, types={"single": 3, "cloze": 2}, seed=5)
    assert [q.type for q in quiz.questions] == ["single"] * 3 + ["cloze"] * 2


# -- the command --------------------------------------------------------------------------

def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tiaowen")
    quiz_command.add_quiz_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["quiz", *argv])


@pytest.fixture
def from_corpus(monkeypatch, docs):
    monkeypatch.setattr(quiz_command, "load_source", lambda index_dir: docs)


def test_command_writes_each_format(from_corpus, tmp_path, capsys):
    for fmt in FORMATS:
        out = tmp_path / f"quiz.{fmt}"
        code = quiz_command.run_quiz(_args("--doc", JB, "--n", "8", "--format", fmt,
                                           "--out", str(out)))
        assert code == 0 and out.stat().st_size > 0
    assert "已生成 8 道题" in capsys.readouterr().err


def test_command_prints_json_to_stdout(from_corpus, capsysbinary):
    code = quiz_command.run_quiz(_args("--doc", JB, "--articles", "6", "--n", "3",
                                       "--types", "单选,填空", "--seed", "9"))
    assert code == 0
    data = json.loads(capsysbinary.readouterr().out.decode())
    assert len(data["questions"]) == 3
    assert {q["source"]["article"] for q in data["questions"]} == {"6"}


@pytest.mark.parametrize("argv, message", [
    (("--doc", "nope"), "未知的文件编号"),
    (("--doc", JB, "--articles", "40-50"), "没有对应的条文"),
    (("--types", "single,essay"), "未知的题型"),
    (("--n", "-3"), "正整数"),
])
def test_command_rejects_bad_input(from_corpus, capsys, argv, message):
    assert quiz_command.run_quiz(_args(*argv)) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err


def test_command_reports_a_shortfall_but_succeeds(from_corpus, capsysbinary):
    code = quiz_command.run_quiz(_args("--doc", JB, "--articles", "17", "--n", "60"))
    captured = capsysbinary.readouterr()
    assert code == 0
    assert "只能生成" in captured.err.decode()
    assert 0 < len(json.loads(captured.out.decode())["questions"]) < 60


def test_command_without_index_explains_how_to_build_one(tmp_path, capsys):
    assert quiz_command.run_quiz(_args("--index", str(tmp_path / "none"))) == 2
    assert "tiaowen index" in capsys.readouterr().err


# -- spans --------------------------------------------------------------------------------

def test_number_spans_find_quantities_not_dates_or_names():
    text = ("凡有三名以上正式党员的，每年抓好1—2项，不低于200元，60日内答复，"
            "须经三分之二以上、百分之七十同意；2016年5月31日落实“三会一课”和第三条。")
    assert [s.text for s in number_spans(text)] == ["三名", "1—2项", "200元", "60日", "三分之二", "百分之七十"]


def test_same_quantity_in_other_notation_counts_as_correct():
    assert also_correct("3人", "凡有三名以上正式党员的", unit="person")
    assert not also_correct("五名", "凡有三名以上正式党员的", unit="person")
    assert also_correct("登记管理机关", "由民政部门负责")  # synonyms
    assert near_duplicate("党群服务中心", "党群活动服务中心")


def test_question_problems_catch_bad_questions(quiz_jb):
    q = next(q for q in _questions(quiz_jb) if q["type"] == "single")
    wrong = next(k for k in q["options"] if k != q["answer"])
    leak = {**q, "stem": q["stem"] + q["options"][q["answer"]]}
    two_right = {**q, "options": {**q["options"], wrong: q["options"][q["answer"]] + ""}}
    assert question_problems(q) == []
    assert any("泄露" in p for p in question_problems(leak))
    assert question_problems(two_right)


# -- the real index and speed -------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded_index(built_index):
    from app.index import LoadedIndex
    return LoadedIndex.load(built_index)


def test_quiz_from_the_index_cites_indexed_sentences(loaded_index, quiz_all):
    quiz = build_quiz(loaded_index, n=100, seed=42)
    indexed = {(s.doc_id, s.article_id, s.text) for s in loaded_index.sentences}
    assert len(quiz.questions) == 100
    assert quiz_problems(quiz, indexed) == []
    assert quiz.to_json() == quiz_all.to_json()




def test_source_column_is_the_citation_marker_not_a_quoted_wenhao():
    from app.quiz.export import citation_text

    explanation = "原文：按照（中组发〔1990〕3号）执行。〔《发展党员细则（2014）》第44条，已修订〕"
    assert citation_text({"explanation": explanation}) == "《发展党员细则（2014）》第44条，已修订"
