"""Quiz generation from the article text itself: 单选, 多选, 判断 and 填空 questions.

Every question is built around one decisive span of one sentence (see `spans`): a 填空 blanks
it, a 单选 offers it with three distractors of the same kind from other articles, a 多选 offers
the members of an enumeration plus distractors, a 判断 states the sentence as is (true) or
with the span swapped for a distractor (false). Questions that fail an automatic check
(`checks`) are dropped, never repaired, so every question returned passes them.

`build_quiz` is a pure function of its inputs and the seed.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from indexer.chunk import Sentence, article_sentences
from indexer.records import Article, Document, short_ref
from indexer.tokenize import corpus_terms, load_dictionary

from app.quiz import spans as sp
from app.quiz.spans import Span

QUESTION_TYPES = ("single", "multi", "tf", "cloze")
TYPE_NAMES = {"single": "单选题", "multi": "多选题", "tf": "判断题", "cloze": "填空题"}
TYPE_ALIASES = {"single": "single", "单选": "single", "单选题": "single",
                "multi": "multi", "多选": "multi", "多选题": "multi",
                "tf": "tf", "判断": "tf", "判断题": "tf", "truefalse": "tf",
                "cloze": "cloze", "填空": "cloze", "填空题": "cloze"}
LETTERS = "ABCD"
CHOICE_BLANK = "（　　）"
CLOZE_BLANK = "＿＿＿＿"
ELLIPSIS = "……"
MAX_N = 1000
DRAFT_ID = "Q000"  # replaced by Q001… once the quiz is ordered

# Sentences that lean on text the stem cannot show (前款, 下列) make unanswerable questions.
_DEPENDENT_RE = re.compile(r"前款|前述|上述|本款|前条|前项|下列|以下情形|如下|第[一二三四五六七八九十]+款"
                           r"|^(?:它|他|她|其|这|该|此|这种|这样)")
_ITEM_MARK_RE = re.compile(r"^(?:（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+是|\d+[.．、])")
_LONG_SENTENCE = 110
# Permissive rules (可, 鼓励, 提倡…): swapping their agent gives a statement that is not
# clearly false, so their 判断 questions state the text as is.
_PERMISSIVE_RE = re.compile(r"可|鼓励|提倡|支持|注重|积极|一般")


class QuizError(ValueError):
    """A request the corpus cannot serve; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Source:
    doc_id: str
    article: str
    label: str
    sentence: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    stem: str
    options: dict[str, str] | None
    answer: str | list[str] | bool
    explanation: str
    source: Source

    def to_json(self) -> dict:
        data = {"id": self.id, "type": self.type, "stem": self.stem}
        if self.options is not None:
            data["options"] = dict(self.options)
        data["answer"] = list(self.answer) if isinstance(self.answer, list) else self.answer
        data["explanation"] = self.explanation
        data["source"] = {"doc_id": self.source.doc_id, "article": self.source.article,
                          "label": self.source.label, "sentence": self.source.sentence}
        return data


@dataclass
class Quiz:
    questions: list[Question]
    note: str = ""          # Chinese notice when fewer questions than requested could be made
    documents: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The export contract other tools read: {"questions": [...]}."""
        return {"questions": [q.to_json() for q in self.questions]}


# -- the prepared corpus ------------------------------------------------------------------

@dataclass(frozen=True)
class PoolEntry:
    """A span seen elsewhere in the corpus, available as a distractor."""

    text: str
    key: tuple[str, str]
    value: tuple[float, ...]
    compound: bool


@dataclass
class QuizBank:
    """Documents, their sentences, every sentence's spans and the distractor pool."""

    documents: dict[str, Document]
    sentences: list[Sentence]
    idf: dict[str, float]
    terms: frozenset[str]
    articles: dict[tuple[str, str], Article] = field(default_factory=dict)
    pool: dict[tuple[str, str], list[PoolEntry]] = field(default_factory=dict)
    # names a document lists together (组织部门、社会工委、民政部门): co-responsible, so
    # never distractors for one another
    colisted: dict[str, set[str]] = field(default_factory=dict)
    _spans: dict[str, list[Span]] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)

    def doc_text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = "\n".join(a.text for a in self.documents[doc_id].articles)
        return self._texts[doc_id]

    def spans(self, text: str) -> list[Span]:
        if text not in self._spans:
            self._spans[text] = sp.sentence_spans(text, self.idf, self.terms)
        return self._spans[text]


_BANKS: dict[tuple, QuizBank] = {}
_BANKS_KEPT = 4                     # a server that re-indexes keeps the newest few only
_BANKS_LOCK = threading.Lock()      # the web tab may ask for two quizzes at once


