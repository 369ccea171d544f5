"""Quiz exports (JSON, Markdown, Moodle GIFT, Aiken, CSV, XLSX) and a parser for each.

Every exporter returns text or bytes, never touches the file system; `export()` gives bytes
for any format, so the CLI and the web tab share one code path. Each parser turns an export
back into the JSON shape, with the fields that format carries (`CARRIED`), so tests can
check that what a training platform imports is what the generator made.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Callable, Mapping

from app.quiz.generate import LETTERS, TYPE_NAMES, Quiz
from app.records import MARKER_RE
from indexer.records import Document

FORMATS = ("json", "md", "gift", "aiken", "csv", "xlsx")
EXTENSIONS = {"json": "json", "md": "md", "gift": "gift.txt", "aiken": "aiken.txt",
              "csv": "csv", "xlsx": "xlsx"}
# Fields of the JSON shape each format carries through a round trip.
CARRIED = {
    "json": ("id", "type", "stem", "options", "answer", "explanation", "source"),
    "gift": ("id", "type", "stem", "options", "answer", "explanation", "source"),
    "md": ("type", "stem", "options", "answer", "explanation"),
    "csv": ("type", "stem", "options", "answer", "explanation"),
    "xlsx": ("type", "stem", "options", "answer", "explanation"),
    "aiken": ("type", "stem", "options", "answer"),
}
AIKEN_TYPES = ("single", "tf")        # Aiken knows only single-answer multiple choice
TABLE_HEADER = ("题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "出处")
TF_WORDS = {True: "正确", False: "错误"}
_CN_ORDINALS = "一二三四五六七八九十"
_NAME_TYPES = {v: k for k, v in TYPE_NAMES.items()}


def _questions(quiz: Quiz | dict) -> list[dict]:
    return quiz.to_json()["questions"] if isinstance(quiz, Quiz) else list(quiz["questions"])


def answer_text(q: dict) -> str:
    """The answer as printed in keys and tables: B, AC, 正确/错误 or the blanked words."""
    answer = q["answer"]
    if isinstance(answer, bool):
        return TF_WORDS[answer]
    if isinstance(answer, list):
        return "".join(answer)
    return answer


def _parse_answer(type_: str, text: str) -> str | list[str] | bool:
    text = text.strip()
    if type_ == "tf":
        return text in ("正确", "对", "√", "TRUE", "True", "true", "T")
    if type_ == "multi":
        return sorted(ch for ch in text if ch in LETTERS)
    return text


def citation_text(q: dict) -> str:
    """《实施意见》第6条, taken from the 解析's 〔…〕 marker (not from a quoted 文号's 〔1990〕)."""
    m = MARKER_RE.search(q.get("explanation", ""))
    return m.group(0)[1:-1] if m else ""


# -- JSON ---------------------------------------------------------------------------------

def to_json(quiz: Quiz | dict) -> str:
    return json.dumps({"questions": _questions(quiz)}, ensure_ascii=False, indent=2) + "\n"


def parse_json(text: str) -> dict:
    return json.loads(text)


# -- Markdown -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _unmd(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _sections(questions: list[dict]) -> list[tuple[str, list[tuple[int, dict]]]]:
    """Questions grouped by type in order of first appearance, numbered 1… throughout."""
    groups: dict[str, list[tuple[int, dict]]] = {}
    for number, q in enumerate(questions, 1):
        groups.setdefault(q["type"], []).append((number, q))
    return list(groups.items())


def to_markdown(quiz: Quiz | dict, title: str = "条文测验") -> str:
    """Questions by type for printing, then a separate answer key with 解析."""
    questions = _questions(quiz)
    lines = [f"# {_md(title)}", "", f"共 {len(questions)} 题，答案与解析见文末。", ""]
    sections = _sections(questions)
    for i, (type_, items) in enumerate(sections):
        lines += [f"## {_CN_ORDINALS[i]}、{TYPE_NAMES[type_]}", ""]
        for number, q in items:
            lines += [f"**{number}.** {_md(q['stem'])}", ""]
            if q.get("options"):
                lines += [f"- {k}. {_md(v)}" for k, v in q["options"].items()] + [""]
    lines += ["---", "", "## 答案与解析", ""]
    for i, (type_, items) in enumerate(sections):
        lines += [f"### {_CN_ORDINALS[i]}、{TYPE_NAMES[type_]}", ""]
        for number, q in items:
            lines += [f"**{number}.** 答案：{_md(answer_text(q))}", "",
                      f"解析：{_md(q['explanation'])}", ""]
    return "\n".join(lines)


def parse_markdown(text: str) -> dict:
    questions: dict[int, dict] = {}
    type_ = ""
    in_key = False
    current: dict | None = None
    for line in text.splitlines():
        if line.startswith("## 答案与解析"):
            in_key = True
            continue
        if m := re.match(r"^#{2,3} [一二三四五六七八九十]+、(\S+)$", line):
            type_ = _NAME_TYPES[m.group(1)]
            continue
        if m := re.match(r"^\*\*(\d+)\.\*\* (.*)$", line):
            number = int(m.group(1))
            if in_key:
                current = questions[number]
                current["answer"] = _parse_answer(type_, _unmd(m.group(2).removeprefix("答案：")))
            else:
                current = questions[number] = {"id": f"Q{number:03d}", "type": type_,
                                               "stem": _unmd(m.group(2))}
            continue
        if current is not None and (m := re.match(r"^- ([A-D])\. (.*)$", line)) and not in_key:
            current.setdefault("options", {})[m.group(1)] = _unmd(m.group(2))
        elif current is not None and in_key and line.startswith("解析："):
            current["explanation"] = _unmd(line.removeprefix("解析："))
    return {"questions": [questions[n] for n in sorted(questions)]}


# -- Moodle GIFT --------------------------------------------------------------------------

_GIFT_SPECIAL = "~=#{}:"


def gift_escape(text: str) -> str:
    """Backslash-escape GIFT's control characters ~ = # { } : (and the backslash)."""
    text = text.replace("\\", "\\\\")
    for ch in _GIFT_SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _weight(k: int) -> str:
    return f"{100 / k:.5f}".rstrip("0").rstrip(".")


