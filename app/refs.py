"""What a question names explicitly: documents (by alias), articles (党章第七条, 第18条,
最后一条) and sections (党章第三章, 实施意见第二部分).

Vectors miss numbers and article references, so these are resolved directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.numerals import NUMBER, article_id, chinese_to_int
from indexer.records import Document
from indexer.tokenize import tokenize

_NUM = NUMBER
ARTICLE_REF_RE = re.compile(rf"第?({_NUM})\s*(条|项|点)(?:之({_NUM}))?")
SECTION_REF_RE = re.compile(rf"第({_NUM})\s*(?:部分|章|编)")
_LAST_ARTICLE_RE = re.compile(r"最后一(?:条|项|点)")
_YEAR_RE = re.compile(r"(19|20)\d\d")
# 「14年那版」: a version named by the year's last two digits
_SHORT_YEAR_RE = re.compile(r"(?<!\d)(\d\d)年(?=那?一?版|的版本|那个版本)")
# between a document's name and its article: 「党章第9条」, 「意见里第四项」, 「条例的第5条」
_JOINER_RE = re.compile(r"(?:里面|里|中|的)?\s*$")
_AND = "和与跟及、"  # 「党章和支部工作条例的第一条」 names the article of both
# a kind of document said on its own in place of a name (「意见」, not the 法 of 宪法 or the
# 章程 of 我们协会的章程): at the start, after punctuation, 和/与 or 这/那/该
_KINDS = "意见|细则|条例|办法|规定|章程|法"
_KIND_RE = re.compile(rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[和与跟及这那该]))({_KINDS})$")
# a name the corpus does not know, ending in a kind (宪法, 公司法, 我们协会的章程): the two
# characters before the kind decide whether it is one of ours said loosely (支部条例)
_LOOSE_NAME_RE = re.compile(rf"([\u4e00-\u9fff]{{1,2}})({_KINDS})$")
_PARENTHESES_RE = re.compile(r"（[^）]*）|\([^)]*\)")
_TITLE_RE = re.compile(r"《([^《》]{2,40})》")
# words of a question about a whole section rather than something in it
_ABOUT_WORDS = frozenset("内容 主要 关于 方面 哪些方面 哪些 具体 包括 涉及 条文 规定 写 写了 部分 章 一章 这章 这部分 "
                         "原文 全文 那条 这条 里头 里面 "
                         "版 年版 年".split())
# words that ask for an earlier version rather than the one in force; 「原来的」, 「老的」 only of
# a document (「以前的规定」) or beside the name of one that has versions (「新细则跟老的比」):
# 「跟原来的主管局脱钩了」 asks of no version
_OLD_VERSION_RE = re.compile(rf"旧版|老版|原版|修订前|修改前|废止|(?:旧|老|以前|原来|过去)的(?=.{{0,6}}(?:{_KINDS}|版|文件))")
_OLD_LOOSELY_RE = re.compile(r"(?:旧|老|以前|原来|过去)的")
# words that ask about both versions at once
_BOTH_VERSIONS_RE = re.compile(r"新旧|新老|两版|两个版本|修订前后|修改前后")


@dataclass(frozen=True)
class Mentions:
    docs: tuple[str, ...]            # documents the question names, best first
    articles: tuple[str, ...]        # article ids it names ("7", "17-1", 总纲), a repeat when in two documents
    years: tuple[str, ...]           # years it names (2014, 2026): picks a version
    old_version: bool = False        # asks for an earlier version (老版, 修订前)
    both_versions: bool = False      # asks about both versions (新旧, 两版)
    sections: tuple[int, ...] = ()   # sections it names by number (第三章, 第二部分)
    whole_section: bool = False      # asks what the named sections say, nothing narrower
    last_article: bool = False       # names the last article (最后一条)
    foreign: tuple[str, ...] = ()    # articles of documents the corpus does not have (宪法第五条)
    foreign_titles: tuple[str, ...] = ()  # titles in 《》 of documents it does not have
    # parallel to `articles` (which also holds named units, 总纲 and 序言): the documents
    # named right before each (「党章第9条和党员教育管理条例第31条」), empty when none is...
    article_docs: tuple[tuple[str, ...], ...] = ()
    # ...and then the documents it may be in: of the kind named right before it (「意见里第四
    # 项」: the one 意见), or that have the named unit (序言); empty: any
    article_kinds: tuple[tuple[str, ...], ...] = ()
    # what the question asks about the articles it names, beyond what they say as a whole
    # (「支部工作条例第十条里头，社会组织中的党支部重点任务是啥」); empty when nothing narrower
    asked_within: str = ""

    @property
    def names_version(self) -> bool:
        return bool(self.years) or self.old_version or self.both_versions


def _doc_year(doc: Document) -> str:
    """The version's year: from the doc_id (fazhan-dangyuan-2014), else from its date."""
    m = _YEAR_RE.search(doc.doc_id) or _YEAR_RE.match(doc.date)
    return m.group(0) if m else ""


