"""Unit tests for evals.metrics, on small hand-made question/prediction dicts."""

from __future__ import annotations

import random
import time

import pytest

from evals.metrics import (
    citation_precision,
    citation_recall,
    citation_scores,
    extract_quantities,
    grounding_rate,
    grounding_scores,
    hit_at_k,
    key_fact_hit,
    key_fact_recall,
    latency_scores,
    lcs_ratio,
    normalize,
    numbers_grounded,
    percentile,
    recall_at_k,
    reciprocal_rank,
    refusal_scores,
    retrieval_scores,
    sentence_supported,
    split_answer_sentences,
    strip_citation_markers,
)

# --------------------------------------------------------------------------
# Fixtures shared by several metrics
# --------------------------------------------------------------------------

SENTENCE = "行业特征不明显、规模较小的社会组织和城乡社区社会组织的党建工作，由街道社区、乡镇村党组织兜底管理。"
ALTERED = "行业特征不明显、规模较小的社会组织和城乡社区社会组织的党建工作，由民政部门兜底管理。"
ARTICLE_4_TEXT = (
    "四、理顺社会组织党建工作管理体制。全国性行业协会商会的党建工作，由相关行业主管部门党组织领导和管理。"
    + SENTENCE
    + "暂时没有主管单位的社会组织，党建工作由所在地党委组织部门统筹。"
)
ARTICLE_6_TEXT = "六、凡有3名以上正式党员的社会组织，都要成立党支部。党支部委员会每届任期2年至3年。"
DOC = "shehui-zuzhi-yijian"


def cite(article: str, text: str, doc: str = DOC, short: str = "实施意见", label: str | None = None) -> dict:
    return {
        "doc_id": doc,
        "title": "关于加强社会组织党的建设工作的实施意见",
        "short_title": short,
        "article": article,
        "label": label or f"第{article}条",
        "heading": "",
        "text": text,
        "score": 0.9,
    }


def prediction(answer: str, citations: list[dict], refused: bool = False) -> dict:
    return {"id": "q1", "question": "?", "refused": refused, "answer": answer, "citations": citations}


def exp(*articles: str, doc: str = DOC) -> list[dict]:
    return [{"doc": doc, "article": a} for a in articles]


def ret(*articles: str, doc: str = DOC) -> list[dict]:
    return [{"doc_id": doc, "article": a, "score": 1.0 - i / 10} for i, a in enumerate(articles)]


# --------------------------------------------------------------------------
# retrieval
# --------------------------------------------------------------------------


