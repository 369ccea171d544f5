"""The staff web UI (gradio Blocks): 问答, 条文浏览 and 测验 tabs, plus the `/ask` API endpoint.

One `LiveAssistant` per process: every session shares its current index read-only, and after
`tiaowen index` rebuilds the folder the next requests are answered from the new index (each
page load also refreshes the header and document lists), with no restart.
Every string that comes from the corpus or from a user is HTML-escaped here before it
reaches the page; gradio only ever receives markup this module built.

    tiaowen serve [--host 127.0.0.1] [--port 7860] [--index DIR]
    python -m app.web --port 7860 --index .index
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")   # before gradio is imported
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import argparse
import html
import logging
import re
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import gradio as gr

from app.assistant import Assistant, InvalidQuestion
from app.index import LoadedIndex
from app.live import PAGE_WAIT_S, LiveAssistant
from app.quiz import EXTENSIONS, FORMATS, TYPE_NAMES, QuizError, build_quiz, export
from app.quiz.export import aiken_note, answer_text, quiz_title
from app.records import MARKER_RE, Answer, Citation
from indexer.records import Article, Document, article_place, short_ref
from indexer.tokenize import tokenize

log = logging.getLogger(__name__)

APP_TITLE = "条文 · 党建与社会组织法规助手"
EXAMPLES = (
    "小型社会组织党建由谁兜底?",
    "社会组织里有几个正式党员就应该成立党组织？",
    "党小组会多久开一次？",
    "预备党员能不能参加选举投票？",
    "党章第七条讲什么",
    "成立社会团体需要多少个会员？",
)
WARMUP_QUESTION = EXAMPLES[0]
CONCURRENCY_LIMIT = 8      # events run at once; the assistant itself serialises retrieval
QUEUE_MAX_SIZE = 256       # waiting events before "queue full": ample for 20+ staff
SEARCH_LIMIT = 40
FIRST_DOCUMENTS = ("dangzhang-2022", "jingbanfa-2016-27")   # shown first when present
KIND_ORDER = ("党内法规", "地方规范性文件", "行政法规", "法律")
_KEY_SEP = "|"

# --------------------------------------------------------------------------- escaping


def esc(text: object) -> str:
    """HTML-escape `text` for gr.HTML / chatbot markup.

    Besides <>&"' this also neutralises `$ { } \\` and backticks (template syntax of
    gradio's HTML component, math delimiters) and `* _` (markdown emphasis in the chatbot).

    >>> esc("<img src=x onerror=alert(1)> ${1}")
    '&lt;img src=x onerror=alert(1)&gt; &#36;&#123;1&#125;'
    """
    out = html.escape(str(text), quote=True)
    for char, entity in (("$", "&#36;"), ("{", "&#123;"), ("}", "&#125;"),
                         ("`", "&#96;"), ("\\", "&#92;"), ("*", "&#42;"), ("_", "&#95;")):
        out = out.replace(char, entity)
    return out


def _spans(text: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Merged character spans of every occurrence of `needles` in `text`."""
    found = []
    for needle in {n for n in needles if n}:
        start = text.find(needle)
        while start >= 0:
            found.append((start, start + len(needle)))
            start = text.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles: Iterable[str], tag: str = "mark") -> str:
    """`text` escaped, with every occurrence of a needle wrapped in <mark>.

    >>> highlight("a<b>c", ["<b>"])
    'a<mark>&lt;b&gt;</mark>c'
    """
    out, pos = [], 0
    for start, end in _spans(text, needles):
        out += [esc(text[pos:start]), f"<{tag}>", esc(text[start:end]), f"</{tag}>"]
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def paragraphs_html(text: str, needles: Iterable[str] = ()) -> str:
    """One <p> per line of `text` (the corpus keeps one 款/项 per line)."""
    needles = list(needles)
    return "".join(f"<p>{highlight(line, needles)}</p>" for line in text.split("\n") if line.strip())


# --------------------------------------------------------------------------- 问答 rendering


def revised_badge(superseded: bool) -> str:
    return '<span class="tw-badge tw-revised" title="该文件已被新版本替代">已修订</span>' if superseded else ""


def citation_html(citation: Citation, evidence: Iterable[str] = (), open_: bool = False) -> str:
    """One expandable source: ref and heading; inside, the full article with the quoted
    sentences highlighted, the document title, 文号 and heading path."""
    number = f'<span class="tw-docno">{esc(citation.doc_number)}</span>' if citation.doc_number else ""
    path = (f'<div class="tw-path">{esc(citation.heading.replace(" / ", " › "))}</div>'
            if citation.heading else "")
    return (
        f'<details class="tw-cite"{" open" if open_ else ""}>'
        f'<summary><span class="tw-ref">{esc(citation.ref)}</span>'
        f'<span class="tw-cite-title">{esc(citation.title)}</span>{revised_badge(citation.superseded)}'
        f'<span class="tw-expand"><span class="tw-closed">展开原文</span><span class="tw-opened">收起</span></span></summary>'
        f'<div class="tw-cite-body"><div class="tw-meta"><b>{esc(citation.title)}</b>{number}</div>'
        f'{path}<div class="tw-article">{paragraphs_html(citation.text, evidence)}</div></div>'
        f'</details>'
    )


_MARKER_SPLIT_RE = re.compile(f"({MARKER_RE.pattern})")


def quote_html(line: str) -> str:
    """An answer line: the quoted sentence, its 〔marker〕 styled as a chip."""
    parts = _MARKER_SPLIT_RE.split(line)
    return "".join(f'<span class="tw-marker">{esc(p)}</span>' if MARKER_RE.fullmatch(p) else esc(p)
                   for p in parts if p)