def find_mentions(question: str, documents: list[Document]) -> Mentions:
    """Documents named by alias (longest alias wins; versions chosen by year, else current).

    >>> from indexer.records import Document
    >>> docs = [Document("dangzhang-2022", "中国共产党章程", "党章", aliases=("党章",))]
    >>> find_mentions("党章第七条讲什么", docs).articles
    ('7',)
    >>> find_mentions("党章第三章讲的是什么", docs).sections, find_mentions("党章最后一条", docs).last_article
    ((3,), True)
    >>> find_mentions("第七条和党章第九条", docs).article_docs
    ((), ('dangzhang-2022',))
    """
    # only the year of a version names one: 「支委是2021年选的」 names none
    version_years = {_doc_year(d) for d in documents if d.supersedes or d.superseded_by}
    years = tuple(y for y in (m.group(0) for m in _YEAR_RE.finditer(question)) if y in version_years) + tuple(
        ("19" if int(m.group(1)) > 50 else "20") + m.group(1) for m in _SHORT_YEAR_RE.finditer(question))
    both_versions = bool(_BOTH_VERSIONS_RE.search(question))
    hits: dict[str, int] = {}
    for doc in documents:
        lengths = [len(a) for a in doc.aliases if a and a in question]
        if lengths:
            hits[doc.doc_id] = max(lengths)
    by_id = {d.doc_id: d for d in documents}
    versioned = any(by_id[d].supersedes or by_id[d].superseded_by for d in hits)
    old_version = not both_versions and bool(
        _OLD_VERSION_RE.search(question) or versioned and _OLD_LOOSELY_RE.search(question))
    named = [d for d in hits
             if both_versions or not _other_version_fits(by_id[d], hits, by_id, years, old_version)]
    named.sort(key=lambda d: -hits[d])
    aliases = tuple(a for d in named for a in by_id[d].aliases)
    # (article, the documents named right before it, the documents of the kind named), in order
    articles: dict[tuple[str, tuple[str, ...], tuple[str, ...]], None] = {}
    foreign: list[str] = []
    for m in ARTICLE_REF_RE.finditer(question):
        # "这一条", "三条要求" are not references; "党章7条" is
        if not m.group(0).startswith("第") and not question[:m.start()].rstrip().endswith(aliases or ("\0",)):
            continue
        try:
            number = article_id(m.group(1), m.group(3))
        except ValueError:
            continue
        before = _named_before(question, m.start(), named, by_id)
        kinds = () if before else _documents_of_kind(question[:m.start()], documents)
        if kinds is None:
            foreign.append(m.group(0))
            continue
        articles[(number, before, kinds)] = None
    sections = tuple(dict.fromkeys(chinese_to_int(m.group(1)) for m in SECTION_REF_RE.finditer(question)))
    whole = bool(sections) and _asks_only_about_the_reference(question, aliases)
    for unit, having in _named_units(question, documents, aliases).items():
        articles[(unit, tuple(d for d in named if d in having), having)] = None
    within = _narrower_part(ARTICLE_REF_RE.sub(" ", question), aliases) if articles else ""
    return Mentions(tuple(named), tuple(a for a, _, _ in articles), years, old_version,
                    both_versions, sections, whole, bool(_LAST_ARTICLE_RE.search(question)),
                    foreign=tuple(foreign), foreign_titles=_foreign_titles(question, documents),
                    article_docs=tuple(docs for _, docs, _ in articles),
                    article_kinds=tuple(kinds for *_, kinds in articles), asked_within=within)


