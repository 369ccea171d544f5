"""Grounding metrics: is what the answer says actually in the cited articles?

Answers carry inline citation markers such as ``〔《实施意见》第4条〕`` after
the sentence they support. Sentences are checked against the ``text`` of the
cited articles, and quantities (amounts, head counts, deadlines, ratios) are
checked verbatim because a wrong number is the most damaging hallucination
in policy QA.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .retrieval import mean_or_none

# --------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------


def normalize(text: str | None) -> str:
    """Remove all punctuation (Chinese and ASCII) and whitespace.

    Text is NFKC-folded first so full-width digits/letters (``２００``) match
    their ASCII forms in the source.

    >>> normalize("由街道社区、乡镇村党组织兜底管理。（试行）")
    '由街道社区乡镇村党组织兜底管理试行'
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    # Unicode category P* covers 〔〕《》「」“”、，。；：！？（）() and friends,
    # which is sturdier than a hand-kept list of marks.
    return "".join(
        ch
        for ch in folded
        if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "C"))
    )


# --------------------------------------------------------------------------
# Longest common subsequence
# --------------------------------------------------------------------------


def _lcs_length(a: str, b: str) -> int:
    """Bit-parallel LCS length (Allison–Dix / Hyyrö), O(len(b)) big-int ops."""
    if not a or not b:
        return 0
    match: dict[str, int] = {}
    for i, ch in enumerate(a):
        match[ch] = match.get(ch, 0) | (1 << i)
    mask = (1 << len(a)) - 1
    v = mask
    for ch in b:
        m = match.get(ch)
        if m is None:
            # No bit of `a` matches: the update would leave v unchanged.
            continue
        u = v & m
        v = ((v + u) | (v - u)) & mask
    # Each zero bit in v marks one more character of the LCS.
    return len(a) - v.bit_count()


def lcs_ratio(a: str, b: str) -> float:
    """LCS(normalize(a), normalize(b)) / len(normalize(a)).

    Measures how much of the claim ``a`` appears, in order, in the source
    ``b``. An empty claim scores 0.0: it asserts nothing that could be
    supported. Runs in a few ms for a 300-char claim against 5000 chars.

    >>> lcs_ratio("由街道党组织管理", "由街道社区党组织兜底管理")
    1.0
    """
    na, nb = normalize(a), normalize(b)
    if not na:
        return 0.0
    return _lcs_length(na, nb) / len(na)


# --------------------------------------------------------------------------
# Citation markers and sentence splitting
# --------------------------------------------------------------------------

Ref = tuple[str, str]

_BRACKET_RE = re.compile(r"〔([^〔〕]*)〕")
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUM = _CN_DIGITS + "十百千万亿"
_ARTICLE_RE = re.compile(
    rf"第\s*([0-9０-９{_CN_NUM}]+(?:\s*[-—–－]\s*[0-9０-９{_CN_NUM}]+)?)\s*条"
    rf"(?:\s*之\s*([0-9０-９{_CN_NUM}]+))?"
)
_SENTENCE_END = set("。！？；!?;\n\r")


def _cn_to_int(numeral: str) -> int | None:
    """Convert a Chinese numeral like 十七 / 一百零三 to int (None if not one)."""
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    units = {"十": 10, "百": 100, "千": 1000}
    total = current = 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch in units:
            # A bare 十 (as in 十七) means 一十.
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


def _to_arabic(numeral: str) -> str:
    numeral = unicodedata.normalize("NFKC", numeral).strip()
    if numeral.isdigit():
        return str(int(numeral))
    value = _cn_to_int(numeral)
    return str(value) if value is not None else numeral


def article_id_from_label(label: str) -> str:
    """Turn an article label into the app's article id.

    ``第4条`` -> ``4``, ``第十七条之一`` -> ``17-1``, ``第17-1条`` -> ``17-1``;
    anything else (``总纲``, ``序言``) is returned stripped.

    >>> article_id_from_label("第十七条之一")
    '17-1'
    """
    m = _ARTICLE_RE.search(label or "")
    if not m:
        return (label or "").strip()
    parts = re.split(r"\s*[-—–－]\s*", m.group(1))
    ident = "-".join(_to_arabic(p) for p in parts)
    if m.group(2):
        ident += "-" + _to_arabic(m.group(2))
    return ident


def _parse_ref(part: str) -> Ref | None:
    part = part.strip()
    if not part:
        return None
    m = re.match(r"《([^》]*)》\s*(.*)$", part, re.S)
    if m:
        title, rest = m.group(1).strip(), m.group(2).strip()
    else:
        # Titles without 《》 are tolerated as long as an article label follows.
        m = re.match(r"(.*?)(第.*条.*|总纲|序言)$", part, re.S)
        if not m:
            return None
        title, rest = m.group(1).strip(), m.group(2).strip()
    rest = re.split(r"[，,]", rest)[0].strip()  # a note may follow the label: 第8条，已修订
    return (title, article_id_from_label(rest) if rest else "")