def answer_html(answer: Answer) -> str:
    """The chat message of an answer (or of a refusal, with its 可能相关 articles)."""
    note = f'<div class="tw-hint tw-read-as">{esc(answer.correction_note)}</div>' if answer.corrections else ""
    return note + _answer_body_html(answer)


def _answer_body_html(answer: Answer) -> str:
    if answer.refused:
        related = "".join(citation_html(c) for c in answer.related)
        related_block = (f'<div class="tw-sources-title">可能相关的条文（仅供参考，未必回答了问题）</div>{related}'
                         if related else "")
        known = f'<div class="tw-hint tw-unanswered">{esc(answer.unanswered_note)}</div>' \
            if answer.unanswered_like else ""
        return (f'<div class="tw-answer tw-refused"><div class="tw-refusal">'
                f'<span class="tw-refusal-icon">!</span>{esc(answer.answer)}</div>{known}'
                f'<div class="tw-hint">请换一种说法，或在「条文浏览」中检索原文。</div>{related_block}</div>')
    quotes = "".join(f'<div class="tw-quote">{quote_html(line)}</div>'
                     for line in answer.answer.split("\n") if line.strip())
    cards = "".join(
        citation_html(c, [e.sentence for e in answer.evidence if (e.doc_id, e.article) == (c.doc_id, c.article)])
        for c in answer.citations)
    return (f'<div class="tw-answer"><div class="tw-quotes">{quotes}</div>'
            f'<div class="tw-sources-title">引用依据 · {len(answer.citations)} 条（点击展开原文，黄色为引用句）</div>'
            f'{cards}</div>')


def question_html(question: str) -> str:
    lines = esc(question).replace("\r", "").replace("\n", "<br>")   # no blank line may end the HTML block
    return f'<div class="tw-question">{lines}</div>'


def notice_html(message: str) -> str:
    return f'<div class="tw-answer tw-refused"><div class="tw-refusal"><span class="tw-refusal-icon">!</span>{esc(message)}</div></div>'


def answer_plain(answer: Answer) -> str:
    """Plain text for the copy box: how the question was read, the answer, then each source."""
    note = f"（{answer.correction_note}）\n" if answer.corrections else ""
    if answer.refused:
        lines = [answer.answer] + ([answer.unanswered_note] if answer.unanswered_like else []) \
            + ([("可能相关：" + "；".join(c.ref for c in answer.related))] if answer.related else [])
        return note + "\n".join(lines)
    sources = [f"{c.ref}：{c.title}{'（' + c.doc_number + '）' if c.doc_number else ''}"
               f"{'（已修订）' if c.superseded else ''}" for c in answer.citations]
    return f"{note}{answer.answer}\n\n出处：\n" + "\n".join(sources)


# --------------------------------------------------------------------------- header


def status_text(index: LoadedIndex) -> str:
    """已收录 10 份文件 · 712 条条文 · 索引建立于 2025-11-25 08:40（用时 95 秒）"""
    manifest = index.manifest
    built = manifest.built_at.replace("T", " ")[:16] if manifest.built_at else "未知"
    return (f"已收录 {len(index.documents)} 份文件 · {len(index.articles)} 条条文 · "
            f"索引建立于 {built}（用时 {manifest.build_seconds:.0f} 秒）")


def header_html(index: LoadedIndex) -> str:
    return (
        '<div class="tw-header"><div class="tw-logo">条</div><div class="tw-brand">'
        f'<div class="tw-title">{esc(APP_TITLE)}</div>'
        '<div class="tw-subtitle">只摘录已收录文件的原文作答，每句注明出处；无依据时如实告知。</div></div>'
        f'<div class="tw-status" id="tw-status">{esc(status_text(index))}</div></div>'
    )


def doc_label(doc: Document) -> str:
    """Dropdown label: 《实施意见》关于加强…实施意见（京办发〔2016〕27号）, plus 【已修订】."""
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    revised = "【已修订】" if doc.superseded else ""
    return f"{revised}{doc.title}{number}"


def ordered_documents(index: LoadedIndex) -> list[Document]:
    """Documents as staff look for them: 党章 and the 实施意见 first, then Party rules, local
    documents, regulations and laws; superseded versions after the current ones."""
    def rank(doc: Document) -> tuple:
        hint = FIRST_DOCUMENTS.index(doc.doc_id) if doc.doc_id in FIRST_DOCUMENTS else len(FIRST_DOCUMENTS)
        kind = KIND_ORDER.index(doc.kind) if doc.kind in KIND_ORDER else len(KIND_ORDER)
        return (hint, kind, doc.superseded, doc.doc_id)
    return sorted(index.documents.values(), key=rank)


def doc_choices(index: LoadedIndex) -> list[tuple[str, str]]:
    return [(doc_label(d), d.doc_id) for d in ordered_documents(index)]


def short_date(date: str) -> str:
    """The date line without its editorial notes in brackets."""
    return re.split(r"[（(]", date or "")[0].strip("；; ")


# --------------------------------------------------------------------------- 条文浏览


def article_key(article: Article) -> str:
    return f"{article.doc_id}{_KEY_SEP}{article.article_id}"


def split_key(key: str) -> tuple[str, str]:
    doc_id, _, article_id = (key or "").partition(_KEY_SEP)
    return doc_id, article_id


def article_caption(article: Article, width: int = 18) -> str:
    """第七条 预备党员的义务… : label plus item title or the opening words."""
    gist = article.item_title or article.text.split("\n")[0]
    gist = gist if len(gist) <= width else gist[:width] + "…"
    return f"{article.label.rstrip('.')} {gist}".strip()


def formal_citation(doc: Document, article: Article) -> str:
    """What the 复制引用 box holds: the formal reference, then the article as printed."""
    label = article.label if article.label.startswith("第") else article_place(article.article_id)
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    revised = "（该文件已修订）" if doc.superseded else ""
    return f"《{doc.title}》{number}{label}{revised}：\n{article.display_text}"