def _foreign_titles(question: str, documents: list[Document]) -> tuple[str, ...]:
    """Titles in 《》 naming no document of the corpus, even loosely (《社团登记管理条例》 is
    ours), that no article cites either (the 意见 cites 《关于加强社会组织党的建设工作的意见(试行)》):
    「《中国共产党纪律处分条例》最新一次修订是哪一年」 asks about a document the corpus does not hold.

    >>> dz = Document("dz", "中国共产党章程", "党章", aliases=("党章",))
    >>> _foreign_titles("《中国共产党纪律处分条例》哪年修订的", [dz]), _foreign_titles("《党章》第七条", [dz])
    (('中国共产党纪律处分条例',), ())
    """
    if "《" not in question:
        return ()
    names = [n for d in documents for n in (d.title, d.short_title, *d.aliases) if n]
    foreign = []
    for title in (m.group(1) for m in _TITLE_RE.finditer(question)):
        words = [w for w in tokenize(title) if w.strip()]
        loosely_ours = bool(words) and max(
            (sum(w in n for w in words) / len(words) for n in names), default=0.0) >= 2 / 3
        if loosely_ours or any(title in n or n in title for n in names) or any(
                title in a.text for d in documents for a in d.articles):
            continue
        foreign.append(title)
    return tuple(foreign)


def without_names(question: str, documents: list[Document]) -> str:
    """`question` without the names of `documents`: 「北京27号文和支部工作条例各自怎么说」 asks
    nothing about 条例 or 号文 that an article or a sentence should hold, and 「党章对…有什么要求」
    is no question on the articles of other documents that cite the 党章.

    >>> dz = Document("dangzhang-2022", "中国共产党章程", "党章", aliases=("党章", "中国共产党章程"))
    >>> without_names("中国共产党章程对党员有什么要求", [dz])
    ' 对党员有什么要求'
    """
    for name in sorted((name for doc in documents for name in doc.aliases), key=len, reverse=True):
        question = question.replace(name, " ")
    return question