class TestRetrieval:
    def test_hit_at_k_normal(self) -> None:
        retrieved = ret("2", "4", "7")
        assert hit_at_k(exp("4"), retrieved, 1) == 0.0
        assert hit_at_k(exp("4"), retrieved, 2) == 1.0
        assert hit_at_k(exp("9", "7"), retrieved, 3) == 1.0

    def test_ids_match_across_doc_and_doc_id_and_int_articles(self) -> None:
        assert hit_at_k([{"doc": DOC, "article": 4}], [{"doc_id": DOC, "article": "4"}], 1) == 1.0
        assert hit_at_k(exp("17-1"), ret("17", "17-1"), 2) == 1.0
        assert hit_at_k(exp("总纲"), ret("总纲"), 1) == 1.0

    def test_same_article_number_in_other_document_is_a_miss(self) -> None:
        assert hit_at_k(exp("4"), ret("4", doc="other-doc"), 5) == 0.0
        assert reciprocal_rank(exp("4"), ret("4", doc="other-doc")) == 0.0

    def test_empty_inputs(self) -> None:
        assert hit_at_k([], ret("4"), 5) == 0.0
        assert hit_at_k(exp("4"), [], 5) == 0.0
        assert hit_at_k(exp("4"), ret("4"), 0) == 0.0
        assert reciprocal_rank([], []) == 0.0
        assert recall_at_k([], ret("4"), 5) == 0.0
        assert recall_at_k(exp("4"), None, 5) == 0.0

    def test_reciprocal_rank(self) -> None:
        assert reciprocal_rank(exp("4"), ret("4", "5")) == 1.0
        assert reciprocal_rank(exp("5", "9"), ret("1", "2", "5", "9")) == pytest.approx(1 / 3)
        # Found, but below the cut-off.
        assert reciprocal_rank(exp("4"), ret("1", "2", "4"), k=2) == 0.0

    def test_recall_at_k(self) -> None:
        expected = exp("4", "6", "8") + exp("4")  # duplicate counts once
        assert recall_at_k(expected, ret("6", "1", "4", "8"), 3) == pytest.approx(2 / 3)
        assert recall_at_k(expected, ret("6", "1", "4", "8"), 4) == 1.0
        assert recall_at_k(expected, ret("1", "2"), 5) == 0.0

    def test_retrieval_scores_skips_unanswerable(self) -> None:
        pairs = [
            ({"answerable": True, "expected": exp("4")}, {"retrieved": ret("4", "5")}),
            ({"answerable": True, "expected": exp("6", "7")}, {"retrieved": ret("1", "6", "2", "3", "4", "7")}),
            ({"answerable": False, "expected": []}, {"retrieved": ret("9")}),
        ]
        scores = retrieval_scores(pairs)
        assert scores == {
            "hit@1": 0.5,
            "hit@3": 1.0,
            "hit@5": 1.0,
            "mrr@10": pytest.approx((1.0 + 0.5) / 2),
            "recall@5": pytest.approx((1.0 + 0.5) / 2),
        }

    def test_retrieval_scores_empty(self) -> None:
        expected = {"hit@1": None, "hit@3": None, "hit@5": None, "mrr@10": None, "recall@5": None}
        assert retrieval_scores([]) == expected
        assert retrieval_scores([({"answerable": False}, {"retrieved": []})]) == expected


# --------------------------------------------------------------------------
# citation
# --------------------------------------------------------------------------


class TestCitation:
    def test_precision_and_recall_normal(self) -> None:
        citations = [cite("4", ARTICLE_4_TEXT), cite("5", "…")]
        assert citation_precision(exp("4"), citations) == 0.5
        assert citation_recall(exp("4", "6"), citations) == 0.5
        assert citation_recall(exp("4"), citations) == 1.0

    def test_duplicate_citations_count_once(self) -> None:
        citations = [cite("4", "a"), cite("4", "b"), cite("5", "c")]
        assert citation_precision(exp("4"), citations) == 0.5

    def test_wrong_citations(self) -> None:
        assert citation_precision(exp("4"), [cite("5", "x")]) == 0.0
        assert citation_recall(exp("4"), [cite("4", "x", doc="other")]) == 0.0

    def test_empty_inputs_are_undefined(self) -> None:
        assert citation_precision(exp("4"), []) is None
        assert citation_precision(exp("4"), None) is None
        assert citation_recall([], [cite("4", "x")]) is None
        # Citing something when nothing was expected is still imprecise.
        assert citation_precision([], [cite("4", "x")]) == 0.0

    def test_citation_scores_micro_average(self) -> None:
        pairs = [
            # 2 cited, 1 correct; 1 expected, found.
            ({"answerable": True, "expected": exp("4")}, prediction("…", [cite("4", "a"), cite("5", "b")])),
            # Nothing cited; 2 expected, none found.
            ({"answerable": True, "expected": exp("6", "7")}, prediction("…", [])),
            # Skipped: refused, and unanswerable.
            ({"answerable": True, "expected": exp("8")}, prediction("", [], refused=True)),
            ({"answerable": False, "expected": []}, prediction("…", [cite("9", "c")])),
        ]
        scores = citation_scores(pairs)
        assert scores["citation_precision"] == pytest.approx(1 / 2)
        # Micro: 1 of 3 expected articles; a macro mean would give 0.5.
        assert scores["citation_recall"] == pytest.approx(1 / 3)

    def test_citation_scores_empty(self) -> None:
        assert citation_scores([]) == {"citation_precision": None, "citation_recall": None}


# --------------------------------------------------------------------------
# grounding: text helpers
# --------------------------------------------------------------------------