def toc_html(doc: Document, current: str | None) -> str:
    """Table of contents: headings (章/节, 一、) and a clickable line per article."""
    rows, previous = [], ()
    for article in doc.articles:
        for depth, title in enumerate(article.heading):
            if previous[:depth + 1] != article.heading[:depth + 1]:
                rows.append(f'<div class="tw-toc-h tw-toc-h{min(depth, 2)}">{esc(title)}</div>')
        previous = article.heading
        active = " tw-active" if article.article_id == current else ""
        rows.append(f'<a class="tw-toc-item{active}" data-key="{esc(article_key(article))}" '
                    f'title="{esc(article.label)}">{esc(article_caption(article))}</a>')
    return f'<nav class="tw-toc">{"".join(rows)}</nav>'


def doc_info_html(doc: Document, index: LoadedIndex) -> str:
    facts = [("文号", doc.doc_number), ("发布机关", doc.issuer), ("日期", short_date(doc.date)),
             ("类别", doc.kind), ("条文", f"{len(doc.articles)} 条")]
    facts_html = "".join(f"<span><em>{esc(k)}</em>{esc(v)}</span>" for k, v in facts if v)
    replaced = index.documents.get(doc.superseded_by)
    newer = (f'<div class="tw-revised-note">本文件已修订，现行版本：{esc(replaced.title)}</div>'
             if doc.superseded and replaced else "")
    return (f'<div class="tw-docinfo"><div class="tw-doctitle">{esc(doc.title)}{revised_badge(doc.superseded)}</div>'
            f'<div class="tw-facts">{facts_html}</div>{newer}</div>')


def reader_html(doc: Document, article: Article, keywords: Iterable[str] = ()) -> str:
    """The article as printed, with its heading path and search keywords highlighted."""
    path = " › ".join((doc.short_title, *article.heading))
    title = f"{article.label.rstrip('.')} {article.item_title}".strip()
    return (f'<article class="tw-reader"><div class="tw-path">{esc(path)}</div>'
            f'<h2>{esc(title)}{revised_badge(doc.superseded)}'
            f'<span class="tw-ref">{esc(short_ref(doc.short_title, article.article_id))}</span></h2>'
            f'<div class="tw-article">{paragraphs_html(article.text, keywords)}</div>'
            f'<div class="tw-source">{esc(doc.title)}{"　" + esc(doc.doc_number) if doc.doc_number else ""}</div>'
            f'</article>')


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    matched: tuple[str, ...]


def keywords(query: str) -> list[str]:
    """Search keywords of `query`: jieba tokens of two characters or more (a lone character
    only when that is all there is), longest first."""
    query = (query or "").strip()
    if not query:
        return []
    tokens = list(dict.fromkeys(tokenize(query)))
    long = [t for t in tokens if len(t) > 1]
    chosen = long or tokens or [query[:20]]
    # jieba's search mode also yields the pieces of a long word (预备期 → 预备); drop them
    chosen = [t for t in chosen if not any(t != other and t in other for other in chosen)]
    return sorted(chosen, key=len, reverse=True)