def _named_units(question: str, documents: list[Document],
                 names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Unnumbered units (党章's 总纲, a 序言) a question asks about as a whole (「党章总纲讲了
    什么」), each with the documents that have it; a narrower question about one is answered
    from its matching sentences instead.

    >>> from indexer.records import Article
    >>> dz = Document("dz", "中国共产党章程", "党章", aliases=("党章",),
    ...               articles=(Article("dz", "总纲", "总纲", (), "", "中国共产党是…", (0, 5), 1),))
    >>> _named_units("党章总纲讲了什么", [dz], ("党章",)), _named_units("总纲对党建有什么要求", [dz], ())
    ({'总纲': ('dz',)}, {})
    """
    having: dict[str, list[str]] = {}
    for doc in documents:
        for article in doc.articles:
            if not article.article_id[:1].isdigit() and article.article_id in question:
                having.setdefault(article.article_id, []).append(doc.doc_id)
    if not having or not _asks_only_about_the_reference(question, names + tuple(having)):
        return {}
    return {unit: tuple(docs) for unit, docs in having.items()}


def _documents_of_kind(before: str, documents: list[Document]) -> tuple[str, ...] | None:
    """The documents an article reference may be in, from the kind of document `before` (the
    text up to the reference) ends with: every one of that kind for a kind said on its own
    (「意见里第四项」, 「条例第5条」), those whose name also holds the characters before the
    kind for a loose name (「支部条例」), None for a name none of them has (「宪法第五条」),
    and () when `before` names no kind.

    >>> docs = [Document("a", "关于加强社会组织党建的实施意见", "实施意见"),
    ...         Document("b", "中国共产党支部工作条例", "支部工作条例"), Document("c", "慈善法", "慈善法")]
    >>> [_documents_of_kind(t, docs) for t in ("意见里", "条例", "支部条例", "宪法", "请问")]
    [('a',), ('b',), ('b',), None, ()]
    """
    before = before[:len(before) - len(_JOINER_RE.search(before).group())]
    standalone, loose = _KIND_RE.search(before), _LOOSE_NAME_RE.search(before)
    if not (standalone or loose):
        return ()
    kind = (standalone or loose).group(len((standalone or loose).groups()))
    of_kind = [d for d in documents
               if _PARENTHESES_RE.sub("", d.title).endswith(kind) or d.short_title.endswith(kind)]
    if standalone:
        return tuple(d.doc_id for d in of_kind)
    named = tuple(d.doc_id for d in of_kind
                  if any(loose.group(1) in name for name in (d.title, d.short_title, *d.aliases)))
    return named or None


def _named_before(question: str, position: int, named: list[str],
                  by_id: dict[str, Document]) -> tuple[str, ...]:
    """The named documents whose name ends right before the article reference at `position`
    (「党章第9条」), or each of a list of them (「党章和支部工作条例的第一条」)."""
    found: list[str] = []
    end = position - len(_JOINER_RE.search(question[:position]).group())
    while hit := _name_ending_at(question, end, named, by_id):
        start, docs = hit
        found += [d for d in docs if d not in found]
        if start == 0 or question[start - 1] not in _AND:
            break
        end = start - 1
    return tuple(d for d in named if d in found)


def _name_ending_at(question: str, end: int, named: list[str],
                    by_id: dict[str, Document]) -> tuple[int, list[str]] | None:
    """Where the longest name of a named document ending at `end` starts, and the documents
    it names (both versions of a document share names)."""
    lengths = {d: max((len(a) for a in by_id[d].aliases if a and question.endswith(a, 0, end)),
                      default=0) for d in named}
    longest = max(lengths.values(), default=0)
    if not longest:
        return None
    return end - longest, [d for d, n in lengths.items() if n == longest]


def _asks_only_about_the_reference(question: str, names: tuple[str, ...]) -> bool:
    """「党章第三章讲的是什么」 asks what the section says; 「党章第五章对社会组织党组织有什么要求」
    asks something narrower, answered by the section's matching article."""
    return not _narrower_part(SECTION_REF_RE.sub(" ", question), names)


def _narrower_part(rest: str, names: tuple[str, ...]) -> str:
    """What is left of a question without its references and document names, when it asks
    something (「…第十条里头，社会组织中的党支部重点任务是啥」); else "".

    >>> _narrower_part(" 讲的是什么", ("党章",)), _narrower_part("党章 那条停止党籍怎么规定", ("党章",))
    ('', '那条停止党籍怎么规定')
    """
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, " ")
    asks = [t for t in tokenize(rest) if t not in _ABOUT_WORDS and not t.isdigit()]
    return rest.strip() if asks else ""


def _other_version_fits(doc: Document, hits: dict[str, int], by_id: dict[str, Document],
                        years: tuple[str, ...], old_version: bool) -> bool:
    """True when `doc` is one version of a pair the question names, and the other fits better:
    the version whose year the question names, the earlier one when it asks for the old
    version, otherwise the current one."""
    other_id = doc.superseded_by or doc.supersedes
    if not other_id or other_id not in hits:
        return False
    other = by_id[other_id]
    if _doc_year(doc) in years:
        return False
    if _doc_year(other) in years:
        return True
    return doc.superseded != old_version
