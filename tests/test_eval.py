"""The eval set is valid against the index, and the product passes its CI gate."""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest

from app.index import LoadedIndex
from evals.datasets import DEFAULT_SET, HOLDOUT_SETS, load_questions
from evals.metrics import normalize
from evals.report import THRESHOLDS, breakdown_table, gate, misses, summary_table
from evals.runner import CONFIGS, PRODUCT, run_eval


@pytest.fixture(scope="module")
def questions():
    return load_questions()


def test_set_covers_every_document(questions, built_index):
    index = LoadedIndex.load(built_index)
    per_doc = Counter(e["doc"] for q in questions for e in q["expected"])
    assert len(questions) >= 200 and per_doc["jingbanfa-2016-27"] >= 70
    assert all(per_doc[d] >= 10 for d in index.documents)
    assert sum(not q["answerable"] for q in questions) >= 30


@pytest.mark.parametrize("path", [DEFAULT_SET, *HOLDOUT_SETS])
def test_expected_articles_exist_and_hold_the_key_phrases(path, built_index):
    index = LoadedIndex.load(built_index)
    for q in load_questions(path):
        texts = []
        for e in q["expected"]:
            article = index.documents[e["doc"]].article(str(e["article"]))
            assert article is not None, (q["id"], e)
            texts.append(article.display_text)
        for phrase in q["key_phrases"]:
            assert any(phrase in t for t in texts), (q["id"], phrase)
        assert q["answerable"] == bool(q["expected"]), q["id"]


def test_product_passes_the_eval_gate(questions, assistant, tmp_path):
    results = run_eval(assistant, [PRODUCT], questions)
    metrics = results[PRODUCT]["metrics"]
    print("\n" + summary_table(results))
    print("\n".join(misses(questions, results[PRODUCT]["predictions"])[:20]))
    assert gate(metrics, tomllib.loads(THRESHOLDS.read_text())["product"]) == []


def test_every_configuration_answers_every_kind_of_question(assistant):
    """The baselines rank by other means than the product's retriever, but share its answer
    step: a comparison of versions, a named article and an out-of-scope question go through it
    under each of them."""
    questions = [{"id": "v", "question": "新旧细则对入党介绍人的规定有什么变化", "answerable": True,
                  "expected": [{"doc": "fazhan-dangyuan-2026", "article": "14"}]},
                 {"id": "a", "question": "党章第七条讲什么", "answerable": True,
                  "expected": [{"doc": "dangzhang-2022", "article": "7"}]},
                 {"id": "o", "question": "明天北京天气怎么样", "answerable": False, "expected": []}]
    results = run_eval(assistant, list(CONFIGS), questions)
    assert set(results) == set(CONFIGS)
    for result in results.values():
        assert [p["id"] for p in result["predictions"]] == ["v", "a", "o"]
        assert result["predictions"][2]["refused"]


def test_gate_reports_each_failing_metric():
    failures = gate({"hit@1": 0.5, "false_refusal_rate": 0.2, "grounding": None},
                    {"hit@1": 0.8, "false_refusal_rate": 0.05, "grounding": 1.0})
    assert len(failures) == 3 and failures[0].startswith("hit@1 = 0.500 < 0.8")


def test_normalize_is_the_metric_basis():
    assert normalize("由街道社区、乡镇村党组织兜底管理。") == "由街道社区乡镇村党组织兜底管理"


def test_breakdown_scores_each_group_on_its_own_questions():
    def q(qid, kind, answerable=True):
        expected = [{"doc": "d", "article": "1"}] if answerable else []
        return {"id": qid, "type": kind, "answerable": answerable, "expected": expected,
                "key_phrases": ["兜底"] if answerable else []}

    def p(refused, article="1"):
        cited = [] if refused else [{"doc_id": "d", "article": article}]
        return {"refused": refused, "answer": "" if refused else "兜底。", "citations": cited,
                "evidence": [], "retrieved": [{"doc_id": "d", "article": article}], "latency_ms": 1.0}

    questions = [q("a", "typo"), q("b", "typo"), q("c", "oos", False), q("d", "oos", False)]
    predictions = [p(False), p(False, "2"), p(True), p(False)]
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")
            for line in breakdown_table(questions, predictions, "题型", lambda x: x["type"]).splitlines()[2:]}
    # typo: one of two first-ranked right; no out-of-scope question, so no refusal recall
    assert rows["typo"][1:3] == ["2", "0.500"] and rows["typo"][-1] == "— |"
    # oos: one of two refused; no answerable question, so no false-refusal rate
    assert rows["oos"][-2:] == ["—", "0.500 |"]