def search_articles(index: LoadedIndex, query: str, doc_id: str | None = None,
                    limit: int = SEARCH_LIMIT) -> list[Hit]:
    """Articles containing the query's keywords, most keywords matched first."""
    terms = keywords(query)
    if not terms:
        return []
    hits = []
    for article in index.articles:
        if doc_id and article.doc_id != doc_id:
            continue
        text = f"{article.item_title}\n{article.text}"
        matched = tuple(t for t in terms if t in text)
        if matched:
            score = len(matched) + 0.01 * sum(text.count(t) for t in matched) + (1.0 if query.strip() in text else 0.0)
            hits.append(Hit(article, score, matched))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def snippet(text: str, terms: Iterable[str], width: int = 60) -> str:
    """A window of `text` around the first keyword, escaped and highlighted."""
    terms = list(terms)
    spans = _spans(text, terms)
    start = max(0, spans[0][0] - width // 3) if spans else 0
    piece = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + highlight(piece, terms) + ("…" if start + width < len(text) else "")


def search_html(index: LoadedIndex, query: str, hits: list[Hit]) -> str:
    if not query.strip():
        return ""
    if not hits:
        return f'<div class="tw-search-empty">未找到包含「{esc(query.strip())}」的条文。</div>'
    items = "".join(
        f'<a class="tw-hit" data-key="{esc(article_key(h.article))}">'
        f'<span class="tw-hit-ref">{esc(short_ref(index.documents[h.article.doc_id].short_title, h.article.article_id))}</span>'
        f'<span class="tw-hit-text">{snippet(h.article.text, h.matched)}</span></a>' for h in hits)
    terms = "、".join(keywords(query))
    more = f"（仅显示前 {SEARCH_LIMIT} 条）" if len(hits) >= SEARCH_LIMIT else ""
    return (f'<div class="tw-search"><div class="tw-search-meta">关键词：{esc(terms)} · 命中 {len(hits)} 条{more}'
            f'，点击打开</div>{items}</div>')


# --------------------------------------------------------------------------- 测验

QUIZ_COUNTS = {"single": 5, "multi": 3, "tf": 4, "cloze": 4}   # default questions per type
QUIZ_DEFAULT_DOC = "jingbanfa-2016-27"
# downloads of one server process; removed when it exits
_QUIZ_DIR = tempfile.TemporaryDirectory(prefix="tiaowen-quiz-")


def quiz_question_html(question: dict, number: int, show_answers: bool) -> str:
    """One question card; the key, 解析 and source appear only when `show_answers`."""
    answer = question["answer"]
    correct = set(answer) if isinstance(answer, list) else {answer}
    options = "".join(
        f'<li class="{"tw-correct" if show_answers and letter in correct else ""}">'
        f'<b>{esc(letter)}.</b> {esc(text)}</li>' for letter, text in (question.get("options") or {}).items())
    if question["type"] == "tf":
        options = "".join(f'<li class="{"tw-correct" if show_answers and answer is value else ""}">{word}</li>'
                          for word, value in (("正确", True), ("错误", False)))
    key = (f'<div class="tw-qkey"><span class="tw-qanswer">答案：{esc(answer_text(question))}</span>'
           f'<div class="tw-qexpl">{esc(question["explanation"])}</div></div>') if show_answers else ""
    return (f'<div class="tw-qcard"><div class="tw-qhead"><span class="tw-qno">{number}</span>'
            f'<span class="tw-qtype">{esc(TYPE_NAMES.get(question["type"], question["type"]))}</span></div>'
            f'<div class="tw-qstem">{esc(question["stem"])}</div>'
            f'{f"<ol class=tw-qopts>{options}</ol>" if options else ""}{key}</div>')


def quiz_preview_html(data: dict | None, show_answers: bool) -> str:
    if not data or not data.get("questions"):
        return '<div class="tw-qempty">选择文件与题量后点击「生成试题」。</div>'
    counts = Counter(question["type"] for question in data["questions"])
    summary = " · ".join(f"{TYPE_NAMES.get(t, t)} {c} 道" for t, c in counts.items())
    cards = "".join(quiz_question_html(q, i, show_answers) for i, q in enumerate(data["questions"], 1))
    return f'<div class="tw-quiz"><div class="tw-qsummary">共 {len(data["questions"])} 道：{esc(summary)}</div>{cards}</div>'


def quiz_files(quiz: Any, title: str, seed: int) -> list[str]:
    """Every export format of `quiz` written to a fresh folder, for download."""
    folder = Path(tempfile.mkdtemp(dir=_QUIZ_DIR.name))
    paths = []
    for fmt in FORMATS:
        path = folder / f"测验-{seed}.{EXTENSIONS[fmt]}"
        path.write_bytes(export(quiz, fmt, title))
        paths.append(str(path))
    return paths


def make_quiz(index: LoadedIndex, doc_ids: list[str] | None, articles: str, seed: float | None,
              *counts: float | None) -> tuple[dict | None, str, list[str] | None]:
    """(quiz JSON, notice, download paths) for the 测验 form; a QuizError becomes the notice."""
    wanted = {t: n for t, c in zip(QUIZ_COUNTS, counts) if (n := int(c or 0)) > 0}
    seed = int(seed if seed is not None else 42)
    try:
        quiz = build_quiz(index, doc_ids=list(doc_ids or ()), articles=(articles or "").strip() or None,
                          types=wanted, seed=seed)
    except QuizError as error:
        return None, f'<div class="tw-qnote tw-qerror">{esc(str(error))}</div>', None
    note = quiz.note or f"已生成 {len(quiz.questions)} 道题（随机种子 {seed}，同一种子结果相同）。"
    css = "tw-qnote tw-qwarn" if quiz.note else "tw-qnote"
    notes = " ".join(n for n in (note, aiken_note(quiz)) if n)   # every download includes Aiken
    files = quiz_files(quiz, quiz_title(quiz, index.documents), seed)
    return quiz.to_json(), f'<div class="{css}">{esc(notes)}</div>', files


def quiz_tab(handlers: "Handlers") -> gr.Dropdown:
    """The 测验 tab: documents/articles, counts per type and seed; preview with answers
    hidden or shown; every export format to download. Returns the documents dropdown."""
    index = handlers.index
    default_docs = [QUIZ_DEFAULT_DOC] if QUIZ_DEFAULT_DOC in index.documents else []
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=280):
            docs = gr.Dropdown(choices=doc_choices(index), value=default_docs, multiselect=True,
                               label="出题文件", info="不选即使用全部现行文件", elem_id="tw-quiz-docs")
            articles = gr.Textbox(label="条文范围（可选）", placeholder="例如：4-7,18", elem_id="tw-quiz-articles")
            with gr.Row():
                counts = [gr.Number(value=default, label=TYPE_NAMES[kind], minimum=0, maximum=200, precision=0,
                                    min_width=90, elem_id=f"tw-quiz-{kind}") for kind, default in QUIZ_COUNTS.items()]
            seed = gr.Number(value=42, label="随机种子", precision=0, minimum=0, elem_id="tw-quiz-seed")
            go = gr.Button("生成试题", variant="primary", elem_id="tw-quiz-go")
            files = gr.File(label="下载（Excel / CSV / GIFT / Aiken / Markdown / JSON）", file_count="multiple",
                            interactive=False, elem_id="tw-quiz-files")
        with gr.Column(scale=7, min_width=260):
            with gr.Row(equal_height=True):
                note = gr.HTML("", js_on_load=None, elem_id="tw-quiz-note")
                show = gr.Checkbox(value=False, label="显示答案与解析", scale=0, min_width=160,
                                   elem_id="tw-quiz-show")
            preview = gr.HTML(quiz_preview_html(None, False), js_on_load=None, elem_id="tw-quiz-preview")
    data = gr.State(None)
    private: dict[str, Any] = {"api_visibility": "private"}
    go.click(lambda d, a, s, *c: make_quiz(handlers.index, d, a, s, *c), [docs, articles, seed, *counts],
             [data, note, files], **private).then(
        quiz_preview_html, [data, show], preview, **private, show_progress="hidden")
    show.change(quiz_preview_html, [data, show], preview, **private, show_progress="hidden")
    return docs


# --------------------------------------------------------------------------- app

_CLICK_JS = """
element.addEventListener('click', (event) => {
  const item = event.target.closest('[data-key]');
  if (item) { event.preventDefault(); trigger('select', {index: 0, value: item.dataset.key, selected: true}); }
});
"""