def _source_parts(source) -> tuple[dict[str, Document], list[Sentence] | None, str]:
    """(documents, sentences or None, origin) of a LoadedIndex, a dict or a list of documents."""
    if hasattr(source, "documents") and hasattr(source, "sentences"):
        return dict(source.documents), list(source.sentences), "index"
    if isinstance(source, Mapping):
        return dict(source), None, "docs"
    docs = list(source)
    return {d.doc_id: d for d in docs}, None, "docs"


def prepare(source) -> QuizBank:
    """The quiz bank of a loaded index (its own sentences) or of parsed documents; cached."""
    documents, sentences, origin = _source_parts(source)
    fingerprint = (origin, tuple((d.doc_id, d.sha256, len(d.articles)) for d in documents.values()))
    with _BANKS_LOCK:
        if fingerprint not in _BANKS:
            while len(_BANKS) >= _BANKS_KEPT:
                _BANKS.pop(next(iter(_BANKS)))
            _BANKS[fingerprint] = _new_bank(documents, sentences)
        return _BANKS[fingerprint]


def _new_bank(documents: dict[str, Document], sentences: list[Sentence] | None) -> QuizBank:
    if sentences is None:
        sentences = [s for d in documents.values() for a in d.articles for s in article_sentences(a)]
    texts = [a.text for d in documents.values() for a in d.articles]
    load_dictionary(corpus_terms(texts))
    live = [s for s in sentences if not documents[s.doc_id].superseded]
    bank = QuizBank(documents, sentences, sp.compute_idf(s.text for s in live),
                    sp.MECHANISM_TERMS | sp.quoted_terms(texts),
                    {a.key: a for d in documents.values() for a in d.articles})
    bank.pool = _build_pool(bank, live)
    bank.colisted = _colisted(bank, sentences)
    return bank


def _colisted(bank: QuizBank, sentences: Iterable[Sentence]) -> dict[str, set[str]]:
    together: dict[str, set[str]] = {}
    for s in sentences:
        for span in bank.spans(s.text):
            if span.items and span.kind in (sp.BODY, sp.ROLE):
                for item in span.items:
                    together.setdefault(item, set()).update(span.items)
    return together


def _build_pool(bank: QuizBank, sentences: Iterable[Sentence]) -> dict[tuple[str, str], list[PoolEntry]]:
    pool: dict[tuple[str, str], list[PoolEntry]] = {}
    seen: set[tuple[str, str, tuple[str, str]]] = set()
    for s in sentences:
        for span in bank.spans(s.text):
            if span.kind not in sp.SWAPPABLE:
                continue
            mark = (span.kind, span.text, s.key)
            if mark in seen:
                continue
            seen.add(mark)
            pool.setdefault(span.group, []).append(
                PoolEntry(span.text, s.key, span.value, bool(span.items)))
    return pool


# -- selection of documents and articles --------------------------------------------------

def parse_article_spec(spec: str) -> list[str]:
    """'4-7,18' -> tokens ['4-7', '18']; separators , ， 、 and spaces."""
    return [t for t in re.split(r"[,，、\s]+", spec.strip()) if t]


def _article_number(article_id: str) -> int | None:
    m = re.match(r"\d+", article_id)
    return int(m.group(0)) if m else None


def select_articles(doc: Document, tokens: Sequence[str]) -> list[Article]:
    """Articles of `doc` named by the tokens: an exact id ("17-1", "总纲") or a range "4-7"
    (which includes sub-articles such as 5-1)."""
    chosen: list[Article] = []
    for token in tokens:
        token = token.replace("—", "-").replace("－", "-").replace("～", "-").replace("~", "-")
        exact = doc.article(token)
        if exact:
            chosen.append(exact)
            continue
        m = re.fullmatch(r"(\d+)-(\d+)", token)
        if m and int(m.group(1)) <= int(m.group(2)):
            lo, hi = int(m.group(1)), int(m.group(2))
            chosen += [a for a in doc.articles
                       if (n := _article_number(a.article_id)) is not None and lo <= n <= hi]
    unique = {a.article_id: a for a in chosen}
    return [a for a in doc.articles if a.article_id in unique]


def _validate_tokens(tokens: Sequence[str]) -> None:
    for token in tokens:
        t = token.replace("—", "-").replace("－", "-").replace("～", "-").replace("~", "-")
        if not re.fullmatch(r"\d+(?:-\d+)?|总纲|序言", t):
            raise QuizError(f"条文范围“{token}”无法识别。请写成 4-7,18 这样的形式（总纲、序言可直接写名称）。")