def parse_citation_marker(content: str) -> list[Ref] | None:
    """Parse the inside of a ``〔…〕`` marker into ``(short_title, article)`` refs.

    Returns ``None`` when the brackets are not a citation, e.g. the year in a
    document number such as ``中办发〔2015〕51号``, which must stay in the text.

    >>> parse_citation_marker("《实施意见》第6条；《支部工作条例》第5条")
    [('实施意见', '6'), ('支部工作条例', '5')]
    """
    if "《" not in content and not re.search(r"第.*条|总纲|序言", content):
        return None
    refs = [ref for part in re.split(r"[；;]", content) if (ref := _parse_ref(part))]
    return refs or None


def strip_citation_markers(text: str | None) -> str:
    """Remove citation markers, keeping non-citation brackets like 〔2015〕.

    >>> strip_citation_markers("兜底管理。〔《实施意见》第4条〕")
    '兜底管理。'
    """

    def repl(m: re.Match[str]) -> str:
        return "" if parse_citation_marker(m.group(1)) is not None else m.group(0)

    return _BRACKET_RE.sub(repl, text or "")


def split_answer_sentences(answer: str | None) -> list[tuple[str, list[Ref]]]:
    """Split an answer into sentences, each with the citation refs that follow it.

    Sentences end at 。！？； or a newline. A marker attaches to the sentence
    it follows (``…管理。〔…〕``) or sits inside (``…管理〔…〕。``).
    Sentences with no content after normalisation are dropped.

    >>> split_answer_sentences("甲规定。〔《实施意见》第4条〕乙规定。")
    [('甲规定', [('实施意见', '4')]), ('乙规定', [])]
    """
    sentences: list[tuple[str, list[Ref]]] = []
    buf: list[str] = []
    refs: list[Ref] = []

    def flush() -> None:
        nonlocal buf, refs
        text = "".join(buf).strip()
        if normalize(text):
            sentences.append((text, refs))
            refs = []
        # An empty "sentence" keeps its refs pending for the next one.
        buf = []

    pos = 0
    text = answer or ""
    for m in _BRACKET_RE.finditer(text):
        parsed = parse_citation_marker(m.group(1))
        chunk = text[pos : m.start()] if parsed is not None else text[pos : m.end()]
        for ch in chunk:
            if ch in _SENTENCE_END:
                flush()
            else:
                buf.append(ch)
        pos = m.end()
        if parsed is None:
            continue
        if not normalize("".join(buf)) and sentences:
            # Marker right after a terminator belongs to the previous sentence.
            sentences[-1][1].extend(parsed)
        else:
            refs.extend(parsed)
    for ch in text[pos:]:
        if ch in _SENTENCE_END:
            flush()
        else:
            buf.append(ch)
    flush()
    return sentences


# --------------------------------------------------------------------------
# Sentence support
# --------------------------------------------------------------------------


def sentence_supported(
    sentence: str, article_texts: Iterable[str | None], threshold: float = 0.9
) -> bool:
    """True if the sentence is (nearly) contained in one of the article texts.

    Supported means the normalised sentence is a substring of a normalised
    text, or its :func:`lcs_ratio` against that text is at least ``threshold``.

    >>> sentence_supported("由乡镇党组织管理。", ["……由乡镇党组织管理，……"])
    True
    """
    claim = normalize(sentence)
    if not claim:
        return False
    for text in article_texts:
        source = normalize(text)
        if not source:
            continue
        if claim in source or _lcs_length(claim, source) / len(claim) >= threshold:
            return True
    return False


def _same_title(ref_title: str, citation: Mapping[str, Any]) -> bool:
    wanted = normalize(ref_title)
    if not wanted:
        return False
    titles = (citation.get("short_title"), citation.get("title"))
    return any(wanted == normalize(t) for t in titles if t)


def _same_article(ref_article: str, citation: Mapping[str, Any]) -> bool:
    if not ref_article:
        # 〔《实施意见》〕 cites the whole document: any of its articles will do.
        return True
    article = str(citation.get("article", "")).strip()
    label = str(citation.get("label") or "")
    return ref_article in (article, article_id_from_label(label)) or (
        normalize(ref_article) == normalize(label) != ""
    )