CSS = """
:root { --tw-red: #b91c1c; --tw-red-soft: #fef2f2; --tw-ink: #1f2937; --tw-muted: #6b7280; --tw-line: #e5e7eb; }
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
.tw-header { display: flex; align-items: center; gap: 14px; padding: 14px 18px; border-radius: 14px;
  background: linear-gradient(120deg, #7f1d1d 0%, #b91c1c 55%, #dc2626 100%); color: #fff; }
.tw-logo { width: 44px; height: 44px; border-radius: 10px; background: #fff; color: var(--tw-red);
  font-size: 26px; font-weight: 800; display: flex; align-items: center; justify-content: center; flex: none; }
.tw-brand { flex: 1; min-width: 0; }
.tw-title { font-size: 20px; font-weight: 700; letter-spacing: .5px; color: #fff !important; }
.tw-subtitle { font-size: 13px; opacity: .9; margin-top: 2px; color: #fff !important; }
.tw-status { font-size: 12.5px; background: rgba(255,255,255,.16); border: 1px solid rgba(255,255,255,.28);
  padding: 6px 12px; border-radius: 999px; white-space: nowrap; }
.tw-question { white-space: pre-wrap; word-break: break-word; }
.tw-answer { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.tw-quote { padding: 8px 12px; background: #fff; border-left: 3px solid var(--tw-red); border-radius: 0 8px 8px 0;
  line-height: 1.75; color: var(--tw-ink); box-shadow: 0 1px 0 var(--tw-line); }
.tw-marker { color: var(--tw-red); font-weight: 600; white-space: nowrap; }
.tw-sources-title { margin-top: 6px; font-size: 12.5px; color: var(--tw-muted); }
.tw-cite { border: 1px solid var(--tw-line); border-radius: 10px; background: #fff; overflow: hidden; }
.tw-cite > summary { cursor: pointer; list-style: none; display: flex; align-items: center; gap: 8px;
  padding: 8px 12px; font-size: 13.5px; }
.tw-cite > summary::-webkit-details-marker { display: none; }
.tw-cite > summary:hover { background: #fafafa; }
.tw-cite[open] > summary { border-bottom: 1px solid var(--tw-line); background: var(--tw-red-soft); }
.tw-ref { display: inline-block; padding: 1px 8px; border-radius: 6px; background: var(--tw-red-soft);
  color: var(--tw-red); font-weight: 600; font-size: 12.5px; white-space: nowrap; }
.tw-cite-title { color: var(--tw-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1; min-width: 0; }
.tw-expand { color: var(--tw-red); font-size: 12px; white-space: nowrap; }
.tw-cite .tw-opened, .tw-cite[open] .tw-closed { display: none; }
.tw-cite[open] .tw-opened { display: inline; }
.tw-cite-body { padding: 10px 14px 12px; }
.tw-meta { font-size: 13px; color: var(--tw-ink); display: flex; gap: 10px; flex-wrap: wrap; }
.tw-docno { color: var(--tw-muted); }
.tw-path { font-size: 12px; color: var(--tw-muted); margin: 4px 0 6px; }
.tw-article p { margin: 0 0 6px !important; line-height: 1.85; text-indent: 2em; color: var(--tw-ink); }
.tw-article mark, .tw-search mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.tw-badge { display: inline-block; font-size: 11.5px; padding: 0 6px; border-radius: 4px; margin-left: 6px;
  vertical-align: middle; white-space: nowrap; font-weight: 600; }
.tw-revised { background: #fff7ed; color: #c2410c; border: 1px solid #fdba74; }
.tw-refusal { display: flex; gap: 8px; align-items: center; font-weight: 600; color: #92400e;
  background: #fffbeb; border: 1px solid #fcd34d; border-radius: 10px; padding: 10px 12px; }
.tw-refusal-icon { width: 20px; height: 20px; border-radius: 50%; background: #f59e0b; color: #fff;
  display: inline-flex; align-items: center; justify-content: center; font-size: 13px; flex: none; }
.tw-hint { font-size: 12.5px; color: var(--tw-muted); }
.tw-side { border: 1px solid var(--tw-line); border-radius: 12px; padding: 12px 14px; background: #fff; }
.tw-side h4 { margin: 0 0 6px; font-size: 14px; }
.tw-side ul { margin: 0; padding-left: 18px; font-size: 12.5px; color: var(--tw-muted); line-height: 1.8; }
.tw-examples { gap: 6px !important; flex-wrap: wrap !important; }
.tw-examples button { flex: none !important; width: auto !important; min-width: 0 !important; border-radius: 999px !important;
  font-weight: 400 !important; font-size: 13px !important; padding: 4px 12px !important; }
.tw-examples-label { font-size: 12.5px; color: var(--tw-muted); margin: 2px 0 -4px; }
.tw-docinfo { border: 1px solid var(--tw-line); border-radius: 12px; padding: 10px 12px; background: #fff; }
.tw-doctitle { font-weight: 700; font-size: 14.5px; line-height: 1.5; }
.tw-facts { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 6px; font-size: 12.5px; color: var(--tw-ink); }
.tw-facts em { font-style: normal; color: var(--tw-muted); margin-right: 4px; }
.tw-revised-note { margin-top: 6px; font-size: 12.5px; color: #c2410c; }
.tw-toc, .tw-search, .tw-toc-item, .tw-hit, .tw-reader, .tw-answer, .tw-docinfo { text-align: left !important; }
.tw-toc { border: 1px solid var(--tw-line); border-radius: 12px; background: #fff; padding: 6px; max-height: 560px; overflow-y: auto; }
.tw-toc-h { font-weight: 600; font-size: 12.5px; color: var(--tw-ink); padding: 8px 8px 2px; }
.tw-toc-h1 { padding-left: 16px; font-weight: 500; color: #374151; }
.tw-toc-h2 { padding-left: 24px; font-weight: 500; color: var(--tw-muted); }
.tw-toc-item { display: block; padding: 4px 8px 4px 14px; border-radius: 6px; font-size: 13px; color: #374151 !important;
  text-decoration: none !important; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tw-toc-item:hover { background: #f3f4f6; }
.tw-toc-item.tw-active { background: var(--tw-red-soft); color: var(--tw-red) !important; font-weight: 600; }
.tw-reader { border: 1px solid var(--tw-line); border-radius: 12px; background: #fff; padding: 18px 22px; min-height: 320px; }
.tw-reader h2 { margin: 0 0 12px !important; font-size: 20px !important; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.tw-reader .tw-article p { font-size: 15.5px; }
.tw-source { margin-top: 12px; font-size: 12px; color: var(--tw-muted); text-align: right; }
.tw-search { border: 1px solid var(--tw-line); border-radius: 12px; background: #fff; padding: 6px; max-height: 300px; overflow-y: auto; }
.tw-search-meta { font-size: 12px; color: var(--tw-muted); padding: 4px 8px; }
.tw-hit { display: flex; gap: 10px; padding: 6px 8px; border-radius: 8px; cursor: pointer; text-decoration: none !important;
  color: var(--tw-ink) !important; font-size: 13px; align-items: baseline; }
.tw-hit:hover { background: #f9fafb; }
.tw-hit-ref { flex: none; }
.tw-search-empty { font-size: 13px; color: var(--tw-muted); padding: 8px 4px; }
.tw-searchbar { align-items: center !important; background: #fff; border: 1px solid var(--tw-line);
  border-radius: 12px; padding: 8px 10px !important; }
.tw-searchbar textarea { font-size: 14.5px !important; }
.tw-quiz { display: flex; flex-direction: column; gap: 10px; }
.tw-qsummary, .tw-qempty { font-size: 13px; color: var(--tw-muted); }
.tw-qempty { border: 1px dashed #d1d5db; border-radius: 12px; padding: 40px; text-align: center; background: #fff; }
.tw-qcard { border: 1px solid var(--tw-line); border-radius: 12px; background: #fff; padding: 12px 16px; }
.tw-qhead { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
.tw-qno { width: 24px; height: 24px; border-radius: 50%; background: var(--tw-red); color: #fff; font-size: 12.5px;
  display: inline-flex; align-items: center; justify-content: center; font-weight: 700; }
.tw-qtype { font-size: 12px; color: var(--tw-red); background: var(--tw-red-soft); padding: 1px 8px; border-radius: 6px; }
.tw-qstem { line-height: 1.8; color: var(--tw-ink); }
.tw-qopts { list-style: none; padding: 0 !important; margin: 6px 0 0 !important; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 4px 16px; }
.tw-qopts li { padding: 3px 8px; border-radius: 6px; margin: 0 !important; }
.tw-qopts li.tw-correct { background: #ecfdf5; color: #047857; font-weight: 600; }
.tw-qkey { margin-top: 8px; padding-top: 8px; border-top: 1px dashed var(--tw-line); font-size: 13px; }
.tw-qanswer { font-weight: 700; color: #047857; }
.tw-qexpl { color: var(--tw-muted); margin-top: 2px; line-height: 1.7; }
.tw-qnote { font-size: 13px; padding: 8px 12px; border-radius: 10px; background: #f0fdf4; color: #166534; border: 1px solid #bbf7d0; }
.tw-qwarn { background: #fffbeb; color: #92400e; border-color: #fcd34d; }
.tw-qerror { background: #fef2f2; color: #991b1b; border-color: #fecaca; }
@media (max-width: 720px) {
  .tw-header { flex-wrap: wrap; }
  .tw-status { white-space: normal; border-radius: 10px; }
  .tw-cite-title { display: none; }
  .tw-cite > summary { flex-wrap: wrap; }
  .gradio-container { padding-left: 6px !important; padding-right: 6px !important; }
}
footer { opacity: .7; }
"""