def _lcs_dp(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


class TestNormalizeAndLcs:
    def test_normalize_removes_chinese_and_ascii_punctuation_and_space(self) -> None:
        text = "〔《实施意见》第4条〕「甲」“乙”、丙，丁。戊；己：庚！辛？（壬）(癸) a, b.\n\t子\u3000丑"
        assert normalize(text) == "实施意见第4条甲乙丙丁戊己庚辛壬癸ab子丑"

    def test_normalize_folds_full_width(self) -> None:
        assert normalize("２００元") == "200元"

    def test_normalize_empty(self) -> None:
        assert normalize("") == ""
        assert normalize(None) == ""
        assert normalize("，。、 ") == ""

    def test_lcs_ratio_values(self) -> None:
        assert lcs_ratio("党组织兜底管理", "由乡镇党组织兜底管理。") == 1.0
        assert lcs_ratio("甲乙丙", "甲x乙y丙") == 1.0
        assert lcs_ratio("甲乙丙丁", "甲乙戊己") == 0.5
        assert lcs_ratio("丙乙甲", "甲乙丙") == pytest.approx(1 / 3)  # order matters
        assert lcs_ratio("甲，乙。", "甲乙") == 1.0  # punctuation ignored

    def test_lcs_ratio_empty(self) -> None:
        assert lcs_ratio("", "甲乙") == 0.0
        assert lcs_ratio("。", "甲乙") == 0.0
        assert lcs_ratio("甲乙", "") == 0.0

    def test_lcs_matches_dynamic_programming(self) -> None:
        rng = random.Random(7)
        for _ in range(300):
            a = "".join(rng.choice("甲乙丙丁戊") for _ in range(rng.randint(1, 25)))
            b = "".join(rng.choice("甲乙丙丁戊己") for _ in range(rng.randint(0, 50)))
            assert lcs_ratio(a, b) == pytest.approx(_lcs_dp(a, b) / len(a))

    def test_lcs_is_fast_enough(self) -> None:
        rng = random.Random(1)
        alphabet = [chr(0x4E00 + i) for i in range(400)]
        a = "".join(rng.choice(alphabet) for _ in range(300))
        b = "".join(rng.choice(alphabet) for _ in range(5000))
        start = time.perf_counter()
        for _ in range(5):
            lcs_ratio(a, b)
        # Target is ~20 ms per call; the bound is loose to stay stable on slow CI.
        assert (time.perf_counter() - start) / 5 < 0.2


class TestSplitAnswerSentences:
    def test_single_marker(self) -> None:
        answer = SENTENCE + "〔《实施意见》第4条〕"
        assert split_answer_sentences(answer) == [(SENTENCE.rstrip("。"), [("实施意见", "4")])]

    def test_multiple_refs_in_one_marker_and_special_articles(self) -> None:
        answer = (
            "成立党支部。〔《实施意见》第6条；《支部工作条例》第5条〕"
            "坚持党的领导！〔《章程》总纲〕\n"
            "不忘初心？〔《宪法》序言〕"
        )
        assert split_answer_sentences(answer) == [
            ("成立党支部", [("实施意见", "6"), ("支部工作条例", "5")]),
            ("坚持党的领导", [("章程", "总纲")]),
            ("不忘初心", [("宪法", "序言")]),
        ]

    def test_marker_before_terminator_and_unmarked_sentence(self) -> None:
        answer = "甲规定〔《实施意见》第十七条之一〕；乙规定\n\n丙规定。〔《实施意见》第17-1条〕"
        assert split_answer_sentences(answer) == [
            ("甲规定", [("实施意见", "17-1")]),
            ("乙规定", []),
            ("丙规定", [("实施意见", "17-1")]),
        ]

    def test_non_citation_brackets_are_kept(self) -> None:
        answer = "依据中办发〔2015〕51号文件。"
        assert split_answer_sentences(answer) == [("依据中办发〔2015〕51号文件", [])]
        assert strip_citation_markers(answer) == answer

    def test_empty(self) -> None:
        assert split_answer_sentences("") == []
        assert split_answer_sentences(None) == []
        assert split_answer_sentences("〔《实施意见》第4条〕。\n……") == []


class TestSentenceSupport:
    def test_verbatim_sentence_is_supported(self) -> None:
        assert sentence_supported(SENTENCE, [ARTICLE_6_TEXT, ARTICLE_4_TEXT])

    def test_altered_sentence_is_not_supported(self) -> None:
        # 35 of 39 characters survive in order: just under the 0.9 threshold,
        # so a long article echoing 民政部门 elsewhere could tip it over.
        assert lcs_ratio(ALTERED, ARTICLE_4_TEXT) == pytest.approx(35 / 39)
        assert not sentence_supported(ALTERED, [ARTICLE_4_TEXT])

    def test_light_paraphrase_passes_lcs_threshold(self) -> None:
        # One character dropped out of ~40: still "contained in order".
        paraphrase = SENTENCE.replace("的党建工作", "党建工作")
        assert normalize(paraphrase) not in normalize(ARTICLE_4_TEXT)
        assert sentence_supported(paraphrase, [ARTICLE_4_TEXT])

    def test_empty(self) -> None:
        assert not sentence_supported("", [ARTICLE_4_TEXT])
        assert not sentence_supported(SENTENCE, [])
        assert not sentence_supported(SENTENCE, [None, ""])


# --------------------------------------------------------------------------
# grounding: per-prediction and aggregate
# --------------------------------------------------------------------------


class TestGroundingRate:
    def test_grounded_answer(self) -> None:
        pred = prediction(SENTENCE + "〔《实施意见》第4条〕", [cite("4", ARTICLE_4_TEXT)])
        assert grounding_rate(pred) == 1.0

    def test_altered_answer(self) -> None:
        pred = prediction(ALTERED + "〔《实施意见》第4条〕", [cite("4", ARTICLE_4_TEXT)])
        assert grounding_rate(pred) == 0.0

    def test_partly_grounded_answer(self) -> None:
        answer = SENTENCE + "〔《实施意见》第4条〕" + ALTERED
        assert grounding_rate(prediction(answer, [cite("4", ARTICLE_4_TEXT)])) == 0.5

    def test_marker_restricts_support_to_named_article(self) -> None:
        citations = [cite("4", ARTICLE_4_TEXT), cite("6", ARTICLE_6_TEXT)]
        # Right text, wrong article in the marker.
        assert grounding_rate(prediction(SENTENCE + "〔《实施意见》第6条〕", citations)) == 0.0
        # Marker names an article that was never provided as a citation.
        assert grounding_rate(prediction(SENTENCE + "〔《实施意见》第9条〕", citations)) == 0.0
        # Several refs in one marker: any of them may support the sentence.
        answer = SENTENCE + "〔《实施意见》第6条；《实施意见》第4条〕"
        assert grounding_rate(prediction(answer, citations)) == 1.0

    def test_marker_matches_by_label_and_full_title(self) -> None:
        citation = cite("4", ARTICLE_4_TEXT, label="第四条")
        assert grounding_rate(prediction(SENTENCE + "〔《实施意见》第四条〕", [citation])) == 1.0
        full_title = "〔《关于加强社会组织党的建设工作的实施意见》第4条〕"
        assert grounding_rate(prediction(SENTENCE + full_title, [citation])) == 1.0

    def test_unmarked_sentence_checks_all_citations(self) -> None:
        citations = [cite("6", ARTICLE_6_TEXT), cite("4", ARTICLE_4_TEXT)]
        assert grounding_rate(prediction(SENTENCE, citations)) == 1.0
        assert grounding_rate(prediction(SENTENCE, [])) == 0.0

    def test_refused_or_empty_is_none(self) -> None:
        assert grounding_rate(prediction("知识库中未找到相关规定。", [], refused=True)) is None
        assert grounding_rate(prediction("", [cite("4", ARTICLE_4_TEXT)])) is None


class TestQuantities:
    def test_extracts_arabic_and_chinese_quantities(self) -> None:
        text = (
            "罚款200元，3人以上，60日内，每年1—2项，2016年起；三名委员、五人小组，"
            "六十日内，任期两年或一年，年满十八岁，三分之二以上，百分之七十，占70%。"
        )
        assert extract_quantities(text) == {
            "200元", "3人", "60日", "1—2项", "2016年", "三名", "五人", "六十日",
            "两年", "一年", "十八岁", "三分之二", "百分之七十", "70%",
        }

    def test_citation_and_article_numbers_are_not_quantities(self) -> None:
        text = "成立党支部。〔《实施意见》第6条；《支部工作条例》第十七条之一〕依照第十条规定。"
        assert extract_quantities(text) == set()

    def test_words_containing_numerals_are_not_quantities(self) -> None:
        assert extract_quantities("统一领导，建立一个机制，十分重要，第一书记，进一步加强。") == set()

    def test_empty(self) -> None:
        assert extract_quantities("") == set()
        assert extract_quantities(None) == set()


class TestNumbersGrounded:
    def test_numbers_present_in_cited_article(self) -> None:
        text = "社会组织登记费为200元，3名以上党员的应当成立党支部。"
        pred = prediction("登记费为200元，3名以上党员成立党支部。〔《实施意见》第6条〕", [cite("6", text)])
        assert numbers_grounded(pred) is True

    def test_wrong_amount_is_not_grounded(self) -> None:
        text = "社会组织登记费为200元。"
        pred = prediction("登记费为300元。〔《实施意见》第6条〕", [cite("6", text)])
        assert numbers_grounded(pred) is False

    def test_number_must_not_match_inside_a_longer_number(self) -> None:
        pred = prediction("需要3人。", [cite("6", "需要13人。")])
        assert numbers_grounded(pred) is False
        pred = prediction("需要三名委员。", [cite("6", "需要十三名委员。")])
        assert numbers_grounded(pred) is False

    def test_full_width_and_spaced_source_still_match(self) -> None:
        pred = prediction("收取200元，期限1-2年。", [cite("6", "收取２００ 元，期限1—2年。")])
        assert numbers_grounded(pred) is True

    def test_edge_cases(self) -> None:
        # No quantities: vacuously grounded.
        assert numbers_grounded(prediction(SENTENCE, [cite("4", ARTICLE_4_TEXT)])) is True
        # Quantities but nothing cited.
        assert numbers_grounded(prediction("罚款200元。", [])) is False
        assert numbers_grounded(prediction("", [], refused=True)) is None


class TestGroundingScores:
    def test_aggregate(self) -> None:
        preds = [
            prediction(SENTENCE + "〔《实施意见》第4条〕", [cite("4", ARTICLE_4_TEXT)]),
            prediction(SENTENCE + ALTERED + "每届任期5年。", [cite("4", ARTICLE_4_TEXT)]),
            prediction("无法回答。", [], refused=True),
        ]
        scores = grounding_scores(preds)
        assert scores["grounding"] == pytest.approx((1.0 + 1 / 3) / 2)
        assert scores["numbers_grounded"] == 0.5

    def test_empty(self) -> None:
        assert grounding_scores([]) == {"grounding": None, "numbers_grounded": None}


# --------------------------------------------------------------------------
# key facts
# --------------------------------------------------------------------------


class TestKeyFacts:
    Q = {"answerable": True, "key_phrases": ["兜底管理", "街道社区、乡镇村党组织"]}

    def test_hit_after_normalisation(self) -> None:
        # The answer's punctuation differs from the phrase's; normalize() bridges it.
        assert key_fact_hit(self.Q, prediction("由街道社区，乡镇村党组织负责。", [])) == 1.0

    def test_miss(self) -> None:
        assert key_fact_hit(self.Q, prediction("由民政部门管理。", [])) == 0.0

    def test_phrase_only_inside_citation_marker_does_not_count(self) -> None:
        q = {"answerable": True, "key_phrases": ["实施意见"]}
        assert key_fact_hit(q, prediction("见相关规定。〔《实施意见》第4条〕", [])) == 0.0

    def test_refused_and_undefined(self) -> None:
        assert key_fact_hit(self.Q, prediction("兜底管理", [], refused=True)) == 0.0
        assert key_fact_hit({"answerable": False, "key_phrases": ["x"]}, prediction("x", [])) is None
        assert key_fact_hit({"answerable": True, "key_phrases": []}, prediction("x", [])) is None
        assert key_fact_hit({"answerable": True, "key_phrases": ["，"]}, prediction("x", [])) is None

    def test_recall(self) -> None:
        pairs = [
            (self.Q, prediction("由乡镇村党组织兜底管理。", [])),
            (self.Q, prediction("", [], refused=True)),
            (self.Q, prediction("由民政部门管理。", [])),
            ({"answerable": False, "key_phrases": []}, prediction("", [], refused=True)),
        ]
        assert key_fact_recall(pairs) == pytest.approx(1 / 3)
        assert key_fact_recall([]) is None


# --------------------------------------------------------------------------
# refusal
# --------------------------------------------------------------------------


class TestRefusal:
    def test_mixed(self) -> None:
        answerable, oos = {"answerable": True}, {"answerable": False}
        pairs = [
            (oos, {"refused": True}),
            (oos, {"refused": True}),
            (oos, {"refused": False}),
            (answerable, {"refused": True}),
            (answerable, {"refused": False}),
            (answerable, {"refused": False}),
            (answerable, {"refused": False}),
        ]
        assert refusal_scores(pairs) == {
            "refusal_precision": pytest.approx(2 / 3),
            "refusal_recall": pytest.approx(2 / 3),
            "false_refusal_rate": 0.25,
        }

    def test_never_refusing(self) -> None:
        pairs = [({"answerable": False}, {"refused": False}), ({"answerable": True}, {"refused": False})]
        assert refusal_scores(pairs) == {
            "refusal_precision": 1.0,
            "refusal_recall": 0.0,
            "false_refusal_rate": 0.0,
        }

    def test_always_refusing_answerable(self) -> None:
        pairs = [({"answerable": True}, {"refused": True})]
        assert refusal_scores(pairs) == {
            "refusal_precision": 0.0,
            "refusal_recall": 1.0,
            "false_refusal_rate": 1.0,
        }

    def test_empty(self) -> None:
        assert refusal_scores([]) == {
            "refusal_precision": 1.0,
            "refusal_recall": 1.0,
            "false_refusal_rate": 0.0,
        }


# --------------------------------------------------------------------------
# latency
# --------------------------------------------------------------------------


class TestLatency:
    def test_percentile_matches_numpy_linear(self) -> None:
        values = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
        assert percentile(values, 50) == 2.5  # numpy.percentile(..., 50) == 2.5
        assert percentile(values, 95) == pytest.approx(3.85)
        assert percentile(values, 0) == 1.0
        assert percentile(values, 100) == 4.0
        assert percentile([7.0], 95) == 7.0

    def test_percentile_errors(self) -> None:
        with pytest.raises(ValueError):
            percentile([], 50)
        with pytest.raises(ValueError):
            percentile([1.0], 101)
        with pytest.raises(ValueError):
            percentile([1.0], -1)

    def test_latency_scores(self) -> None:
        preds = [{"latency_ms": v} for v in (100.0, 200, 300.0, 400.0)]
        preds.append({"latency_ms": None})
        preds.append({})
        assert latency_scores(preds) == {
            "latency_p50_ms": 250.0,
            "latency_p95_ms": pytest.approx(385.0),
        }

    def test_latency_scores_empty(self) -> None:
        assert latency_scores([]) == {"latency_p50_ms": None, "latency_p95_ms": None}


def test_marker_with_a_note_after_the_label():
    from evals.metrics.grounding import parse_citation_marker

    assert parse_citation_marker("《发展党员细则（2014）》序言，已修订") == [("发展党员细则（2014）", "序言")]
    assert parse_citation_marker("《发展党员细则（2014）》第8条，已修订") == [("发展党员细则（2014）", "8")]