def _chosen_sentences(bank: QuizBank, doc_ids: Sequence[str],
                      articles: str | Iterable[str] | None) -> tuple[list[Sentence], list[str]]:
    unknown = [d for d in doc_ids if d not in bank.documents]
    if unknown:
        known = "、".join(sorted(bank.documents))
        raise QuizError(f"未知的文件编号：{'、'.join(unknown)}。可用的文件编号：{known}。")
    if doc_ids:
        docs = [bank.documents[d] for d in dict.fromkeys(doc_ids)]
    else:
        docs = [d for d in bank.documents.values() if not d.superseded]
    if articles is None or articles == "" or articles == ():
        keys = {a.key for d in docs for a in d.articles}
    else:
        tokens = parse_article_spec(articles) if isinstance(articles, str) else [str(a) for a in articles]
        _validate_tokens(tokens)
        keys = {a.key for d in docs for a in select_articles(d, tokens)}
        if not keys:
            names = "、".join(f"《{d.short_title}》" for d in docs)
            raise QuizError(f"条文范围“{','.join(tokens)}”在{names}中没有对应的条文，请检查条号。")
    return [s for s in bank.sentences if s.key in keys], [d.doc_id for d in docs]


# -- building one question ----------------------------------------------------------------

def citation(doc: Document, article_id: str) -> str:
    """〔《实施意见》第6条〕, 〔《党章》总纲〕."""
    return f"〔{short_ref(doc.short_title, article_id)}〕"


@dataclass(frozen=True)
class Frame:
    """How a sentence is shown in a stem: intro, optional lead-in and the sentence text."""

    intro: str
    text: str          # the sentence without its list marker
    offset: int        # characters removed at the start (the marker)