def theme() -> gr.themes.Base:
    """A sober red theme on system fonts: nothing is fetched from a font CDN."""
    sans = ["PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
            "Source Han Sans SC", "WenQuanYi Micro Hei", "system-ui", "sans-serif"]
    return gr.themes.Soft(primary_hue="red", secondary_hue="orange", neutral_hue="gray",
                          radius_size="md", font=sans,
                          font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"]).set(
        body_background_fill="#f5f6f8", block_radius="12px", button_large_radius="10px",
        block_title_background_fill="transparent", block_label_background_fill="transparent",
        block_title_text_color="*neutral_700", block_label_text_color="*neutral_600",
        block_title_padding="0", block_title_text_weight="600")


def launch_options() -> dict[str, Any]:
    """Styling passed to `Blocks.launch` (gradio 6 takes theme/css there)."""
    return {"theme": theme(), "css": CSS, "footer_links": ["api", "settings"]}


def _article_view(index: LoadedIndex, doc_id: str | None, article_id: str | None, query: str = "",
                  documents: list[tuple[str, str]] | None = None) -> tuple:
    """Everything the reader shows for one article (the first document and article when not
    given); `documents` also replaces the choices of the document list."""
    doc = index.documents.get(doc_id or "") or ordered_documents(index)[0]
    article = (doc.article(article_id) if article_id else None) or doc.articles[0]
    choices = [(article_caption(a, 24), a.article_id) for a in doc.articles]
    doc_update = gr.update(value=doc.doc_id) if documents is None else \
        gr.update(choices=documents, value=doc.doc_id)
    return (doc_update, gr.update(choices=choices, value=article.article_id),
            doc_info_html(doc, index), toc_html(doc, article.article_id),
            reader_html(doc, article, keywords(query)), formal_citation(doc, article),
            article_key(article))


