"""Import statutes in LawRefBook/Laws Markdown into tiaowen corpus files.

A LawRefBook file is `# title`, an info block (adoption and amendment dates, for 民法典 a
second `# 合同编` line naming the part) closed by `<!-- INFO END -->`, then the text:
`## 第一章 总则` headings and `第一条 …` lines. Each importable file becomes one corpus file
`<doc_id>.txt` (header, `---`, body) that `indexer.corpus.load_corpus` reads like any other.

Everything is decided from the files themselves:

- title from the `# ` line; version from the file name `(YYYY-MM-DD)`, else the latest date
  in the info block; the info block goes into the header (`history:`), never into articles;
- amendment instruments (…修正案) and files without 第X条 articles are skipped, with a reason;
- several versions of one title: the latest is current, each older one superseded by the
  next, linked both ways (`supersedes` / `superseded_by`);
- the same title and version in two folders is written once;
- 民法典's per-编 files are separate documents (「民法典·合同编」).

doc_ids are ASCII and stable across runs: `law-<hash of the source path>`.

Example, from the repository root:

    $ .venv/bin/python -m app.cli import ../shared/lawcorpus --corpus /tmp/laws
    导入 1419 个文件（现行 1337，已修订 82），跳过 92 个：无第X条条文 69，修正案 17，重复 5，非 LawRefBook 格式 1

or in Python:

    from indexer.corpus import load_corpus
    from indexer.importer import import_statutes

    report = import_statutes("../shared/lawcorpus", "/tmp/laws")
    print(report.summary(), [f.path for f in report.skipped][:3])
    docs = load_corpus("/tmp/laws")   # 1419 documents
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indexer.parse import ALIAS_SEPARATORS, ARTICLE_RE, CorpusError, clean_line, parse_text

INFO_END = "<!-- INFO END -->"
SOURCE_GLOB = "*.md"

CURRENT, SUPERSEDED, DUPLICATE, SKIPPED = "current", "superseded", "duplicate", "skipped"

# skip reasons, counted in the summary the CLI prints
REASON_FORMAT = "非 LawRefBook 格式"
REASON_AMENDMENT = "修正案"
REASON_NO_ARTICLES = "无第X条条文"
REASON_UNPARSABLE = "解析失败"
REASON_DUPLICATE = "重复"

_FILE_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
# \d also matches full-width digits (２０１８年), which some info blocks use
_INFO_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# an amendment instrument is *named* 修正案 (刑法修正案（十一）, 宪法修正案（2018年）); a title that
# only mentions one (关于《刑法修正案（八）》时间效力问题的解释) is an interpretation with articles
_AMENDMENT_RE = re.compile(r"修正案(\([^()]*\))?$")
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_COUNTRY = "中华人民共和国"
_PLACEHOLDER_HEADER = "doc_id: draft\ntitle: draft\nshort_title: draft\n---\n"

# China's legal departments (法律部门) in their official order, then the other source kinds: a
# law filed under two departments is kept under the one listed first, its primary department
_FOLDER_ORDER = ("宪法", "宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法",
                 "诉讼与非诉讼程序法", "行政法规", "部门规章", "司法解释")
_FOLDER_KIND = {"行政法规": "行政法规", "部门规章": "部门规章", "司法解释": "司法解释"}
_LAW_KIND = "法律"


class SkipFile(CorpusError):
    """A source file that is not imported; `reason` is one of the REASON_* categories."""

    def __init__(self, path: str, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(path, None, reason + (f"（{detail}）" if detail else ""))


@dataclass(frozen=True)
class Statute:
    """One readable source file: what the importer needs to know about it."""

    path: str                   # relative to the source folder, with /
    title: str                  # from the `# ` line, spaces squeezed
    part: str                   # 民法典's 编 ("合同编"); "" for a whole statute
    version: str                # YYYY-MM-DD, or "" when no date is found
    info: tuple[str, ...]       # the info block's lines
    body: str                   # the text after the info block, cleaned
    articles: int               # number of 第X条 articles the parser finds

    @property
    def full_title(self) -> str:
        return f"{self.title}·{self.part}" if self.part else self.title

    @property
    def short_name(self) -> str:
        """Title without a leading 中华人民共和国, plus the part: 民法典·合同编."""
        short = self.title.removeprefix(_COUNTRY) or self.title
        return f"{short}·{self.part}" if self.part else short

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0] if "/" in self.path else ""


@dataclass(frozen=True)
class Placement:
    """A statute to write, with its place among the versions of its title."""

    statute: Statute
    doc_id: str
    status: str
    short_title: str
    supersedes: str = ""
    superseded_by: str = ""
    current_path: str = ""      # the version in force, for superseded ones


@dataclass(frozen=True)
class FileResult:
    """What happened to one source file."""

    path: str
    status: str                 # current, superseded, duplicate or skipped
    doc_id: str = ""
    reason: str = ""            # REASON_* for skipped and duplicate files
    detail: str = ""            # the kept copy of a duplicate, the parser's message, …
    current_path: str = ""      # the version in force, for superseded and duplicate files


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def with_status(self, *statuses: str) -> list[FileResult]:
        return [f for f in self.files if f.status in statuses]

    @property
    def imported(self) -> list[FileResult]:
        return self.with_status(CURRENT, SUPERSEDED)

    @property
    def current(self) -> list[FileResult]:
        return self.with_status(CURRENT)

    @property
    def superseded(self) -> list[FileResult]:
        return self.with_status(SUPERSEDED)

    @property
    def skipped(self) -> list[FileResult]:
        """Files not written: skipped ones and duplicates of a written file."""
        return self.with_status(SKIPPED, DUPLICATE)

    def reasons(self) -> Counter[str]:
        return Counter(f.reason for f in self.skipped)

    def summary(self) -> str:
        """导入 N 个文件（现行 X，已修订 Y），跳过 Z 个：reasons, most frequent first."""
        counts = sorted(self.reasons().items(), key=lambda item: (-item[1], item[0]))
        reasons = "，".join(f"{r} {n}" for r, n in counts)
        return (f"导入 {len(self.imported)} 个文件（现行 {len(self.current)}，已修订 "
                f"{len(self.superseded)}），跳过 {len(self.skipped)} 个" + (f"：{reasons}" if reasons else ""))


# --------------------------------------------------------------------------- one file


def title_key(title: str) -> str:
    """What makes two titles the same statute: width and the joint issuers' separator.

    >>> title_key("最高人民法院  最高人民检察院关于…（三）") == title_key("最高人民法院、最高人民检察院关于…(三)")
    True
    """
    text = unicodedata.normalize("NFKC", title).strip()
    return re.sub(r"[\s、]+", "、", text)


def version_date(path: str, info: list[str]) -> str:
    """The version a file holds: the date in its name, else the latest date in its info block."""
    if m := _FILE_DATE_RE.search(Path(path).stem):
        return m.group(1)
    dates = []
    for line in info:
        for year, month, day in _INFO_DATE_RE.findall(line):
            try:
                dates.append(date(int(year), int(month), int(day)).isoformat())
            except ValueError:
                continue  # a typo such as 2月30日 dates nothing
    return max(dates, default="")


def clean_body(body: str) -> str:
    """Body lines as the corpus keeps them: no markdown markers, comments or blank lines."""
    lines = (clean_line(raw) for raw in body.splitlines())
    return "".join(f"{line}\n" for line in lines if line and not _COMMENT_RE.match(line))


def count_articles(body: str, path: str) -> int:
    """Number of 第X条 articles the corpus parser finds in `body` (序言/总纲 units excluded)."""
    if not any(ARTICLE_RE.match(line) for line in body.splitlines()):
        return 0  # numbered 一、/(一)/1. or not at all: the parser would take it as an 意见
    doc = parse_text(_PLACEHOLDER_HEADER + body, path)
    return sum(1 for a in doc.articles if a.label.startswith("第"))


def read_statute(text: str, path: str) -> Statute:
    """Split one LawRefBook file into title, info block and body; SkipFile if not importable."""
    head, marker, body = text.lstrip("\ufeff").partition(INFO_END)
    lines = head.splitlines()
    if not marker or not lines or not lines[0].startswith("# "):
        raise SkipFile(path, REASON_FORMAT, f"应以“# 标题”开头并含 {INFO_END}")
    title = re.sub(r"\s+", " ", lines[0][2:]).strip()
    if not title:
        raise SkipFile(path, REASON_FORMAT, "标题为空")
    # a second `# ` line names one part of a statute split over several files (民法典's 编)
    parts = [l[2:].strip() for l in lines[1:] if l.startswith("# ") and l[2:].strip()]
    info = [clean_line(l) for l in lines[1:]
            if l.strip() and not l.startswith("# ") and not _COMMENT_RE.match(l.strip())]
    if _AMENDMENT_RE.search(title_key(title)):
        raise SkipFile(path, REASON_AMENDMENT, "只含对其他法律的修改，不是完整条文")
    body = clean_body(body)
    try:
        articles = count_articles(body, path)
    except CorpusError as exc:
        raise SkipFile(path, REASON_UNPARSABLE, exc.message) from None
    if not articles:
        raise SkipFile(path, REASON_NO_ARTICLES, "以一、(一) 或 1. 编号，或无编号")
    return Statute(path, title, parts[0] if parts else "", version_date(path, info), tuple(info),
                   body, articles)


# --------------------------------------------------------------------------- versions


def make_doc_id(statute: Statute) -> str:
    """`law-k3bq7xzdam`: a hash of the source path, so re-importing a file that was updated in
    place (a new version of an undated 慈善法.md) rewrites the same corpus file.

    The hash is base32, whose digits (2-7) never spell a year: app/refs.py reads a version's
    year from its doc_id before its `date`.
    """
    digest = hashlib.sha1(statute.path.encode()).digest()
    return f"law-{base64.b32encode(digest).decode().lower()[:10]}"


def _preference(statute: Statute) -> tuple:
    """Which copy of a duplicate to keep: primary department, a title without stray spaces."""
    folder = statute.folder
    rank = _FOLDER_ORDER.index(folder) if folder in _FOLDER_ORDER else len(_FOLDER_ORDER)
    return (rank, " " in statute.title, statute.path)


def _version_label(statute: Statute, versions: list[Statute]) -> str:
    """「2016」, or the full date when another version of the same title shares the year."""
    year = statute.version[:4]
    if not year:
        return "旧版"  # no date anywhere: sorted as the oldest version
    same_year = [v for v in versions if v.version[:4] == year]
    return statute.version if len(same_year) > 1 else year


def plan_versions(statutes: list[Statute]) -> tuple[list[Placement], list[FileResult]]:
    """Place every statute among the versions of its title; return (to write, duplicates)."""
    groups: dict[tuple[str, str], list[Statute]] = defaultdict(list)
    for statute in statutes:
        groups[(title_key(statute.title), statute.part)].append(statute)
    placements: list[Placement] = []
    duplicates: list[FileResult] = []
    for members in groups.values():
        by_version: dict[str, list[Statute]] = defaultdict(list)
        for statute in members:
            by_version[statute.version].append(statute)
        kept, dropped = [], []
        for version in sorted(by_version):
            first, *others = sorted(by_version[version], key=_preference)
            kept.append(first)
            dropped += [(other, first) for other in others]
        placements += _chain(kept)
        # a duplicate of any version names the copy kept and the group's version in force
        duplicates += [FileResult(other.path, DUPLICATE, reason=REASON_DUPLICATE, detail=first.path,
                                  current_path=kept[-1].path) for other, first in dropped]
    return placements, duplicates


def _chain(versions: list[Statute]) -> list[Placement]:
    """Oldest first: each version is superseded by the next; the last one is current."""
    ids = [make_doc_id(s) for s in versions]
    latest = versions[-1]
    out = []
    for i, statute in enumerate(versions):
        is_current = statute is latest
        short = statute.short_name if is_current else \
            f"{statute.short_name}（{_version_label(statute, versions)}）"
        out.append(Placement(statute, ids[i], CURRENT if is_current else SUPERSEDED, short,
                             supersedes=ids[i - 1] if i else "",
                             superseded_by="" if is_current else ids[i + 1],
                             current_path="" if is_current else latest.path))
    return out


# --------------------------------------------------------------------------- writing


def corpus_text(placement: Placement) -> str:
    """The corpus file for one placed statute: `key: value` header, `---`, body."""
    s = placement.statute
    names = [placement.short_title, s.short_name, s.full_title]
    if s.part:
        # the whole code's names find each 编; the article number picks the right one
        names += [s.title.removeprefix(_COUNTRY), s.title]
    # the parser splits alias lists at these characters, so a name containing one is no alias
    aliases = [n for n in dict.fromkeys(names) if n and not ALIAS_SEPARATORS.search(n)]
    header = {
        "doc_id": placement.doc_id,
        "title": s.full_title,
        "short_title": placement.short_title,
        "aliases": ",".join(aliases),
        "status": placement.status,
        "supersedes": placement.supersedes,
        "superseded_by": placement.superseded_by,
        "kind": _FOLDER_KIND.get(s.folder, _LAW_KIND if s.folder in _FOLDER_ORDER else ""),
        "date": s.version,
        "history": "；".join(s.info),
        "source": s.path,
    }
    lines = [f"{k}: {v}" for k, v in header.items() if v]
    return "\n".join(lines) + "\n---\n" + s.body


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file and rename, so readers never see half a file."""
    # hidden and not *.txt, so a concurrent load_corpus never picks it up; created by open()
    # rather than mkstemp so that it gets the umask's permissions, not 0600
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def source_files(src_dir: str | Path) -> list[Path]:
    src_dir = Path(src_dir)
    if not src_dir.is_dir():
        raise CorpusError(src_dir, None, "文件夹不存在")
    files = sorted((p for p in src_dir.rglob(SOURCE_GLOB) if p.is_file()),
                   key=lambda p: p.relative_to(src_dir).as_posix())
    if not files:
        raise CorpusError(src_dir, None, "文件夹中没有 .md 文件")
    return files