def citations_for_refs(
    refs: Sequence[Ref], citations: Iterable[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Citations of the prediction that match any ``(short_title, article)`` ref.

    >>> cits = [{"short_title": "实施意见", "article": "4", "text": "…"}]
    >>> len(citations_for_refs([("实施意见", "4")], cits))
    1
    """
    return [
        c
        for c in citations
        if any(_same_title(t, c) and _same_article(a, c) for t, a in refs)
    ]


def grounding_rate(prediction: Mapping[str, Any]) -> float | None:
    """Share of answer sentences supported by the articles the answer cites.

    A sentence with markers is checked only against the citations its
    markers name (a marker naming an article that is not in ``citations``
    supports nothing); a sentence without markers is checked against all
    cited articles. Returns ``None`` for refused answers and for answers with
    no sentences.

    >>> p = {"refused": False, "answer": "由乡镇党组织管理。〔《意见》第4条〕",
    ...      "citations": [{"short_title": "意见", "article": "4",
    ...                     "text": "由乡镇党组织管理。"}]}
    >>> grounding_rate(p)
    1.0
    """
    if prediction.get("refused", False):
        return None
    sentences = split_answer_sentences(prediction.get("answer"))
    if not sentences:
        return None
    citations = list(prediction.get("citations") or [])
    supported = 0
    for sentence, refs in sentences:
        pool = citations_for_refs(refs, citations) if refs else citations
        if sentence_supported(sentence, (c.get("text") for c in pool)):
            supported += 1
    return supported / len(sentences)


# --------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------

# Longest first so 个月 wins over 个 and 周岁 over 周.
_UNITS = sorted(
    """
    个月 周岁 小时 分钟 工作日 季度 学时 课时 平方米 公里 千米 公斤 千克 个百分点
    元 人 名 个 位 日 天 月 年 周 岁 次 届 项 条 款 章 节 级 倍 家 户 批 类 种
    份 所 票 期 轮 成 层 件 台 米 亩 吨 克 号 页 册 篇 座 支 组 套
    """.split(),
    key=len,
    reverse=True,
)
_UNIT = "(?:" + "|".join(map(re.escape, _UNITS)) + ")"
_CN = "零〇一二两三四五六七八九十百千万亿"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_RANGE = r"\s*[-—–~至到]\s*"
_QUANTITY_RE = re.compile(
    "|".join(
        [
            rf"百分之[{_CN}点]+",
            rf"[{_CN}]+分之[{_CN}]+",
            rf"{_ARABIC}(?:{_RANGE}{_ARABIC})?(?:\s*(?:%|‰|[万亿千]?{_UNIT}))?",
            rf"[{_CN}半]+(?:{_RANGE}[{_CN}]+)?{_UNIT}",
        ]
    )
)
# Structural references (第4条, 第二款) point at text; they are not facts.
_STRUCTURAL_RE = re.compile(rf"第\s*[\d{_CN}\-—]+\s*[条款项章节编](?:之[\d{_CN}]+)?")
# Determiner uses of 一 ("一个机制", "一种方式") are grammar, not quantities.
_NOT_QUANTITIES = {"一个", "一种"}


def extract_quantities(text: str | None) -> set[str]:
    """Numbers and quantities in Chinese legal text, whitespace removed.

    Covers Arabic numbers with optional unit (200元, 1—2项, 2016年, 70%),
    Chinese numerals with a measure word (三名, 六十日, 两年, 十八岁) and
    ratios (三分之二, 百分之七十). Citation markers and article references
    such as 第4条 are stripped first.

    >>> sorted(extract_quantities("3人以上的，成立党支部。〔《条例》第4条〕"))
    ['3人']
    """
    cleaned = strip_citation_markers(unicodedata.normalize("NFKC", text or ""))
    cleaned = _STRUCTURAL_RE.sub(" ", cleaned)
    found = {re.sub(r"\s+", "", m.group(0)) for m in _QUANTITY_RE.finditer(cleaned)}
    return found - _NOT_QUANTITIES


def _compact(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    # Range dashes vary between sources (1—2 / 1-2 / 1～2); treat them alike.
    return re.sub(r"[—–―－~～]", "-", text)


def _quantity_in(quantity: str, text: str) -> bool:
    q = _compact(quantity)
    if not q:
        return True
    # Boundaries stop "3人" matching inside "13人" and "三名" inside "十三名".
    numeral = re.escape(_CN)
    before = r"(?<![\d.])" if q[0].isdigit() else (rf"(?<![{numeral}])" if q[0] in _CN else "")
    after = r"(?!\.?\d)" if q[-1].isdigit() else (rf"(?![{numeral}])" if q[-1] in _CN else "")
    return re.search(before + re.escape(q) + after, _compact(text)) is not None


def numbers_grounded(prediction: Mapping[str, Any]) -> bool | None:
    """True if every quantity in the answer appears in some cited article's text.

    Markers are stripped before extraction, so 〔…第4条〕 never counts. An
    answer with no quantities is vacuously True; refused answers give None.

    >>> numbers_grounded({"answer": "罚款300元。", "citations": [{"text": "罚款200元"}]})
    False
    """
    if prediction.get("refused", False):
        return None
    quantities = extract_quantities(prediction.get("answer"))
    texts = [c.get("text") or "" for c in prediction.get("citations") or []]
    return all(any(_quantity_in(q, t) for t in texts) for q in quantities)


def grounding_scores(preds: Iterable[Mapping[str, Any]]) -> dict[str, float | None]:
    """Mean grounding rate and share of number-grounded answers (non-refused only).

    Both are macro-averages over predictions; per-prediction ``None`` values
    are skipped and a key is ``None`` when nothing qualifies.

    >>> grounding_scores([{"refused": True, "answer": ""}])
    {'grounding': None, 'numbers_grounded': None}
    """
    kept = [p for p in preds if not p.get("refused", False)]
    flags = (numbers_grounded(p) for p in kept)
    return {
        "grounding": mean_or_none(grounding_rate(p) for p in kept),
        "numbers_grounded": mean_or_none(None if f is None else float(f) for f in flags),
    }