class Handlers:
    """The event functions of the app, answering from the live assistant's current index.
    A handler reads `self.index` once, so one event never mixes two indexes."""

    def __init__(self, live: LiveAssistant):
        self.live = live

    @property
    def assistant(self) -> Assistant:
        return self.live.current()

    @property
    def index(self) -> LoadedIndex:
        return self.assistant.index

    def page(self) -> tuple:
        """On every page load: the header, the document lists and the reader's first article
        of the current index (a page opened after a rebuild shows the new documents)."""
        index = self.live.current(wait=PAGE_WAIT_S).index
        documents = doc_choices(index)
        return (header_html(index), gr.update(choices=documents), gr.update(choices=documents),
                *_article_view(index, None, None, documents=documents))

    # ---- 问答
    def ask_json(self, question: str, doc_ids: list[str] | None = None, top_k: int = 5) -> dict:
        """Answer a question from the collected documents; returns the JSON contract
        (id, question, refused, answer, citations, evidence, retrieved, related, latency_ms).
        doc_ids restricts the search to those documents (empty: all)."""
        try:
            return self.assistant.ask(question, top_k=5 if top_k is None else int(top_k), doc_ids=tuple(doc_ids or ())).to_json()
        except InvalidQuestion as error:
            raise gr.Error(str(error)) from None

    def push_question(self, question: str, history: list[dict]) -> tuple:
        """First step of a question: show it at once and clear the box."""
        question = (question or "").strip()
        if not question:
            return gr.skip(), history, history, ""
        history = [*history, {"role": "user", "content": question_html(question)}]
        return "", history, history, question

    def answer(self, question: str, history: list[dict], doc_ids: list[str] | None) -> tuple:
        if not question:
            return history, history, gr.skip()
        try:
            answer = self.assistant.ask(question, doc_ids=tuple(doc_ids or ()))
            content, plain = answer_html(answer), answer_plain(answer)
        except InvalidQuestion as error:
            content, plain = notice_html(str(error)), str(error)
        except Exception:  # keep the session alive; the log has the details
            log.exception("answer failed for %r", question)
            content, plain = notice_html("系统出错，请稍后重试。"), ""
        history = [*history, {"role": "assistant", "content": content}]
        return history, history, plain

    # ---- 条文浏览
    def open_article(self, doc_id: str, article_id: str | None, query: str = "") -> tuple:
        return _article_view(self.index, doc_id, article_id, query)

    def on_select_key(self, query: str, evt: gr.SelectData) -> tuple:
        doc_id, article_id = split_key(str(evt.value))
        return self.open_article(doc_id, article_id, query)

    def step(self, key: str, query: str, delta: int) -> tuple:
        doc_id, article_id = split_key(key)
        index = self.index
        doc = index.documents.get(doc_id) or ordered_documents(index)[0]
        ids = [a.article_id for a in doc.articles]
        at = ids.index(article_id) if article_id in ids else 0
        return _article_view(index, doc.doc_id, ids[max(0, min(len(ids) - 1, at + delta))], query)

    def search(self, query: str, scope: str, key: str) -> tuple:
        """Hits list (hidden when there is no query) and the open article re-highlighted."""
        doc_id, article_id = split_key(key)
        index = self.index
        hits = search_articles(index, query, doc_id if scope == "本文件" else None)
        found = search_html(index, query, hits)
        doc = index.documents.get(doc_id)
        article = doc.article(article_id) if doc else None
        reader = reader_html(doc, article, keywords(query)) if article else gr.skip()
        return gr.update(value=found, visible=bool(found)), reader


def _qa_tab(handlers: Handlers) -> gr.Dropdown:
    """The 问答 tab; returns its 检索范围 dropdown."""
    history = gr.State([])
    pending = gr.State("")
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=260):
            chatbot = gr.Chatbot(
                label="问答", show_label=False, height=600, buttons=[], feedback_options=None,
                latex_delimiters=[], elem_id="tw-chat", autoscroll=True,
                placeholder=("### 请提出您的问题\n回答只摘录已收录文件的原文，每句标注出处，"
                             "点击出处可展开条文全文。"))
            with gr.Row(equal_height=True):
                box = gr.Textbox(show_label=False, placeholder="输入问题，例如：小型社会组织党建由谁兜底?（Enter 发送）",
                                 lines=1, max_lines=4, scale=8, elem_id="tw-question", autofocus=True)
                send = gr.Button("提问", variant="primary", scale=1, min_width=90, elem_id="tw-send")
            gr.HTML('<div class="tw-examples-label">示例问题（点击即问）</div>', js_on_load=None)
            with gr.Row(elem_classes="tw-examples"):
                examples = [gr.Button(text, size="sm", variant="secondary", min_width=0, scale=0)
                            for text in EXAMPLES]
        with gr.Column(scale=3, min_width=260):
            docs = gr.Dropdown(choices=doc_choices(handlers.index), multiselect=True, value=[],
                               label="检索范围", info="不选即检索全部文件", elem_id="tw-doc-filter")
            plain = gr.Textbox(label="回答原文（含出处，可复制）", lines=8, max_lines=16, interactive=False,
                               buttons=["copy"], elem_id="tw-plain")
            clear = gr.Button("清空对话", variant="secondary", size="sm")
            gr.HTML('<div class="tw-side"><h4>使用说明</h4><ul>'
                    '<li>回答由原文句子组成，每句后标注〔出处〕。</li>'
                    '<li>点击「引用依据」可展开条文全文，黄色为被引用的句子。</li>'
                    '<li>标有「已修订」的文件已被新版本替代，请以现行版本为准。</li>'
                    '<li>找不到依据时系统会明确说明，并列出可能相关的条文。</li></ul></div>', js_on_load=None)

    def wire(trigger_event: Callable, source: gr.components.Component) -> None:
        trigger_event(handlers.push_question, [source, history], [box, chatbot, history, pending],
                      queue=False, api_visibility="private").then(
            handlers.answer, [pending, history, docs], [chatbot, history, plain],
            api_visibility="private", show_progress="minimal")

    wire(box.submit, box)
    wire(send.click, box)
    for button in examples:
        wire(button.click, button)
    clear.click(lambda: ([], [], ""), None, [chatbot, history, plain], queue=False, api_visibility="private")
    chatbot.clear(lambda: ([], ""), None, [history, plain], queue=False, api_visibility="private")
    return docs