def _read(path: Path, rel: str) -> Statute:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SkipFile(rel, REASON_FORMAT, f"不是 UTF-8 编码：{exc.reason}") from None
    return read_statute(text, rel)


def import_statutes(src_dir: str | Path, out_dir: str | Path) -> ImportReport:
    """Import every `*.md` under `src_dir` into `out_dir` (created if needed).

    Files are (re)written as `<doc_id>.txt`; files of an earlier import that this one does not
    produce are left in place.
    """
    src, out = Path(src_dir), Path(out_dir)
    results: list[FileResult] = []
    statutes: list[Statute] = []
    for path in source_files(src):
        # one spelling of the path for both `source:` and the doc_id hash
        rel = unicodedata.normalize("NFC", path.relative_to(src).as_posix())
        try:
            statutes.append(_read(path, rel))
        except SkipFile as exc:
            results.append(FileResult(rel, SKIPPED, reason=exc.reason, detail=exc.detail))
    placements, duplicates = plan_versions(statutes)
    out.mkdir(parents=True, exist_ok=True)
    for p in placements:
        write_atomic(out / f"{p.doc_id}.txt", corpus_text(p))
        results.append(FileResult(p.statute.path, p.status, p.doc_id, current_path=p.current_path))
    results += duplicates
    return ImportReport(sorted(results, key=lambda r: r.path))
