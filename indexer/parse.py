"""Structure parser: one corpus file -> Document with its articles.

Handles statutes (编/章/节/条 with Chinese numerals, 第十七条之一), 意见-style documents
(sections 一、… with numbered items 1.…), 党章's 总纲 and preambles. A "第X条" inside a
sentence is a cross-reference: only a line that *starts* with it, followed by a space, and
numbers forward, opens an article.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.numerals import CHINESE_NUMERAL_CHARS, article_id
from indexer.records import Article, Document

REQUIRED_KEYS = ("doc_id", "title", "short_title")
HEADER_KEYS = ("doc_id", "title", "short_title", "doc_number", "issuer", "date", "status",
               "kind", "supersedes", "superseded_by", "source")

NUMERAL = f"[{CHINESE_NUMERAL_CHARS}]+"
ARTICLE_RE = re.compile(rf"^第({NUMERAL})条(?:之({NUMERAL}))?[ \u3000\t]+(.*)$")
# 「第一百二十四 条采用…」: a space typeset inside the label belongs after it
_SPLIT_LABEL_RE = re.compile(rf"^(第{NUMERAL})[ \u3000]+(条(?:之{NUMERAL})?)[ \u3000]*")
DIVISION_RE = re.compile(rf"^第({NUMERAL})(编|分编|章|节)[ \u3000\t]*(.*)$")
SECTION_RE = re.compile(rf"^([{CHINESE_NUMERAL_CHARS}]+)、(.+)$")
ITEM_RE = re.compile(r"^(\d{1,3})[.．](.+)$")
GENERAL_RE = re.compile(r"^总[ \u3000]*纲$")
# a chapter printed without its number (known defect of the 2014 细则: a bare 「总则」)
BARE_CHAPTER_RE = re.compile(r"^(总[ \u3000]*则|附[ \u3000]*则)$")
DOC_NUMBER_RE = re.compile(r"[〔\[［]\d{4}[〕\]］]\d+号")
# header values that say a document has no 文号: 无, 无（中共中央印发）, (not stated in source), —
_NO_DOC_NUMBER_RE = re.compile(r"^\s*(?:无(?:（[^）]*）)?|[-—]+|\(not stated in source\))?\s*$")
ALIAS_SEPARATORS = re.compile(r"[,，、]")  # between the names of a header's aliases
_LEVELS = {"编": 0, "分编": 1, "章": 2, "节": 3}
_ITEM_TITLE_MAX = 24


class CorpusError(ValueError):
    """A corpus file that cannot be indexed; the message is for the user, in Chinese."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{path}" + (f" 第{line}行" if line else "")
        super().__init__(f"{where}：{message}")


@dataclass
class _Unit:
    article_id: str
    label: str
    heading: tuple[str, ...]
    item_title: str
    start: int
    line: int
    paragraphs: list[str] = field(default_factory=list)
    end: int = 0


def clean_line(line: str) -> str:
    """A source line as the parser reads it: no markdown heading markers, no full-width
    indents of pasted documents, an article label in one piece."""
    return _SPLIT_LABEL_RE.sub(r"\1\2 ", line.strip().lstrip("#").strip(" \u3000\t"))


def _squash(text: str) -> str:
    """'第一章　总　则' -> '第一章 总则': spaces inside a heading are typesetting."""
    m = re.match(rf"^(第{NUMERAL}(?:编|分编|章|节))[ \u3000\t]*(.*)$", text)
    if m:
        title = re.sub(r"[ \u3000\t]+", "", m.group(2))
        return f"{m.group(1)} {title}".strip()
    return re.sub(r"[ \u3000\t]+", "", text)


def split_header(raw: str, path: str | Path) -> tuple[dict[str, str], int, int]:
    """Return (header fields, body offset, number of header lines incl. '---')."""
    meta: dict[str, str] = {}
    offset = 0
    for lineno, line in enumerate(raw.splitlines(keepends=True), start=1):
        offset += len(line)
        text = line.strip()
        if text == "---":
            missing = [k for k in REQUIRED_KEYS if not meta.get(k)]
            if missing:
                raise CorpusError(path, lineno, f"文件头缺少必填项：{'、'.join(missing)}")
            return meta, offset, lineno
        if not text:
            continue
        key, sep, value = text.partition(":")
        if not sep or not re.fullmatch(r"[a-z_]+", key.strip()):
            raise CorpusError(path, lineno, "缺少文件头：文件应以 `doc_id: …` 等“键: 值”行开头，并以一行 --- 结束")
        meta[key.strip()] = value.strip()
    raise CorpusError(path, 1, "缺少文件头结束行 ---（文件应以 doc_id、title、short_title 等“键: 值”行开头）")