def _frame(bank: QuizBank, sentence: Sentence) -> Frame:
    doc = bank.documents[sentence.doc_id]
    article = bank.articles[sentence.key]
    text = sentence.text
    marker = _ITEM_MARK_RE.match(text)
    offset = marker.end() if marker else 0
    intro = f"根据《{doc.short_title}》，"
    paragraphs = article.paragraphs
    if (marker or text.endswith(("；", ";"))) and sentence.paragraph > 0 \
            and paragraphs[0].endswith(("：", ":")) \
            and len(paragraphs[0]) <= 60 and "：" not in paragraphs[0][:-1]:
        intro += paragraphs[0] + ELLIPSIS  # 党支部的基本任务是：……（二）组织党员…
    return Frame(intro, text[offset:], offset)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The ；-clause holding [start, end) of a long sentence, else the whole sentence."""
    if len(text) <= _LONG_SENTENCE:
        return 0, len(text)
    cuts = [m.end() for m in re.finditer(r"[；;]", text)]
    lo = max([c for c in cuts if c <= start], default=0)
    hi = min([c for c in cuts if c >= end], default=len(text))
    return lo, hi


def render_body(frame: Frame, span: Span, replacement: str) -> str:
    """The sentence (or its clause) with `span` replaced by `replacement`."""
    start, end = span.start - frame.offset, span.end - frame.offset
    lo, hi = _clause_bounds(frame.text, start, end)
    piece = frame.text[lo:start] + replacement + frame.text[end:hi]
    if hi < len(frame.text):
        piece = piece[:-1] + "。"  # a clause cut at ；ends the stem
    prefix = ELLIPSIS if lo > 0 and not frame.intro.endswith(ELLIPSIS) else ""
    return prefix + piece


def _explain(bank: QuizBank, sentence: Sentence, reason: str = "") -> str:
    doc = bank.documents[sentence.doc_id]
    return f"{reason}原文：“{sentence.text}”{citation(doc, sentence.article_id)}"


def _source(bank: QuizBank, sentence: Sentence) -> Source:
    article = bank.articles[sentence.key]
    return Source(sentence.doc_id, sentence.article_id, article.label, sentence.text)


# -- distractors --------------------------------------------------------------------------

_OPEN_TAIL_RE = re.compile(r"(?:(?:、|和|及|以及|或|或者)[^，。；：、“”]{1,15}?)*等")


def _open_list(span: Span, sentence: str) -> bool:
    """“工会、共青团等组织”: the span is in a list closed by 等, so siblings of its members
    may be meant too."""
    in_list = sentence[span.start - 1:span.start] == "、" or sentence[span.end:span.end + 1] in "、等"
    return in_list and bool(_OPEN_TAIL_RE.match(sentence, span.end))


def _conflicts(candidate: str, span: Span, sentence: str, sentence_spans: list[Span],
               whole: Span | None = None, colisted: dict[str, set[str]] | None = None,
               doc_text: str = "") -> bool:
    """True when `candidate` could be read as correct for `span` in `sentence` (`whole`: the
    enumeration `span` belongs to, for 多选)."""
    if sp.also_correct(candidate, sentence, span.kind, span.unit):
        return True
    whole = whole or next((s for s in sentence_spans if s.items and s.kind == span.kind
                           and s.start <= span.start and span.end <= s.end), span)
    if _open_list(whole, sentence) and (span.kind in (sp.MECHANISM, sp.PLACE) or any(
            sp.same_family(candidate, t) for t in (whole.items or (whole.text,)))):
        return True  # after “党员亮身份、公开承诺践诺等活动” any other activity may be meant
    same = [span.text] + [s.text for s in sentence_spans if s.kind == span.kind]
    if any(sp.near_duplicate(candidate, t) for t in same):
        return True  # 党支部 vs 支部, 党群服务中心 vs 党群活动服务中心
    if colisted and any(candidate in colisted.get(t, ()) for t in same):
        return True  # 社会工委 is listed with 业务主管单位 elsewhere: it may share the duty
    if span.kind in (sp.BODY, sp.ROLE) and any(sp.genus_conflict(candidate, t) for t in same):
        return True
    if span.kind in (sp.BODY, sp.ROLE) and sp.name_conflict(candidate, span.text, sentence):
        return True
    if span.kind == sp.BODY:
        if sp.spans_both_domains(span.text) or sp.spans_both_domains(candidate):
            return True  # every body is part of 党委政府
        party_a, party_d = sp.is_party_body(span.text), sp.is_party_body(candidate)
        if party_a == party_d and (sp.is_generic_body(span.text) or sp.is_generic_body(candidate)):
            return True  # 社会组织党支部 *is* a 社会组织党组织; 民政部门 *is* a 行政机关
        if party_a and sp.is_generic_body(span.text) and doc_text and any(
                candidate + head in doc_text for head in ("党组织", "党委", "党组")):
            return True  # 上级党组织 may well be the 业务主管单位党组织 the document names
    return False


def _word_distractors(bank: QuizBank, span: Span, sentence: Sentence, count: int,
                      rng: random.Random, whole: Span | None = None) -> list[str]:
    best: dict[str, float] = {}
    for e in bank.pool.get(span.group, ()):
        if e.key == sentence.key or e.compound != bool(span.items):
            continue
        # names from the same document and of similar length read as the same kind of
        # thing (a 党章 organ beside 社会工委 is an obvious misfit); the jitter varies by seed
        score = abs(len(e.text) - len(span.text)) / max(len(span.text), 1) + rng.random() * 0.6
        if e.key[0] != sentence.doc_id:
            score += 1.0
        best[e.text] = min(score, best.get(e.text, score))
    sentence_spans = bank.spans(sentence.text)
    chosen: list[str] = []
    # best first, checked lazily: the conflict checks are the expensive part
    for text, _ in sorted(best.items(), key=lambda kv: (kv[1], kv[0])):
        if any(text in c or c in text or text in sp.synonyms_of(c) for c in chosen):
            continue
        if _conflicts(text, span, sentence.text, sentence_spans, whole, bank.colisted,
                      bank.doc_text(sentence.doc_id)):
            continue
        chosen.append(text)
        if len(chosen) == count:
            break
    return chosen


def _render_value(value: tuple[float, ...], span: Span) -> str | None:
    m = sp.NUMBER_RE.fullmatch(span.text)
    if m is None:
        return None
    if any(v != int(v) or v <= 0 for v in value):
        return None
    if m.group("pct"):
        return f"百分之{sp.int_to_chinese(int(value[0]))}" if value[0] < 100 else None
    if m.group("frac"):
        return None
    unit = m.group("unit")
    numerals = [m.group("n1")] + ([m.group("n2")] if m.group("n2") else [])
    parts = []
    for v, like in zip(value, numerals):
        try:
            text = sp.render_number(v, like)
        except ValueError:
            return None  # a Chinese numeral past 9999 (五千 doubled): no distractor of that style
        if v == 2 and not like.isdigit() and unit in sp.LIANG_UNITS and len(value) == 1:
            text = "两"
        parts.append(text)
    if unit == "%" and value[0] >= 100:
        return None
    return (m.group("dash") or "").join(parts) + unit


_FRACTIONS = ("二分之一", "三分之一", "三分之二", "四分之一", "四分之三", "五分之一", "五分之四")


def _nice(v: float) -> float:
    """Round to a figure a rule would print: 2 significant digits, ending in 0 or 5."""
    if v < 10:
        return float(round(v))
    magnitude = 10 ** (len(str(int(v))) - 2)
    return float(round(v / (magnitude * 5)) * magnitude * 5) or float(magnitude * 5)


def _synthetic_values(value: tuple[float, ...]) -> list[tuple[float, ...]]:
    """Plausible other quantities when the corpus offers too few of this unit."""
    if len(value) == 2:
        a, b = value
        width = b - a + 1  # ranges that do not overlap the true one: 1—2项 -> 3—4项, 5—6项
        return [(a + k * width, b + k * width) for k in (1, 2, 3)] + [(a * 3, b * 3), (a * 5, b * 5)]
    v = value[0]
    if v >= 10:
        options = [v / 2, v * 2, v * 1.5, v * 3, v * 2.5, v * 5, v / 4]
    else:
        options = [v + 1, v - 1, v * 2, v + 2, v + 3, v * 3, v + 5]
    return [(_nice(o),) for o in options if o >= 1]


def _number_distractors(bank: QuizBank, span: Span, sentence: Sentence, count: int,
                        rng: random.Random) -> list[str]:
    stated = {s.value for s in sp.number_spans(sentence.text) if s.unit == span.unit}
    if span.unit == "fraction":
        texts = [e.text for e in bank.pool.get(span.group, ()) if e.key != sentence.key]
        texts += [f for f in _FRACTIONS if f not in texts]
        values = {f: sp.number_spans(f)[0].value for f in texts}
        pool = [t for t in dict.fromkeys(texts) if values[t] not in stated]
        rng.shuffle(pool)
        return pool[:count]
    corpus = [e.value for e in bank.pool.get(span.group, ())
              if e.key != sentence.key and len(e.value) == len(span.value)
              and span.value[0] > 0 and 0.2 <= e.value[0] / span.value[0] <= 5]  # 五年/一百年: absurd
    ranked = sorted(dict.fromkeys(corpus),
                    key=lambda v: abs(math.log(v[0] / span.value[0])) + rng.random() * 0.3
                    if v[0] > 0 and span.value[0] > 0 else 9)
    chosen: list[str] = []
    used: set[tuple[float, ...]] = set(stated)
    for value in [*ranked, *_synthetic_values(span.value)]:
        if value in used or (len(value) == 2 and value[0] >= value[1]):
            continue
        text = _render_value(value, span)
        if not text or sp.also_correct(text, sentence.text, sp.NUMBER, span.unit, value):
            continue
        used.add(value)
        chosen.append(text)
        if len(chosen) == count:
            break
    return chosen


def distractors(bank: QuizBank, span: Span, sentence: Sentence, count: int,
                rng: random.Random) -> list[str]:
    """Up to `count` wrong options of the same kind as `span`, none also correct for the
    sentence; from other articles of the corpus (numbers: their values in this unit)."""
    if span.kind == sp.NUMBER:
        return _number_distractors(bank, span, sentence, count, rng)
    return _word_distractors(bank, span, sentence, count, rng)


# -- question makers ----------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    type: str
    sentence: Sentence
    span: Span
    priority: float
    variant: str = ""      # tf: "true" or "false"


def _options(correct: list[str], wrong: list[str], span: Span, rng: random.Random) -> list[str]:
    texts = correct + wrong
    if span.kind == sp.NUMBER and span.unit != "fraction":
        return sorted(texts, key=lambda t: sp.number_spans(t)[0].value if sp.number_spans(t) else (0,))
    rng.shuffle(texts)
    return texts


def make_single(bank: QuizBank, c: Candidate, rng: random.Random) -> Question | None:
    wrong = distractors(bank, c.span, c.sentence, 3, rng)
    if len(wrong) < 3:
        return None
    texts = _options([c.span.text], wrong, c.span, rng)
    options = dict(zip(LETTERS, texts))
    answer = LETTERS[texts.index(c.span.text)]
    frame = _frame(bank, c.sentence)
    return Question(DRAFT_ID, "single", frame.intro + render_body(frame, c.span, CHOICE_BLANK), options,
                    answer, _explain(bank, c.sentence, f"正确答案为{answer}（{c.span.text}）。"),
                    _source(bank, c.sentence))


def make_multi(bank: QuizBank, c: Candidate, rng: random.Random) -> Question | None:
    items = list(dict.fromkeys(c.span.items))
    if len(items) < 2:
        return None
    n_correct = min(len(items), rng.choice((2, 3)) if len(items) >= 3 else 2)
    member = sp.Span(items[0], c.span.kind, c.span.start, c.span.weight, c.span.unit)
    wrong = _word_distractors(bank, member, c.sentence, 4 - n_correct, rng, c.span)
    if len(wrong) < 4 - n_correct:
        return None
    correct = sorted(rng.sample(items, n_correct), key=items.index)
    if any(item.strip() == "" for item in correct):
        return None
    texts = _options(correct, wrong, c.span, rng)
    options = dict(zip(LETTERS, texts))
    answer = [LETTERS[texts.index(t)] for t in correct]
    answer.sort()
    frame = _frame(bank, c.sentence)
    return Question(DRAFT_ID, "multi", frame.intro + render_body(frame, c.span, CHOICE_BLANK), options,
                    answer, _explain(bank, c.sentence, f"正确答案为{''.join(answer)}。"),
                    _source(bank, c.sentence))


def make_tf(bank: QuizBank, c: Candidate, rng: random.Random) -> Question | None:
    frame = _frame(bank, c.sentence)
    if c.variant == "true":
        body = render_body(frame, c.span, c.span.text)
        return Question(DRAFT_ID, "tf", frame.intro + body, None, True,
                        _explain(bank, c.sentence, "题干表述与原文一致，故正确。"),
                        _source(bank, c.sentence))
    wrong = distractors(bank, c.span, c.sentence, 1, rng)
    if not wrong:
        return None
    body = render_body(frame, c.span, wrong[0])
    reason = f"原文为“{c.span.text}”，题干改为“{wrong[0]}”，故错误。"
    return Question(DRAFT_ID, "tf", frame.intro + body, None, False,
                    _explain(bank, c.sentence, reason), _source(bank, c.sentence))


def make_cloze(bank: QuizBank, c: Candidate, rng: random.Random) -> Question | None:
    frame = _frame(bank, c.sentence)
    return Question(DRAFT_ID, "cloze", frame.intro + render_body(frame, c.span, CLOZE_BLANK), None,
                    c.span.text, _explain(bank, c.sentence), _source(bank, c.sentence))


MAKERS = {"single": make_single, "multi": make_multi, "tf": make_tf, "cloze": make_cloze}


# -- candidates ---------------------------------------------------------------------------

def _usable_sentence(bank: QuizBank, sentence: Sentence) -> bool:
    text = sentence.text
    if not (12 <= len(text) <= 400) or text.endswith(("：", ":")) or ELLIPSIS in text \
            or _DEPENDENT_RE.search(text):
        return False
    # a list item (（三）…；) means nothing without the article's lead-in shown before it
    if (_ITEM_MARK_RE.match(text) or text.endswith(("；", ";"))) \
            and not _frame(bank, sentence).intro.endswith(ELLIPSIS):
        return False
    return True


def _usable_span(span: Span, sentence: Sentence, type_: str) -> bool:
    text = sentence.text
    if text.count(span.text) != 1:
        return False  # blanking one of two occurrences would leave the answer in the stem
    marker = _ITEM_MARK_RE.match(text)
    if marker and span.start < marker.end():
        return False
    if type_ != "cloze" and (text[span.start - 1:span.start] == "”" and span.start
                             or text[span.end:span.end + 1] in ("(", "（")):
        # “枢纽型”（　　）(党组): the glued modifier or the parenthesis hints at the answer
        return False
    return True


# Kinds a false 判断 may swap: a different system or place (长效机制 for 管理制度) is often
# just as true, a different body, number or mechanism is plainly a different rule.
# Mechanisms are excluded too: “参与党员亮身份” is nonsense rather than a wrong rule.
TF_SWAP_KINDS = frozenset({sp.NUMBER, sp.PRINCIPLE, sp.BODY, sp.ROLE, sp.FUND})


# Kinds with distractors: a different system (长效机制 for 管理制度) is often just as right.
CHOICE_KINDS = sp.SWAPPABLE - {sp.SYSTEM}


def _fits(type_: str, span: Span) -> bool:
    if type_ == "multi":
        return len(span.items) >= 2 and span.kind in CHOICE_KINDS
    if type_ == "single":
        # a whole enumeration as one option reads badly beside other lists; 多选 asks those
        return span.kind in CHOICE_KINDS and not span.items
    if type_ == "tf":
        return span.kind in sp.SWAPPABLE and not span.items
    return not span.items or len(span.text) <= 16


def candidates(bank: QuizBank, sentences: Sequence[Sentence], type_: str,
               rng: random.Random) -> list[Candidate]:
    """All (sentence, span) pairs usable for `type_`, in a seeded order favouring weight."""
    out: list[Candidate] = []
    for sentence in sentences:
        if not _usable_sentence(bank, sentence):
            continue
        for span in bank.spans(sentence.text):
            if not _usable_span(span, sentence, type_) or not _fits(type_, span):
                continue
            # weighted random order (Efraimidis–Spirakis): heavier spans tend to come first
            key = rng.random() ** (1.0 / max(span.weight, 0.05))
            out.append(Candidate(type_, sentence, span, key))
    out.sort(key=lambda c: -c.priority)
    return out


# -- the quiz -----------------------------------------------------------------------------

def parse_types(types: Iterable[str] | Mapping[str, int] | str) -> dict[str, int | None]:
    """Normalised question types, with per-type counts when given as a mapping."""
    if isinstance(types, str):
        types = [t for t in re.split(r"[,，、\s]+", types) if t]
    pairs = types.items() if isinstance(types, Mapping) else [(t, None) for t in types]
    out: dict[str, int | None] = {}
    for name, count in pairs:
        key = TYPE_ALIASES.get(str(name).strip().lower())
        if key is None:
            raise QuizError(f"未知的题型：{name}。可选题型：single（单选）、multi（多选）、tf（判断）、cloze（填空）。")
        if count is not None and (not isinstance(count, int) or count < 0):
            raise QuizError(f"{TYPE_NAMES[key]}的数量必须是非负整数。")
        out[key] = count
    if not out:
        raise QuizError("请至少选择一种题型。")
    return out


def _quotas(types: dict[str, int | None], n: int) -> dict[str, int]:
    if all(c is not None for c in types.values()):
        return {t: int(c) for t, c in types.items()}
    names = list(types)
    base, extra = divmod(n, len(names))
    return {t: base + (1 if i < extra else 0) for i, t in enumerate(names)}


@dataclass
class _Picker:
    """Greedy selection honouring quotas and spreading questions over sentences."""

    bank: QuizBank
    rng: random.Random
    chosen: list[Question] = field(default_factory=list)
    used_sentences: dict[str, set[str]] = field(default_factory=dict)
    used_answers: set[tuple[str, str]] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    tf_true: int = 0
    tf_false: int = 0

    def allowed(self, c: Candidate, level: int) -> bool:
        """Level 0: one question per sentence, each answer once per type; 1: more questions
        on a sentence, still no repeated answer; 2: answers may repeat; 3 (last resort): a
        判断 beside other questions on its sentence (it restates the sentence and so gives
        their answers away, hence never earlier)."""
        sid = c.sentence.text  # the same sentence in two documents is one question
        uses = self.used_sentences.get(sid, set())
        if level == 0:
            return not uses and (c.type, c.span.text) not in self.used_answers
        if c.span.text in uses or (c.type == "tf" and "tf" in uses):
            return False
        if level == 1 and (c.type, c.span.text) in self.used_answers:
            return False
        return level == 3 or ("tf" not in uses and (c.type != "tf" or not uses))

    def take(self, c: Candidate, level: int = 3) -> bool:
        if c.type == "tf":
            variant = self._tf_variant(c.span, c.sentence)
            if variant == "true" and level < 3 and self.tf_true - self.tf_false >= 2:
                return False  # keep 判断 answers balanced while other candidates remain
            c = Candidate(c.type, c.sentence, c.span, c.priority, variant)
        question = MAKERS[c.type](self.bank, c, self.rng)
        if question is None:
            return False
        from app.quiz.checks import question_problems  # checks import this module
        if question_problems(question.to_json()) or _norm(question.stem) in self.stems:
            return False
        sid = c.sentence.text
        self.used_sentences.setdefault(sid, set()).update({c.type, c.span.text})
        self.used_answers.add((c.type, c.span.text))
        self.stems.add(_norm(question.stem))
        if c.type == "tf":
            self.tf_true += question.answer is True
            self.tf_false += question.answer is False
        self.chosen.append(question)
        return True

    def _tf_variant(self, span: Span, sentence: Sentence) -> str:
        before = sentence.text[span.start - 1:span.start] if span.start else ""
        if (span.kind not in TF_SWAP_KINDS or span.items or before == "”"
                or span.kind == sp.BODY and sp.is_generic_body(span.text)
                or span.text.endswith(sp.ORG_TYPES)):
            return "true"  # swapping these reads as nonsense rather than as a wrong rule
        if "同志" in sentence.text:
            return "true"  # no false statements about named leaders
        if span.kind != sp.NUMBER and _PERMISSIVE_RE.search(sentence.text):
            # “可邀请党建工作指导员参加” is not wrong, merely not what the text says
            return "true"
        if self.tf_true == self.tf_false:
            return self.rng.choice(("true", "false"))
        return "true" if self.tf_true < self.tf_false else "false"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def build_quiz(source, doc_ids: Sequence[str] = (), articles: str | Iterable[str] | None = None,
               n: int = 20, types: Iterable[str] | Mapping[str, int] | str = QUESTION_TYPES,
               seed: int = 42) -> Quiz:
    """A quiz of `n` questions over the chosen documents/articles, deterministic for `seed`.

    `source` is a LoadedIndex (its documents and sentences are used), a dict of documents or a
    list of them. `types` is a sequence of type names (split evenly, shortfalls of one type
    made up by the others) or a mapping type -> count. Raises QuizError for bad requests;
    when fewer good questions exist than requested, returns those and says so in `note`.
    """
    wanted = parse_types(types)
    explicit = all(c is not None for c in wanted.values())
    if not explicit and (not isinstance(n, int) or n <= 0):
        raise QuizError("题目数量必须是正整数。")
    if explicit:
        n = sum(c for c in wanted.values() if c is not None)
        if n <= 0:
            raise QuizError("各题型数量之和必须大于 0。")
    if n > MAX_N:
        raise QuizError(f"一次最多生成 {MAX_N} 道题。")
    bank = prepare(source)
    sentences, chosen_docs = _chosen_sentences(bank, list(doc_ids), articles)
    rng = random.Random(seed)
    quotas = _quotas(wanted, n)
    ranked = {t: candidates(bank, sentences, t, random.Random(rng.random())) for t in quotas}
    picker = _Picker(bank, rng)
    got = {t: 0 for t in quotas}
    # The last level lets a 判断 share its sentence with other questions (a giveaway);
    # before that, other types make up the shortfall.
    for levels in ((0, 1, 2), (3,)):
        for level in levels:
            _fill(picker, ranked, got, quotas, level)
        if not explicit:
            _top_up(picker, ranked, got, quotas, n, levels[-1])
        if sum(got.values()) >= n:
            break
    questions = _ordered(picker.chosen, list(wanted), bank)
    notes = [_superseded_note(bank, d) for d in chosen_docs if bank.documents[d].superseded]
    notes.append(_shortfall_note(got, quotas, n, len(questions)))
    return Quiz(questions, "".join(notes), tuple(chosen_docs))


def _superseded_note(bank: QuizBank, doc_id: str) -> str:
    doc = bank.documents[doc_id]
    newer = bank.documents.get(doc.superseded_by)
    by = f"，现行版本为《{newer.short_title}》（{newer.doc_id}）" if newer else ""
    return f"注意：《{doc.short_title}》已被取代{by}，本测验按旧文出题。"


def _fill(picker: _Picker, ranked: dict[str, list[Candidate]], got: dict[str, int],
          quotas: dict[str, int], level: int) -> None:
    """Round-robin over types, each taking its best remaining candidate at this level."""
    queues = {t: deque(ranked[t]) for t in quotas}
    progress = True
    while progress:
        progress = False
        for t in quotas:
            if got[t] < quotas[t] and _take_next(picker, queues[t], level):
                got[t] += 1
                progress = True


def _take_next(picker: _Picker, queue: deque[Candidate], level: int) -> bool:
    while queue:
        c = queue.popleft()
        if picker.allowed(c, level) and picker.take(c, level):
            return True
    return False


def _top_up(picker: _Picker, ranked: dict[str, list[Candidate]], got: dict[str, int],
            quotas: dict[str, int], n: int, level: int) -> None:
    """Make up a type's shortfall with questions of the other requested types."""
    missing = n - sum(got.values())
    queues = {t: deque(ranked[t]) for t in quotas}
    progress = True
    while missing > 0 and progress:
        progress = False
        for t in quotas:
            if missing > 0 and got[t] >= quotas[t] and _take_next(picker, queues[t], level):
                got[t] += 1
                missing -= 1
                progress = True


