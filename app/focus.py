"""What a question asks about, and whether the corpus ever names it.

A near-domain question (「党员组织关系介绍信的有效期是多少天」) shares most of its words with
some rule, so the dense and lexical evidence for that rule looks good. What gives it away is
the thing asked about: the noun next to the question word (有效期) appears nowhere in the
corpus. The answer step then asks for stronger evidence before answering.

    >>> focus = AskedFocus.from_texts(["党员组织关系介绍信由党组织开具。"])
    >>> focus.unnamed("党员组织关系介绍信的有效期是多少天")
    ['有效期']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

import jieba
import jieba.posseg  # noqa: F401  0.2 s to import: paid when loading, not by the first question

from indexer.tokenize import EVERYDAY_FREQ, pos_tokens, rule_words

# 几 asks only when it is no part of 好几/这几/十几/几十/几乎 (「好几家」 counts nothing). 多久
# asks how often something is done (「思想汇报多久交一次」): the thing it is asked of is a noun
# beside it, or the doer (「市县党委多久检查一次」), named as surely as any asked noun
_QUESTION_WORD_RE = re.compile(r"多少|(?<![好这那十])几(?![十乎])|什么|啥|哪|谁|怎么|怎样|如何|咋|吗"
                               r"|多久|多长时间|要不要|能不能|可不可以|是否|是不是|有没有|算不算"
                               r"|行不行|对不对|够不够")
_MANNER_WORDS = ("怎么", "怎样", "如何", "咋")
_LEVELS_RE = re.compile(r"[省市县区乡镇村]+")
# a one-character modifier leaves the thing named (老干部 are 干部, 原单位 a 单位)
_MODIFIERS = tuple("老新小大原前现副")
CLAUSE_RE = re.compile(r"[，,。？?！!；;、：:\s“”\"《》〈〉（）()【】]+")
_A_FEW_RE = re.compile(r"[有和了在从跟与同]几")
_WITHIN_RE = re.compile(r"几个?[\u4e00-\u9fff]{0,4}?(?:内|里|之间|期间)")
# …and a 几 opening a clause whose 的 follows a verb: a description (「几个人合伙办的民非」),
# not 「几个正式党员的单位」
_A_FEW_DOING_RE = re.compile(r"^几[^，,。；;？?\s的]*的")
# a clause with the punctuation that ends it
_PART_RE = re.compile(r"[^，,。？?！!；;\s]+[，,。？?！!；;\s]*")
# what may follow 几 inside the noun phrase it counts: measure words, nouns, adjectives, 的
_NOUN_PHRASE_FLAGS = ("m", "q", "n", "a", "uj")
# the level or kind that frames what is asked (市级协会, 地方性社团, 盈利性的生意) is never it
_FRAMING = ("级", "性", "型")
# 会 is left out: 会员, 会长, 会费 are nouns
_MODALS = "能可要该得应"
_MEASURED_BY = ("按", "按照", "依照", "根据")
_POINTING = tuple("一二两三四五六七八九十几这那每")
# what names a document of a place's own (「上海市…的实施意见」, 「广东省的文件」); not 规定,
# which is asked as a verb (「在天津的党员按规定要转关系吗」)
_DOCUMENT_WORD_RE = re.compile(r"文件|意见|条例|办法|政策|细则|通知")
# jieba tags 新旧 (of 「新旧细则」) a place too: a place here is one an ending says is one
_PLACE_ENDINGS = tuple("省市区县州")
# a modal after the few (「几个人可以成立支部」) asks how many suffice; 「几家商会联合筹办…」
# tells what a few do
_MODAL_WORDS = {"能", "能够", "可以", "可", "就", "才", "需要", "要", "得", "应", "应当", "应该",
                "该", "必须", "够"}
# 几 right after a yes-no question word is "several": 「能不能几家凑一块建个党组织」
_JI_RE = re.compile("几")
_YES_NO_FEW_RE = re.compile(r"(能不能|可不可以|能否|可否|是否|行不行)几(?=[个家名位])")
_SET_PHRASE_NOUNS = ("规定", "标准", "章程", "文件", "要求")
# 多少 before 有点/有些 is "somewhat" (「多少有点危险，要不要买保险」): it asks nothing
_SOMEWHAT_RE = re.compile(r"多少(?=有点|有些|带点|沾点)")
# nouns that name no thing a rule could lack: a count or a period (「有没有个数要求」,
# 「中间隔多久」) is what a question asking how many or how often asks; a way of doing (「有啥
# 合规的路子」, 「走什么渠道」) is asked for as an act is, and the rule states what is done (办法,
# 方法, 途径 are everyday words already); the versions told apart (新旧细则, 老版细则) are the
# documents' names
_NAMING_NOTHING = frozenset({"个数", "数目", "次数", "频次", "频率", "间隔", "周期", "时长",
                             "路子", "门道", "门路", "法子", "招数", "渠道",
                             "新旧", "新老", "新版", "老版", "旧版"})
# 社团 for 社会团体, 支委会 for 支部委员会: a spoken short form keeps its characters in order
_MAX_GAP = 2


def asked_nouns(question: str) -> list[str]:
    """The nouns right before and right after the question word of each clause, each with
    the compound it ends (办学许可证 is 办学 + 许可证).

    >>> asked_nouns("党旗的标准尺寸有哪几种规格")
    ['标准', '尺寸', '规格']
    """
    found: list[str] = []
    for clause in CLAUSE_RE.split(question):
        asked = _QUESTION_WORD_RE.search(clause)
        if not asked:
            continue
        words = pos_tokens(clause)
        nouns = [i for i, (word, flag, _) in enumerate(words) if _is_noun(word, flag)]
        before = [i for i in nouns if words[i][2] + len(words[i][0]) <= asked.start()]
        # what follows 怎么/如何 at once is done, whatever jieba tags it (「该怎么收场」)
        manner = asked.group() in _MANNER_WORDS
        after = [i for i in nouns if words[i][2] >= asked.end()
                 and not (manner and words[i][2] == asked.end())]
        for i in before[-1:] + after[:1]:
            j = i
            while j > 0 and _is_noun(*words[j - 1][:2]):
                j -= 1
            run = [w for w, _, _ in words[j:i + 1]]
            if j > 0 and words[j - 1][0] in _MEASURED_BY:
                # 「按党员人头给多少钱」: what a sum is counted by, not what is asked; but in
                # 「按照规定党费交多少」 the set phrase 按照规定 ends before the asked noun
                run = run[1:] if run[0] in _SET_PHRASE_NOUNS else []
            found += run
    return list(dict.fromkeys(found))


def _is_noun(word: str, flag: str) -> bool:
    # 「这两件事」, 「几件事」 point back at what was said; they name nothing a rule could lack;
    # nor do levels of government (市县党委: the rules write 市、县党委)
    return flag.startswith("n") and len(word) > 1 and not word.endswith(_FRAMING) \
        and not _modal_verb(word) and not word.startswith(_POINTING) \
        and not _LEVELS_RE.fullmatch(word)


@lru_cache(maxsize=4096)
def _verb_phrase(word: str) -> bool:
    """jieba tags some set verb + object phrases as nouns (「这样符合要求吗」: 符合要求): a
    compound of four or more characters ending in a verb states an act, it names no thing (a
    noun compound ends in the thing it names: 登记证书).

    >>> _verb_phrase("符合要求"), _verb_phrase("兴趣小组"), _verb_phrase("登记证书")
    (True, False, False)
    """
    if len(word) < 4:
        return False
    last = next((w for w in jieba.cut_for_search(word) if w != word and word.endswith(w)), "")
    return jieba.posseg.dt.word_tag_tab.get(last) == "v"


def _modal_verb(word: str) -> bool:
    """jieba tags some modal + verb pairs as nouns (「一届能干几年」: 能干): a modal followed
    by a one-character verb asks what may be done, it names no thing.

    >>> _modal_verb("能干"), _modal_verb("能力"), _modal_verb("要件")
    (True, False, False)
    """
    return len(word) == 2 and word[0] in _MODALS and jieba.posseg.dt.word_tag_tab.get(word[1]) == "v"


def asking_text(question: str) -> str:
    """The question without the clauses where 几 only means "a few": a clause whose one
    question word is a 几 after 有, 和, 在 (a place) or a verb's 了 whose noun phrase is
    followed by what is said of it (有几位老党员行动不便, 和几个业务骨干都还不是党员, 抽了几个
    党员组成专班), not ending in a question mark, before a clause that asks; or whose next
    clause says it (里面有几个党员，组织关系都没转过来); or a 几 opening a clause or following a
    noun, whose few do something (几家商会联合筹办展会, see `_few_doing`). A 几 right after a
    yes-no question word is read as 多 (能不能几家凑一块: several). 「支部委员会有几名委员，
    怎么选出来」 still asks how many.

    >>> asking_text("我们支部有几位老党员行动不便，学习教育能不能不作要求")
    '学习教育能不能不作要求'
    """
    parts = _PART_RE.findall(_YES_NO_FEW_RE.sub(r"\1多", _SOMEWHAT_RE.sub("", question)))
    return "".join(part for i, part in enumerate(parts) if not _tells_of_a_few(parts, i))


def unmeasured(text: str) -> str:
    """`text` without what a quantity is counted by: 「按党员人数算一年最低标准是多少」 asks a
    sum, not a head count; in 「按照规定党费交多少」 only the set phrase 按照规定 goes.

    >>> unmeasured("按党员人数算一年最低标准是多少")
    '算一年最低标准是多少'
    """
    words = pos_tokens(text)
    out, i = [], 0
    while i < len(words):
        word = words[i][0]
        if word in _MEASURED_BY:
            j = i + 1
            while j < len(words) and _is_noun(*words[j][:2]) and \
                    not (j > i + 1 and words[i + 1][0] in _SET_PHRASE_NOUNS):
                j += 1
            if j > i + 1:
                i = j
                continue
        out.append(word)
        i += 1
    return "".join(out)


def _tells_of_a_few(parts: list[str], i: int) -> bool:
    part, later = parts[i], parts[i + 1:]
    if part.rstrip().endswith(("？", "?")) or _QUESTION_WORD_RE.search(part.replace("几", "")) \
            or not any(_QUESTION_WORD_RE.search(p) for p in later):
        return False
    # what is said of the few may also come in the next clause, before the question
    # (「里面有几个党员，组织关系都没转过来，能成立临时党支部吗」)
    return _says_of_a_few(part) or bool(
        _A_FEW_RE.search(part) and not _QUESTION_WORD_RE.search(later[0]))


def _says_of_a_few(part: str) -> bool:
    """Whether the clause goes on after the noun phrase of its 有几/和几, or opens with a
    few who do something (几个人合伙办的…)."""
    doing = _A_FEW_DOING_RE.match(part)
    if doing:
        words = pos_tokens(doing.group()[:-1])
        return bool(words) and words[-1][1].startswith("v")
    found = _A_FEW_RE.search(part) or _few_doing(part)
    if not found:
        return False
    rest = CLAUSE_RE.split(part[found.end() - 1:])[0]
    words = list(pos_tokens(rest))
    while words and (words[0][1].startswith(_NOUN_PHRASE_FLAGS) or "几" in words[0][0]):
        words.pop(0)
    # 「在几个工作日内办完」 asks a period: 在 a few (「在几个区分别设分会」) is a place
    return bool(words) and not (found.group().startswith("在") and _WITHIN_RE.match(rest))


def _few_doing(part: str) -> re.Match | None:
    """A 几 opening the clause or after a noun (「几家商会联合筹办展会」, 「在朝阳、海淀几个区
    分别成立分会」) whose noun phrase is followed by what the few do without a modal; not a 几
    after a verb (「一年开几次会」), which asks."""
    words = pos_tokens(part)
    for k, (word, _, start) in enumerate(words):
        if not word.startswith("几") or (k and not words[k - 1][1].startswith(("n", "r", "x"))):
            continue
        rest = words[k + 1:]
        if not any(w in _MODAL_WORDS for w, _, _ in rest):
            return _JI_RE.match(part, start)
    return None


@lru_cache(maxsize=4096)
def short_form_re(term: str) -> re.Pattern:
    """Finds `term` or a wording it is a spoken short form of, within one line: 支委会 in
    「党支部委员会会议」 (clauses are to be put on lines of their own)."""
    return re.compile(f"[^\n]{{0,{_MAX_GAP}}}".join(map(re.escape, term)))


class AskedFocus:
    """The corpus's wording, to tell whether it names what a question asks about."""

    def __init__(self, text: str):
        # one clause per line: a short form is matched within a clause, never across
        self._text = CLAUSE_RE.sub("\n", text)
        self.named = lru_cache(maxsize=4096)(self._named)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "AskedFocus":
        return cls("\n".join(texts))

    def _named(self, term: str) -> bool:
        return short_form_re(term).search(self._text) is not None

    def unnamed(self, question: str) -> list[str]:
        """The asked nouns that are no everyday word and that the corpus never names, itself
        or by the rules' word for it (分会: 分支机构, rule_terms.txt). A clause that only
        tells of a few people asks nothing (see `asking_text`)."""
        jieba.dt.check_initialized()
        return [noun for noun in map(_unbounded, asked_nouns(asking_text(question)))
                if jieba.dt.FREQ.get(noun, 0) < EVERYDAY_FREQ and noun not in _NAMING_NOTHING
                and not _verb_phrase(noun) and not self.named(noun)
                and not any(self.named(word) for word in rule_words(noun))
                and not (len(noun) > 2 and noun.startswith(_MODIFIERS) and self.named(noun[1:]))]

    def elsewhere(self, question: str) -> list[str]:
        """Places the corpus never names whose own documents a clause asks about
        (「上海市对社会组织党建有没有类似的实施意见」): what another city rules, no article here
        says. A place the asker is only in (「我们在天津，组织关系转到北京要什么手续」) is no
        such question.

        >>> AskedFocus("北京市委办公厅印发的实施意见").elsewhere("广东省的党建文件怎么说")
        ['广东省']
        >>> AskedFocus("北京市委办公厅印发的实施意见").elsewhere("我们在天津，组织关系要转吗")
        []
        """
        return [word for clause in CLAUSE_RE.split(question) if _DOCUMENT_WORD_RE.search(clause)
                for word, flag, _ in pos_tokens(clause)
                if flag == "ns" and word.endswith(_PLACE_ENDINGS) and not self.named(word)]


def _unbounded(noun: str) -> str:
    """The thing a bound is asked of: 「最低标准」 asks the 标准 a rule states as 「不低于」."""
    return noun[2:] if noun.startswith("最") and len(noun) > 3 else noun