def _gift_answers(q: dict) -> str:
    feedback = f"####{gift_escape(q['explanation'])}"
    if q["type"] == "tf":
        return f"{{{'TRUE' if q['answer'] else 'FALSE'}{feedback}}}"
    if q["type"] == "cloze":
        return f"{{={gift_escape(q['answer'])}{feedback}}}"
    lines = []
    for letter, text in q["options"].items():
        if q["type"] == "single":
            lines.append(f"{'=' if letter == q['answer'] else '~'}{gift_escape(text)}")
        else:
            weight = _weight(len(q["answer"])) if letter in q["answer"] else "-100"
            lines.append(f"~%{weight}%{gift_escape(text)}")
    return "{\n" + "\n".join(lines) + f"\n{feedback}\n}}"


def to_gift(quiz: Quiz | dict) -> str:
    """Moodle GIFT; a `// tiaowen:` comment line keeps id, type and source for round trips
    (Moodle ignores comment lines)."""
    blocks = []
    for q in _questions(quiz):
        meta = json.dumps({"id": q["id"], "type": q["type"], "source": q["source"]},
                          ensure_ascii=False)
        blocks.append(f"// {TYPE_NAMES[q['type']]}\n// tiaowen: {meta}\n"
                      f"::{gift_escape(q['id'])}::{gift_escape(q['stem'])} {_gift_answers(q)}")
    return "\n\n".join(blocks) + "\n"


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split at unescaped characters in `marks`: [(mark, raw text after it), …]."""
    parts: list[tuple[str, str]] = []
    mark, buf, i = "", [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i:i + 2])
            i += 2
            continue
        if ch in marks:
            parts.append((mark, "".join(buf)))
            mark, buf = ch, []
        else:
            buf.append(ch)
        i += 1
    parts.append((mark, "".join(buf)))
    return parts


def _find_unescaped(text: str, target: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def _parse_gift_block(block: str) -> dict:
    meta: dict = {}
    body_lines = []
    for line in block.splitlines():
        if line.startswith("// tiaowen:"):
            meta = json.loads(line.removeprefix("// tiaowen:"))
        elif not line.startswith("//"):
            body_lines.append(line)
    body = "\n".join(body_lines).strip()
    q: dict = {}
    if body.startswith("::"):
        end = _find_unescaped(body, "::", 2)
        q["id"] = gift_unescape(body[2:end])
        body = body[end + 2:]
    open_at = _find_unescaped(body, "{")
    close_at = max(i for i in range(len(body)) if body[i] == "}" and (i == 0 or body[i - 1] != "\\"))
    q["stem"] = gift_unescape(body[:open_at].strip())
    inside = body[open_at + 1:close_at]
    feedback_at = _find_unescaped(inside, "####")
    answers = inside[:feedback_at] if feedback_at >= 0 else inside
    if feedback_at >= 0:
        q["explanation"] = gift_unescape(inside[feedback_at + 4:].strip())
    if answers.strip() in ("TRUE", "T", "FALSE", "F"):
        q["type"], q["answer"] = "tf", answers.strip() in ("TRUE", "T")
    else:
        tokens = [(m, gift_unescape(t.strip())) for m, t in _split_unescaped(answers, "=~") if m]
        _gift_choices(q, tokens)
    if meta:
        q["type"] = meta.get("type", q.get("type"))
        q["source"] = meta.get("source")
        q.setdefault("id", meta.get("id"))
    return q


def _gift_choices(q: dict, tokens: list[tuple[str, str]]) -> None:
    if all(m == "=" for m, _ in tokens):
        q["type"], q["answer"] = "cloze", tokens[0][1]
        return
    options, right = {}, []
    for letter, (mark, text) in zip(LETTERS, tokens):
        weight = re.match(r"^%(-?[\d.]+)%", text)
        if weight:
            text = text[weight.end():]
        options[letter] = text
        if mark == "=" or (weight and float(weight.group(1)) > 0):
            right.append(letter)
    multi = any(text.startswith("%") for _, text in tokens) or len(right) > 1
    q["type"] = "multi" if multi else "single"
    q["options"] = options
    q["answer"] = right if multi else right[0]


def parse_gift(text: str) -> dict:
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    return {"questions": [_parse_gift_block(b) for b in blocks]}


# -- Aiken --------------------------------------------------------------------------------

def aiken_skipped(quiz: Quiz | dict) -> dict[str, int]:
    """Questions Aiken cannot hold (多选, 填空), by type."""
    skipped: dict[str, int] = {}
    for q in _questions(quiz):
        if q["type"] not in AIKEN_TYPES:
            skipped[q["type"]] = skipped.get(q["type"], 0) + 1
    return skipped


def aiken_note(quiz: Quiz | dict) -> str:
    """「Aiken 格式只支持单选题和判断题，已略去多选题 3 道。」, or "" when nothing is left out."""
    skipped = aiken_skipped(quiz)
    if not skipped:
        return ""
    parts = "、".join(f"{TYPE_NAMES[t]} {n} 道" for t, n in skipped.items())
    return f"Aiken 格式只支持单选题和判断题，已略去{parts}。"


def quiz_title(quiz: Quiz, documents: Mapping[str, Document]) -> str:
    """「《实施意见》测验」: the title exports print, naming up to three documents."""
    names = "、".join(f"《{documents[d].short_title}》" for d in quiz.documents[:3])
    return f"{names}测验" if names else "条文测验"


def to_aiken(quiz: Quiz | dict) -> str:
    """Aiken: 单选 as is, 判断 as A. 正确 / B. 错误; 多选 and 填空 cannot be expressed."""
    blocks = []
    for q in _questions(quiz):
        if q["type"] == "single":
            options, answer = q["options"], q["answer"]
        elif q["type"] == "tf":
            options, answer = {"A": TF_WORDS[True], "B": TF_WORDS[False]}, "A" if q["answer"] else "B"
        else:
            continue
        lines = [q["stem"].replace("\n", " ")]
        lines += [f"{k}. {v}" for k, v in options.items()]
        lines.append(f"ANSWER: {answer}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def parse_aiken(text: str) -> dict:
    questions = []
    for number, block in enumerate((b for b in re.split(r"\n\s*\n", text) if b.strip()), 1):
        lines = block.strip().splitlines()
        options = {}
        answer = ""
        for line in lines[1:]:
            if m := re.match(r"^([A-Z])[.)] (.*)$", line):
                options[m.group(1)] = m.group(2)
            elif line.startswith("ANSWER:"):
                answer = line.removeprefix("ANSWER:").strip()
        if options == {"A": TF_WORDS[True], "B": TF_WORDS[False]}:
            questions.append({"id": f"Q{number:03d}", "type": "tf", "stem": lines[0],
                              "answer": answer == "A"})
        else:
            questions.append({"id": f"Q{number:03d}", "type": "single", "stem": lines[0],
                              "options": options, "answer": answer})
    return {"questions": questions}


# -- CSV and XLSX (the common Chinese training-platform layout) ----------------------------

def table_rows(quiz: Quiz | dict) -> list[list[str]]:
    """题型, 题干, 选项A–D, 答案, 解析, 出处 — one row a question, header first."""
    rows = [list(TABLE_HEADER)]
    for q in _questions(quiz):
        options = q.get("options") or {}
        rows.append([TYPE_NAMES[q["type"]], q["stem"], *(options.get(k, "") for k in LETTERS),
                     answer_text(q), q["explanation"], citation_text(q)])
    return rows


def _from_row(row: list, number: int) -> dict:
    cells = ["" if c is None else str(c) for c in row] + [""] * len(TABLE_HEADER)
    type_ = _NAME_TYPES[cells[0]]
    q: dict = {"id": f"Q{number:03d}", "type": type_, "stem": cells[1]}
    if type_ in ("single", "multi"):
        q["options"] = {k: cells[2 + i] for i, k in enumerate(LETTERS) if cells[2 + i]}
    q["answer"] = _parse_answer(type_, cells[6])
    q["explanation"] = cells[7]
    q["citation"] = cells[8]
    return q


def to_csv(quiz: Quiz | dict) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table_rows(quiz))
    return buffer.getvalue()


def parse_csv(text: str) -> dict:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return {"questions": [_from_row(r, i) for i, r in enumerate(rows[1:], 1) if any(r)]}


def to_xlsx(quiz: Quiz | dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "题库"
    for row in table_rows(quiz):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = (8, 60, 18, 18, 18, 18, 10, 60, 18)
    for column, width in zip("ABCDEFGHI", widths):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse_xlsx(data: bytes) -> dict:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return {"questions": [_from_row(list(r), i) for i, r in enumerate(rows[1:], 1) if any(r)]}


# -- one entry point ----------------------------------------------------------------------

_TEXT_EXPORTERS: dict[str, Callable[[Quiz | dict], str]] = {
    "json": to_json, "gift": to_gift, "aiken": to_aiken}
PARSERS: dict[str, Callable] = {"json": parse_json, "md": parse_markdown, "gift": parse_gift,
                                "aiken": parse_aiken, "csv": parse_csv, "xlsx": parse_xlsx}


def export(quiz: Quiz | dict, fmt: str, title: str = "条文测验") -> bytes:
    """The quiz in `fmt` as bytes (UTF-8 text; CSV with a BOM so Excel reads it as UTF-8)."""
    if fmt == "xlsx":
        return to_xlsx(quiz)
    if fmt == "csv":
        return to_csv(quiz).encode("utf-8-sig")
    if fmt == "md":
        return to_markdown(quiz, title).encode("utf-8")
    if fmt in _TEXT_EXPORTERS:
        return _TEXT_EXPORTERS[fmt](quiz).encode("utf-8")
    raise ValueError(f"未知的导出格式：{fmt}。可选：{'、'.join(FORMATS)}")


def parse(data: bytes | str, fmt: str) -> dict:
    """Any export back to the JSON shape (the fields in CARRIED[fmt])."""
    if fmt == "xlsx":
        return parse_xlsx(data if isinstance(data, bytes) else data.encode())
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return PARSERS[fmt](text)