def _browse_tab(handlers: Handlers) -> list[gr.components.Component]:
    """The 条文浏览 tab; returns the outputs of `Handlers.open_article`."""
    index = handlers.index
    first = ordered_documents(index)[0]
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=280):
            doc_dd = gr.Dropdown(choices=doc_choices(index), value=first.doc_id, label="文件", elem_id="tw-doc")
            art_dd = gr.Dropdown(choices=[(article_caption(a, 24), a.article_id) for a in first.articles],
                                 value=first.articles[0].article_id, label="跳转到条文", filterable=True,
                                 elem_id="tw-article-pick")
            info = gr.HTML(doc_info_html(first, index), js_on_load=None)
            toc = gr.HTML(toc_html(first, first.articles[0].article_id), js_on_load=_CLICK_JS, elem_id="tw-toc")
        with gr.Column(scale=7, min_width=260):
            with gr.Row(equal_height=True, elem_classes="tw-searchbar"):
                query = gr.Textbox(show_label=False, placeholder="关键词检索，例如：预备期、三会一课、兜底",
                                   scale=6, elem_id="tw-search-box", container=False)
                scope = gr.Radio(["本文件", "全部文件"], value="全部文件", show_label=False, scale=3,
                                 min_width=180, container=False)
                search = gr.Button("检索", variant="primary", scale=1, min_width=80, elem_id="tw-search-go")
            results = gr.HTML("", js_on_load=_CLICK_JS, elem_id="tw-results", visible=False)
            reader = gr.HTML(reader_html(first, first.articles[0]), js_on_load=None, elem_id="tw-reader")
            with gr.Row():
                prev = gr.Button("← 上一条", size="sm", variant="secondary")
                nxt = gr.Button("下一条 →", size="sm", variant="secondary")
            cite = gr.Textbox(value=formal_citation(first, first.articles[0]), label="复制引用",
                              lines=3, max_lines=8, interactive=False, buttons=["copy"], elem_id="tw-cite")
    key = gr.State(article_key(first.articles[0]))
    outputs = [doc_dd, art_dd, info, toc, reader, cite, key]
    private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
    doc_dd.input(lambda d, q: handlers.open_article(d, None, q), [doc_dd, query], outputs, **private)
    art_dd.input(handlers.open_article, [doc_dd, art_dd, query], outputs, **private)
    toc.select(handlers.on_select_key, [query], outputs, **private)
    results.select(handlers.on_select_key, [query], outputs, **private)
    prev.click(lambda k, q: handlers.step(k, q, -1), [key, query], outputs, **private)
    nxt.click(lambda k, q: handlers.step(k, q, 1), [key, query], outputs, **private)
    for event in (query.submit, search.click):
        event(handlers.search, [query, scope, key], [results, reader], **private)
    return outputs


def build_app(live: LiveAssistant) -> gr.Blocks:
    """The Blocks app over one shared live assistant (style via `launch_options()`)."""
    handlers = Handlers(live)
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as app:
        header = gr.HTML(header_html(handlers.index), js_on_load=None)
        with gr.Tabs():
            with gr.Tab("问答", id="qa"):
                qa_docs = _qa_tab(handlers)
            with gr.Tab("条文浏览", id="browse"):
                browse = _browse_tab(handlers)
            with gr.Tab("测验", id="quiz"):
                quiz_docs = quiz_tab(handlers)
        gr.api(handlers.ask_json, api_name="ask", concurrency_limit=CONCURRENCY_LIMIT)
        app.load(handlers.page, None, [header, qa_docs, quiz_docs, *browse],
                 api_visibility="private", show_progress="hidden", queue=False)
    app.queue(default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_MAX_SIZE)
    return app


def start(live: LiveAssistant, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    """Launch the app for `live` (block=False returns once the server listens)."""
    app = build_app(live)
    app.launch(server_name=host, server_port=port, share=False, show_error=True, quiet=True,
               inbrowser=False, prevent_thread_lock=not block, **launch_options())
    return app


def serve(host: str = "127.0.0.1", port: int = 7860, index_dir: str | Path | None = None) -> None:
    """`tiaowen serve`: load the index, warm up, and serve until interrupted (following
    rebuilds of the index folder)."""
    # the operator sees when a rebuilt index is taken up (gradio's own INFO logs stay quiet)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logging.getLogger("app").addHandler(handler)
    logging.getLogger("app").setLevel(logging.INFO)
    live = LiveAssistant.load(index_dir)
    assistant = live.current()
    # warm jieba and the encoder while the server starts; a first user waits on the assistant's lock
    threading.Thread(target=assistant.ask, args=(WARMUP_QUESTION,), daemon=True).start()
    print(f"{status_text(assistant.index)}\n条文助手已启动：http://{host}:{port}/  （按 Ctrl+C 退出）", flush=True)
    start(live, host, port, block=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.web", description="条文 Web 界面")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--index", default=None, help="索引目录（默认 .index 或 $TIAOWEN_INDEX_DIR）")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.index)


if __name__ == "__main__":
    main()