class _Parser:
    def __init__(self, path: str | Path, doc_id: str, body_offset: int, first_line: int):
        self.path, self.doc_id = path, doc_id
        self.body_offset, self.first_line = body_offset, first_line
        self.heading: list[tuple[int, str]] = []
        self.units: list[_Unit] = []
        self.preamble: list[tuple[int, int, int, str]] = []
        self.last_number = 0

    def _heading(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.heading)

    def _set_heading(self, level: int, title: str) -> None:
        self.heading = [(lv, h) for lv, h in self.heading if lv < level] + [(level, title)]

    def _open(self, aid: str, label: str, title: str, start: int, lineno: int) -> _Unit:
        for unit in self.units:
            if unit.article_id == aid:
                raise CorpusError(self.path, lineno, f"条文编号重复：{label}（第{unit.line}行已出现）")
        unit = _Unit(aid, label, self._heading(), title, start, lineno)
        self.units.append(unit)
        return unit

    def _structural(self, text: str, start: int, lineno: int, item_mode: bool) -> bool:
        """Handle a heading or unit-opening line; False when the line is body text."""
        if GENERAL_RE.match(text):
            self._open("总纲", "总纲", "", start, lineno)
            return True
        if m := DIVISION_RE.match(text):
            self._set_heading(_LEVELS[m.group(2)] + 1, _squash(text))
            return True
        if BARE_CHAPTER_RE.match(text) and not item_mode:
            self._set_heading(_LEVELS["章"] + 1, _squash(text))
            return True
        if not item_mode:
            return self._article(text, start, lineno)
        if m := SECTION_RE.match(text):
            self._set_heading(1, _squash(text) if len(text) < 40 else text)
            return True
        if m := ITEM_RE.match(text):
            number = int(m.group(1))
            if number <= self.last_number:
                return False
            self.last_number = number
            title, _, rest = m.group(2).partition("。")
            if not rest or len(title) > _ITEM_TITLE_MAX:
                title, rest = "", m.group(2)
            unit = self._open(str(number), f"{number}.", title, start, lineno)
            unit.paragraphs.append(rest.strip())
            return True
        return False

    def _article(self, text: str, start: int, lineno: int) -> bool:
        m = ARTICLE_RE.match(text)
        if not m:
            return False
        aid = article_id(m.group(1), m.group(2))
        label = f"第{m.group(1)}条" + (f"之{m.group(2)}" if m.group(2) else "")
        number = int(aid.split("-")[0])
        duplicate = any(u.article_id == aid for u in self.units)
        if number < self.last_number and not duplicate:
            return False  # numbering backwards: a line that quotes another article
        self.last_number = number
        unit = self._open(aid, label, "", start, lineno)
        unit.paragraphs.append(m.group(3).strip())
        return True

    def parse(self, body: str) -> list[Article]:
        lines = body.splitlines(keepends=True)
        item_mode = not any(ARTICLE_RE.match(clean_line(l)) for l in lines)
        pos = self.body_offset
        for index, raw_line in enumerate(lines):
            lineno = self.first_line + index + 1
            start, pos = pos, pos + len(raw_line)
            text = clean_line(raw_line)
            if not text:
                continue
            if self._structural(text, start, lineno, item_mode):
                if self.units:
                    self.units[-1].end = pos
            elif self.units:
                self.units[-1].paragraphs.append(text)
                self.units[-1].end = pos
            else:
                self.preamble.append((start, pos, lineno, text))
        return self._articles()

    def _articles(self) -> list[Article]:
        units = list(self.units)
        if preamble := _preamble(self.preamble):
            units.insert(0, preamble)
        return [Article(self.doc_id, u.article_id, u.label, u.heading, u.item_title,
                        "\n".join(p for p in u.paragraphs if p), (u.start, u.end), u.line)
                for u in units if any(u.paragraphs)]



def _preamble(lines: list[tuple[int, int, int, str]]) -> _Unit | None:
    """The front text worth citing: from the first sentence to the last line that has one.

    Title lines and dates before it, and the signature or repeated title after it, are dropped.
    """
    sentence = [i for i, (*_, text) in enumerate(lines) if re.search(r"[。：:]", text)]
    if not sentence:
        return None
    first = sentence[0]
    # the 文号 line just above the text (（京办发〔2016〕27号）) is part of what is cited
    if first and DOC_NUMBER_RE.search(lines[first - 1][3]):
        first -= 1
    chosen = lines[first:sentence[-1] + 1]
    start, _, lineno, _ = chosen[0]
    return _Unit("序言", "序言", (), "", start, lineno, [t for *_, t in chosen], chosen[-1][1])


def parse_text(raw: str, path: str | Path = "<text>") -> Document:
    """Parse the full text of a corpus file (header + body)."""
    meta, offset, header_lines = split_header(raw, path)
    doc_id = meta["doc_id"]
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", doc_id):
        raise CorpusError(path, 1, f"doc_id 只能包含字母、数字、-、_、.：{doc_id!r}")
    articles = _Parser(path, doc_id, offset, header_lines).parse(raw[offset:])
    if all(a.article_id == "序言" for a in articles):
        raise CorpusError(path, header_lines + 1, "正文中未识别出任何条文（第X条 或 1. 形式的条目）")
    fields = {k: meta.get(k, "") for k in HEADER_KEYS}
    if _NO_DOC_NUMBER_RE.match(fields["doc_number"]):
        fields["doc_number"] = ""  # 党章 has none; copies may say so in a note
    fields["status"] = fields["status"] or "current"
    names = [meta["short_title"], *ALIAS_SEPARATORS.split(meta.get("aliases", ""))]
    fields["aliases"] = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    fields["governs"] = tuple(w.strip() for w in ALIAS_SEPARATORS.split(meta.get("governs", ""))
                              if w.strip())
    return Document(**fields, path=str(path), sha256=hashlib.sha256(raw.encode()).hexdigest(),
                    articles=tuple(articles))


def parse_file(path: str | Path) -> Document:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, None, f"文件不是 UTF-8 编码（{exc.reason}）") from None
    return parse_text(raw, path)