def _ordered(questions: list[Question], types: list[str], bank: QuizBank) -> list[Question]:
    """By type (as requested), then in reading order; ids Q001… in that order."""
    doc_order = {d: i for i, d in enumerate(bank.documents)}
    article_order = {a: i for i, a in enumerate(bank.articles)}
    sentence_index = {(s.doc_id, s.article_id, s.text): s.index for s in bank.sentences}

    def key(q: Question):
        src = q.source
        return (types.index(q.type), doc_order[src.doc_id],
                article_order[(src.doc_id, src.article)],
                sentence_index.get((src.doc_id, src.article, src.sentence), 0), q.stem)

    ordered = sorted(questions, key=key)
    return [Question(f"Q{i:03d}", q.type, q.stem, q.options, q.answer, q.explanation, q.source)
            for i, q in enumerate(ordered, 1)]


def _shortfall_note(got: dict[str, int], quotas: dict[str, int], n: int, total: int) -> str:
    short = [f"{TYPE_NAMES[t]}要求 {quotas[t]} 道，只生成 {got[t]} 道" for t in quotas
             if got[t] < quotas[t]]
    if total >= n and not short:
        return ""
    if total >= n:
        return f"所选条文可出的{'、'.join(TYPE_NAMES[t] for t in quotas if got[t] < quotas[t])}不足，已用其他题型补足 {n} 道。"
    detail = f"（{'；'.join(short)}）" if short else ""
    return (f"所选条文只能生成 {total} 道合格题目，少于要求的 {n} 道{detail}。"
            f"已返回全部 {total} 道；如需更多，请扩大文件或条文范围。")
