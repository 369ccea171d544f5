"""Decisive spans of a sentence: what a quiz question may blank out or swap.

A span is worth asking about when the sentence's rule depends on it: who is responsible
(a body or a role), how many / how long / how much (a number with its unit), which named
mechanism or principle applies. Spans come from patterns (numbers, quoted terms, principle
lists) and from jieba part-of-speech runs that end in a body/role/… head word; their weight
mixes the kind with the TF-IDF weight of their words in the corpus, so that the document's
ubiquitous subject (社会组织党组织) ranks below rarer, decisive words. Function words can
never become spans: only noun runs, numbers and lexicon terms are considered.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable

from indexer.numerals import CHINESE_NUMERAL_CHARS, chinese_to_int, int_to_chinese
from indexer.tokenize import STOPWORDS, dictionary_terms, pos_tokens

# -- kinds --------------------------------------------------------------------------------

NUMBER, BODY, ROLE, FUND, SYSTEM, PLACE, MECHANISM, PRINCIPLE, TERM = (
    "number", "body", "role", "fund", "system", "place", "mechanism", "principle", "term")

# Base weight of each kind: numbers and named mechanisms are what trainers test first.
KIND_WEIGHT = {NUMBER: 3.0, PRINCIPLE: 2.6, MECHANISM: 2.5, BODY: 2.2, ROLE: 2.0,
               FUND: 1.8, SYSTEM: 1.5, PLACE: 1.4, TERM: 1.0}

# Kinds whose members can stand in for one another as distractors / false statements.
SWAPPABLE = frozenset({NUMBER, PRINCIPLE, MECHANISM, BODY, ROLE, FUND, SYSTEM, PLACE})

# Head words (last token of a noun run) that make the run a body, a role, …; kinds are
# tried in this order, so 代表大会 is a body and 党组织书记 a role.
HEADS: dict[str, tuple[str, ...]] = {
    BODY: ("基层党组织", "党组织", "党的组织", "党工委", "党委", "党组", "党支部", "党总支", "总支",
           "支部", "党小组", "纪委", "委员会", "代表大会", "党员大会", "大会", "理事会", "监事会",
           "工委", "部门", "单位", "机关", "政府", "国务院", "民政部", "组织部", "法院", "检察院",
           "社区", "街道", "乡镇", "村", "商会", "协会", "工会", "共青团", "妇联", "机构"),
    ROLE: ("副书记", "书记", "委员", "正式党员", "预备党员", "流动党员", "积极分子", "发展对象",
           "介绍人", "联系人", "负责人", "指导员", "工作者", "代表", "理事长", "秘书长", "理事",
           "监事", "会长", "受托人", "志愿者", "申请人", "捐赠人", "受益人", "法定代表人"),
    FUND: ("党费", "经费", "费用", "资金", "财产", "资产", "津贴", "注册资金", "开办资金"),
    SYSTEM: ("责任制", "制度", "机制"),
    PLACE: ("场所", "阵地", "基地", "服务中心", "工作站"),
}

# Curated terms of art that are not always quoted in the corpus; quoted terms are added per corpus.
MECHANISM_TERMS = frozenset({
    "三会一课", "双向进入", "交叉任职", "应建尽建", "脱钩不脱管", "三级联创", "区域化党建",
    "主题党日", "民主评议党员", "组织生活会", "民主生活会", "谈心谈话", "两学一做", "两个覆盖",
    "党性分析", "述职评议", "一方隶属", "政治审查", "公开募捐", "定向募捐", "慈善信托",
    "年度检查", "预备期", "入党宣誓", "党员亮身份", "公开承诺践诺"})

# The project's own dictionary of terms of art (indexer/userdict.txt).
DOMAIN_TERMS = frozenset(dictionary_terms())

# Bodies that only name a level or a genus: as an answer they admit no same-domain
# distractor (上级党委 *is* a 上级党组织), as a distractor they could be read as correct.
_GENERIC_BODY_RE = re.compile(
    r"^(?:上级|基层|各级|本级|所在|同级|有关|相关|其他|行政|国家|党政|政府|地方|政府有关|国家工作)?"
    r"(?:党组织|党的组织|组织|部门|单位|机关|机构|党委)$")
# Stages of joining the Party: good distractors for one another, but beside other roles
# they blur (发展入党积极分子为党员 is the very procedure).
_PIPELINE_ROLES = ("入党申请人", "入党积极分子", "积极分子", "发展对象", "预备党员", "正式党员")
_GENERIC = frozenset({"党员", "群众", "干部", "人员", "工作人员", "组织", "单位", "部门", "机关",
                      "机构", "代表", "委员", "社会组织", "党组织", "负责人", "社区", "村", "委员会",
                      "政府", "乡村", "党建工作", "党建", "总书记", "领导人", "党的领导人",
                      "主要代表", "财产", "资产"})

# Heads naming a genus of people and the heads of its species: 党组织书记 is a 党务工作者.
HYPONYM_HEADS: dict[str, tuple[str, ...]] = {
    "党务工作者": ("书记", "副书记", "委员", "党务干部", "指导员"),
    "党务干部": ("书记", "副书记", "委员", "党务工作者"),
    "党员": ("正式党员", "预备党员", "流动党员", "党员干部"),
    "负责人": ("理事长", "会长", "秘书长", "法定代表人", "书记", "主任"),
    "代表": ("党代会代表", "人大代表", "代表大会代表"),
    "理事": ("理事长", "常务理事"),
}
# Kinds of social organisation: lists of them are definitions, not rules with an agent.
ORG_TYPES = ("社会团体", "民办非企业单位", "基金会", "社会服务机构", "慈善组织", "社会中介组织",
             "行业协会商会", "行业协会", "商会")
_PARTY_HEADS = ("党委", "党组", "党支部", "支部", "总支", "党组织", "党小组")

# Words treated as synonyms in the corpus: a distractor that is a synonym of something in the
# sentence would also be correct.
SYNONYMS: tuple[frozenset[str], ...] = tuple(frozenset(g) for g in (
    {"登记管理机关", "登记管理部门", "登记机关", "民政部门"},
    {"业务主管单位", "业务主管部门"},
    {"党组织", "党的组织", "党的基层组织", "基层党组织"},
    {"党委", "党的委员会"}, {"支部", "党支部"}, {"总支", "党总支"},
    {"社会工委", "社会工作委员会"},
    {"支部委员会", "党支部委员会", "支委会"},
    {"党员大会", "支部党员大会", "党支部党员大会"},
    {"民办非企业单位", "社会服务机构"},
    {"政府", "人民政府", "行政机关"},
    {"妇联", "妇女组织", "妇女联合会"}, {"共青团", "共青团组织", "青年团"}, {"工会", "工会组织"},
))

# Leading tokens of a noun run that are determiners, prepositions or levels, not names.
_LEAD_DROP = frozenset({"经", "由", "对", "向", "在", "有关", "其他", "各", "各级", "各类", "本", "该",
                        "原", "下届", "上届", "本届", "新", "新任", "原所在", "非法",
                        "其", "所", "相关", "上述", "全体", "所在", "所属", "广大", "全部", "每个",
                        "一些", "有", "凡", "以", "和", "及"})
# Verbs that act as modifiers inside organisation names (组织部门, 登记管理机关).
_MODIFIER_VERBS = frozenset({"组织", "登记", "管理", "主管", "监督", "业务", "宣传",
                             "统战", "检查", "评估", "服务", "民政", "纪律检查"})
# jieba tags some verbs and verb phrases as nouns (充分发挥/n, 选派/n); they never start a name.
_VERB_LEADS = frozenset({"充分发挥", "发挥", "努力实现", "实现", "选派", "指导", "领导", "推动",
                         "加强", "支持", "帮助", "引导", "督促", "鼓励", "依托", "通过", "组建",
                         "建立", "成立", "设立", "整合", "征求", "报告", "提请", "配备", "推荐"})
# Verbs after a head that do not make it a modifier (业务主管单位党组织领导和管理).
_TRAILING_VERBS = frozenset({"领导", "管理", "批准", "审批", "兜底", "牵头", "决定", "指导", "负责",
                             "审查", "备案", "监督", "登记", "列支", "全额", "下拨"})
# Verb-led phrases jieba tags as nouns (积极探索/n); as 填空 answers they test nothing.
_VERBISH_PREFIXES = ("充分", "积极", "不断", "加强", "开展", "创造", "符合", "具备", "追究", "教育",
                     "研究", "发挥", "努力", "推动", "提高", "深入", "切实", "认真", "加快", "进一步")
_PLACE_CHARS = frozenset("村区县市省镇乡")
# Verbs the dictionary tags as nouns (or that glue two names together): never inside a name.
_VERB_TOKENS = frozenset({"报", "报经", "报请", "审批", "办理", "会同", "指派", "利用", "培养教育",
                          "产生", "规范", "指", "记录", "处分", "行使", "委托", "内向", "派出", "召集",
                          "主持", "撤销", "选举", "设立", "成立", "向", "经", "由", "所在", "接受",
                          "提交", "批准", "任命", "聘任", "选派", "推荐", "组建", "领导", "指导",
                          "报告", "申请", "提出", "作出"})
_INSTITUTION_HEADS = ("机关", "部门", "单位", "机构", "委员", "管理机关", "管理部门")
# Two-character names precise enough to ask about.
_SHORT_NAMES = frozenset({"党委", "党组", "总支", "支部", "纪委", "工会", "妇联", "党费",
                          "津贴", "委员", "理事", "监事", "会长", "书记", "工委"})
_NOUNISH = ("n", "nr", "ns", "nt", "nz", "ng", "nrt", "nrfg", "j", "b", "vn")
_CJK_RE = re.compile(r"^[\u4e00-\u9fff]+$")
_JOINERS = frozenset({"、", "和", "及", "以及", "或", "或者", "与"})
_AGENT_BEFORE = ("由", "经", "报", "向", "报经", "报请", "提请")
_AGENT_AFTER = ("批准", "审批", "负责", "领导", "备案", "决定", "指定", "兜底", "审查", "讨论")

# -- numbers ------------------------------------------------------------------------------

_CN = CHINESE_NUMERAL_CHARS
_N = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"
_UNITS = {  # printed unit -> unit class; the printed unit is kept when rendering distractors
    "个工作日": "workday", "工作日": "workday", "个月": "month", "个学时": "hour", "学时": "hour",
    "小时": "clock", "周岁": "age", "岁": "age", "周年": "year", "年": "year", "万元": "wan",
    "亿元": "yi", "元": "yuan", "名": "person", "人": "person", "日": "day", "天": "day",
    "项": "item", "次": "times", "倍": "fold", "个": "count", "%": "percent"}
_UNIT_ALT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
NUMBER_RE = re.compile(
    rf"(?P<pct>百分之[{_CN}]+)"
    rf"|(?P<frac>[一二三四五六七八九十]+分之[一二三四五六七八九十]+)"
    rf"|(?P<n1>{_N})(?:(?P<dash>[—\-－～~至到])(?P<n2>{_N}))?(?P<unit>{_UNIT_ALT})")
_SINGULAR_UNITS = frozenset({"person", "count", "item", "fold"})
# 2 is written 两 before these (两名, 两年), 二 elsewhere (二分之一)
LIANG_UNITS = frozenset({"名", "人", "个", "年", "个月", "次", "项", "倍", "天"})

_QUOTED_RE = re.compile(r"“([^“”]{1,30})”")
_TITLE_RE = re.compile(r"《[^《》]*》")  # titles of laws and forms are not quiz material
_PRINCIPLE_RE = re.compile(
    r"(?:按照|本着|坚持|遵循|贯彻|实行)((?:[\u4e00-\u9fff]{2,6}、){2,7}[\u4e00-\u9fff]{2,6})"
    r"的(?:原则|方针|要求|思路|标准)")


@dataclass(frozen=True)
class Span:
    """A decisive piece of a sentence; `text` is verbatim at `start` in the sentence."""

    text: str
    kind: str
    start: int
    weight: float
    unit: str = ""                      # numbers: unit class ("person", "day", …)
    value: tuple[float, ...] = ()       # numbers: value(s), so 三名 and 3人 compare equal
    items: tuple[str, ...] = ()         # enumerations: the members, for 多选

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def group(self) -> tuple[str, str]:
        """Spans of one group can replace each other (numbers only within one unit class)."""
        return (self.kind, self.unit)


# -- numerals -----------------------------------------------------------------------------

def numeral_value(text: str) -> float:
    """三 -> 3, 二〇三五 -> 2035 (digit by digit), 60 -> 60, 2.5 -> 2.5."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if all(ch in "零〇一二两三四五六七八九" for ch in text) and len(text) > 1:
        return float("".join(str(chinese_to_int(ch)) for ch in text))
    return float(chinese_to_int(text))


def render_number(value: float, like: str) -> str:
    """`value` written in the style of the numeral `like` (Chinese or Arabic)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", like):
        return str(int(value)) if value == int(value) else str(value)
    return int_to_chinese(int(value))


def _number_span(m: re.Match, text: str) -> Span | None:
    before = text[max(0, m.start() - 1):m.start()]
    after = text[m.end():m.end() + 1]
    if before and (before in "第每周" or before.isdigit() or before in _CN):
        return None  # ordinals (第三项), partial matches, 每一名
    if m.group("pct"):
        return Span(m.group(0), NUMBER, m.start(), KIND_WEIGHT[NUMBER], "percent",
                    (float(chinese_to_int(m.group("pct")[3:])),))
    if m.group("frac"):
        den, num = m.group("frac").split("分之")
        return Span(m.group(0), NUMBER, m.start(), KIND_WEIGHT[NUMBER], "fraction",
                    (chinese_to_int(num) / chinese_to_int(den),))
    unit = _UNITS[m.group("unit")]
    try:
        values = tuple(numeral_value(g) for g in (m.group("n1"), m.group("n2")) if g)
    except ValueError:
        return None
    if unit == "year" and (values[0] >= 1000 or m.group(0) in ("百年", "千年")):
        return None  # a calendar year, 百年奋斗目标
    if unit == "day" and before == "月":
        return None  # a date
    if unit == "day" and re.match(r"\d", m.group("n1")) and "月" in text[max(0, m.start() - 3):m.start()]:
        return None
    if unit in _SINGULAR_UNITS and values == (1.0,):
        return None  # 一个, 一名: an article, not a quantity
    if after in "性批方" and after:
        return None  # 一次性, 一批
    return Span(m.group(0), NUMBER, m.start(), KIND_WEIGHT[NUMBER], unit, values)


def number_spans(text: str) -> list[Span]:
    """Quantities with their unit: 三名, 60日, 1—2项, 200元, 三分之二, 百分之七十.

    >>> [s.text for s in number_spans("凡有三名以上正式党员的，每年抓好1—2项，不低于200元。")]
    ['三名', '1—2项', '200元']
    """
    quoted = [(m.start(), m.end()) for m in _QUOTED_RE.finditer(text)]
    out = []
    for m in NUMBER_RE.finditer(text):
        if any(a <= m.start() < b for a, b in quoted):
            continue  # “三会一课”, “四个意识”: names, not quantities
        span = _number_span(m, text)
        if span:
            out.append(span)
    return out


# -- quoted terms and principles ----------------------------------------------------------

def _is_term(text: str) -> bool:
    # two characters only for curated terms: quoted “中国”, “七一” are names, not mechanisms
    return bool(re.fullmatch(r"[\u4e00-\u9fff0-9+＋]{3,10}", text)) or text in MECHANISM_TERMS


def quoted_spans(text: str) -> list[Span]:
    """“三会一课” (a mechanism) and “分级负责、分类管理、…” (a principle list with members)."""
    out = []
    for m in _QUOTED_RE.finditer(text):
        inner, start = m.group(1), m.start(1)
        parts = inner.split("、")
        if len(parts) >= 2 and all(re.fullmatch(r"[\u4e00-\u9fff0-9+＋]{2,8}", p) for p in parts):
            out.append(Span(inner, PRINCIPLE, start, KIND_WEIGHT[PRINCIPLE], items=tuple(parts)))
            offset = start
            for part in parts:
                out.append(Span(part, PRINCIPLE, offset, KIND_WEIGHT[PRINCIPLE] * 0.9))
                offset += len(part) + 1
        elif _is_term(inner):
            out.append(Span(inner, MECHANISM, start, KIND_WEIGHT[MECHANISM]))
    return out


def principle_spans(text: str) -> list[Span]:
    """Unquoted principle lists: 按照地域相邻、行业相近、规模适当、便于管理的原则."""
    out = []
    for m in _PRINCIPLE_RE.finditer(text):
        inner, start = m.group(1), m.start(1)
        parts = inner.split("、")
        if max(map(len, parts)) - min(map(len, parts)) > 1:
            continue  # members of a principle list are parallel phrases
        out.append(Span(inner, PRINCIPLE, start, KIND_WEIGHT[PRINCIPLE], items=tuple(parts)))
        offset = start
        for part in parts:
            out.append(Span(part, PRINCIPLE, offset, KIND_WEIGHT[PRINCIPLE] * 0.9))
            offset += len(part) + 1
    return out


def lexicon_spans(text: str, terms: Iterable[str]) -> list[Span]:
    """Known terms of art wherever they occur (quoted or not)."""
    out = []
    for term in terms:
        start = text.find(term)
        while start >= 0:
            out.append(Span(term, MECHANISM, start, KIND_WEIGHT[MECHANISM]))
            start = text.find(term, start + 1)
    return out


# -- noun runs (bodies, roles, …) ----------------------------------------------------------

def _nounish(word: str, flag: str) -> bool:
    if word in STOPWORDS and word not in ("本", "有关"):
        return False
    if flag.startswith(_NOUNISH) or word in _MODIFIER_VERBS or word in _PLACE_CHARS:
        return True
    return flag == "x" and bool(_CJK_RE.match(word))


def head_kind(text: str) -> str | None:
    for kind, heads in HEADS.items():
        if text.endswith(heads):
            return kind
    return None


def _runs(tokens: tuple[tuple[str, str, int], ...]) -> list[list[tuple[str, str, int]]]:
    """Maximal runs of noun-like tokens. Verbs jieba tags as nouns (报/n, 行使/n) break a
    run, except as modifiers right before an institutional head (审批机关, 组织部门)."""
    runs, current = [], []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if tok[0] in _VERB_TOKENS or tok[0] in _MODIFIER_VERBS:
            keep = nxt.startswith(_INSTITUTION_HEADS) or nxt in _MODIFIER_VERBS
        elif tok[0] == "代表" and i + 1 < len(tokens):
            # 党员个人代表党组织: a verb before a body; 代表会议代表, 代表机关: a noun
            keep = head_kind(nxt) != BODY or nxt.startswith(_INSTITUTION_HEADS)
        else:
            keep = _nounish(tok[0], tok[1])
        if keep:
            current.append(tok)
        else:
            if current:
                runs.append(current)
            current = []
    return runs + [current] if current else runs


def _trim_run(run: list[tuple[str, str, int]]) -> tuple[str, int, str] | None:
    """The part of a noun run naming a body/role/…: up to its last head word, without
    leading determiners, at most 4 tokens."""
    last = max((i for i, tok in enumerate(run) if head_kind(tok[0])), default=None)
    if last is None or any(tok[0] not in _TRAILING_VERBS for tok in run[last + 1:]):
        return None  # 城乡社区社会组织: 社区 is a modifier there, not the head
    run = run[:last + 1]
    while run and _drop_lead(run):
        run = run[1:]
    if not run or len(run) > 4:
        return None  # cutting a long run leaves a fragment (负责人教育培训制度)
    text = "".join(tok[0] for tok in run)
    kind = head_kind(text)
    if kind is None or text in _GENERIC or "总书记" in text:
        return None
    if len(text) < 3 and text not in _SHORT_NAMES or text.endswith("乡村"):
        return None  # 乡村, 政府, 美丽乡村: not bodies, or too vague to test
    if kind == SYSTEM and len(text) > 7:
        return None
    return text, run[0][2], kind


def _drop_lead(run: list[tuple[str, str, int]]) -> bool:
    word, flag, _ = run[0]
    if word in _LEAD_DROP or word in _VERB_LEADS or flag in ("nr", "nrfg", "l", "i"):
        return True
    if len(run) > 1 and flag == "vn" and word not in _MODIFIER_VERBS:
        return True
    if len(run) > 1 and word in _MODIFIER_VERBS and not (
            head_kind(run[1][0]) or run[1][0] in _MODIFIER_VERBS):
        return True  # 宣传社会组织党组织: 宣传 is the verb here, not 宣传部门
    # 本单位工会: after a determiner, 单位/部门 only say "the unit's"
    return len(run) > 1 and word in ("单位", "部门", "地区")


def run_spans(text: str, idf: dict[str, float]) -> list[Span]:
    """Bodies, roles, funds, systems and places: noun runs ending in a head word, plus
    enumerations of them (组织部门、社会工委、民政部门) as one span with members."""
    tokens = pos_tokens(text)
    spans = []
    for run in _runs(tokens):
        trimmed = _trim_run(run)
        if trimmed:
            piece, start, kind = trimmed
            spans.append(Span(piece, kind, start, _noun_weight(piece, kind, text, start, idf)))
    return spans + _enumerations(text, spans)


def _noun_weight(piece: str, kind: str, text: str, start: int, idf: dict[str, float]) -> float:
    weight = KIND_WEIGHT[kind] * (0.5 + 0.5 * term_idf(piece, idf))
    before, after = text[:start], text[start + len(piece):]
    if before.endswith(_AGENT_BEFORE) or after.startswith(_AGENT_AFTER):
        weight *= 1.25  # the agent of a decision: the decisive part of the rule
    if kind == BODY and _GENERIC_BODY_RE.match(piece):
        weight *= 0.4
    if len(piece) > 10:
        weight *= 0.6
    return weight


def _enumerations(text: str, spans: list[Span]) -> list[Span]:
    out = []
    spans = sorted(spans, key=lambda s: s.start)
    i = 0
    while i < len(spans):
        j = i
        while (j + 1 < len(spans) and spans[j + 1].kind == spans[i].kind
               and text[spans[j].end:spans[j + 1].start] in _JOINERS):
            j += 1
        if j > i:
            members = spans[i:j + 1]
            whole = text[members[0].start:members[-1].end]
            weight = max(s.weight for s in members) * 1.05
            out.append(Span(whole, members[0].kind, members[0].start, weight,
                            items=tuple(s.text for s in members)))
        i = j + 1
    return out


def term_idf(piece: str, idf: dict[str, float]) -> float:
    """Mean normalised IDF of the words of `piece` (1.0 = rarest in the corpus)."""
    if not idf:
        return 0.5
    words = [w for w, _, _ in pos_tokens(piece)]
    return sum(idf.get(w, 1.0) for w in words) / len(words) if words else 0.0


def term_spans(text: str, idf: dict[str, float], taken: list[Span]) -> list[Span]:
    """Rare nouns not covered by another span: blanks for 填空 only (no distractor kind)."""
    out = []
    for word, flag, start in pos_tokens(text):
        known = word in DOMAIN_TERMS
        if word in _GENERIC or word in STOPWORDS or not _CJK_RE.match(word):
            continue
        if not known and not (len(word) >= 3 and flag in ("n", "nz")):
            continue  # short or unusual words are too often segmentation debris (出面)
        if word.startswith(_VERBISH_PREFIXES) or word.endswith(("于", "着", "了")):
            continue  # 致力于: a verb, whatever the tag says
        if any(s.start <= start < s.end or start <= s.start < start + len(word) for s in taken):
            continue
        score = term_idf(word, idf)
        if score >= 0.6:
            out.append(Span(word, TERM, start, KIND_WEIGHT[TERM] * score))
    return out


# -- all spans of a sentence --------------------------------------------------------------

def sentence_spans(text: str, idf: dict[str, float], terms: frozenset[str] = MECHANISM_TERMS,
                   ) -> list[Span]:
    """Every candidate span of `text`, best first; overlapping spans of different kinds are
    all kept (a question uses one at a time)."""
    found = number_spans(text) + quoted_spans(text) + principle_spans(text)
    found += [s for s in lexicon_spans(text, terms)
              if not any(o.start <= s.start and s.end <= o.end for o in found)]
    found += [s for s in run_spans(text, idf) if not _inside_quote(text, s)]
    found += term_spans(text, idf, found)
    titles = [(m.start(), m.end()) for m in _TITLE_RE.finditer(text)]
    found = [s for s in found if not any(a <= s.start < b for a, b in titles)]
    unique = {(s.start, s.text, s.kind): s for s in found}
    return sorted(unique.values(), key=lambda s: (-s.weight, s.start, s.text))


def _inside_quote(text: str, span: Span) -> bool:
    return any(m.start() < span.start < m.end() for m in _QUOTED_RE.finditer(text))


def compute_idf(texts: Iterable[str]) -> dict[str, float]:
    """Smoothed IDF of every word over the given sentences, scaled to 0–1."""
    df: dict[str, int] = {}
    n = 0
    for text in texts:
        n += 1
        for word in {w for w, _, _ in pos_tokens(text)}:
            df[word] = df.get(word, 0) + 1
    raw = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    top = max(raw.values(), default=1.0) or 1.0
    return {w: v / top for w, v in raw.items()}  # normalised: the rarest word scores 1.0


def quoted_terms(texts: Iterable[str]) -> frozenset[str]:
    """Terms of art the corpus itself puts in quotes (“枢纽型”, “3+1”)."""
    return frozenset(m.group(1) for t in texts for m in _QUOTED_RE.finditer(t)
                     if _is_term(m.group(1)) and "、" not in m.group(1))


# -- when a candidate would also be correct -----------------------------------------------

def synonyms_of(text: str) -> frozenset[str]:
    return frozenset().union(*(g for g in SYNONYMS if text in g)) - {text}


def also_correct(candidate: str, sentence: str, kind: str = "", unit: str = "",
                 value: tuple[float, ...] = ()) -> bool:
    """Would `candidate` be a right answer for `sentence` too? True when it occurs in the
    sentence, a synonym of it does, or (numbers) the sentence states the same quantity in
    another notation (3人 / 三名)."""
    if not candidate or candidate in sentence:
        return True
    if any(s in sentence for s in synonyms_of(candidate)):
        return True
    if kind == NUMBER or NUMBER_RE.fullmatch(candidate):
        cand = value or _value_of(candidate)
        return any(s.value == cand and (s.unit == unit or not unit) for s in number_spans(sentence))
    return False


def _value_of(text: str) -> tuple[float, ...]:
    spans = number_spans(text)
    return spans[0].value if spans else ()


_BOTH_DOMAINS = frozenset({"党委政府", "党政机关", "党和国家机关", "党和政府", "党政部门"})


def spans_both_domains(text: str) -> bool:
    """党委政府, 党政机关: a genus of party and state bodies alike."""
    return text in _BOTH_DOMAINS


def is_generic_body(text: str) -> bool:
    """A genus rather than a particular body: 上级党组织, 社会组织党组织, 有关部门."""
    return bool(_GENERIC_BODY_RE.match(text)) or text.endswith(("党组织", "党的组织"))


_INSTITUTION_TAILS = ("部门", "机构", "机关", "单位")


def name_conflict(candidate: str, answer: str, sentence: str) -> bool:
    """Names that could denote what the sentence names: 民政部门 when the sentence lists 民政,
    组织机构 beside 组织部门, 党组织书记 beside 专职副书记 (both 书记)."""
    tail = next((t for t in _INSTITUTION_TAILS if candidate.endswith(t)), None)
    if tail and len(candidate) - len(tail) >= 2 and candidate[:-len(tail)] in sentence:
        return True
    if candidate.endswith(_INSTITUTION_TAILS) and re.search(
            r"(?:有关|其他|相关)[\u4e00-\u9fff]{0,4}(?:部门|机关|单位|机构)", sentence):
        return True  # 民政、司法…等有关部门 covers 行政机关 too
    if any(candidate[i:] in sentence for i in range(1, len(candidate) - 2)
           if head_kind(candidate[i:])):
        return True  # 同级业务主管单位 when the sentence names 业务主管单位
    if tail and answer.endswith(_INSTITUTION_TAILS) and candidate[:2] == answer[:2]:
        return True
    for head in ("书记", "委员", "代表", "理事", "监事", "负责人"):
        if candidate.endswith(head) and answer.endswith(head):
            return True
    if (is_generic_body(answer) or is_generic_body(candidate)) \
            and candidate.endswith(_INSTITUTION_TAILS) and candidate[-2:] == answer[-2:]:
        return True  # 审批机关 is a 行政机关, either way round
    return candidate.endswith(_PIPELINE_ROLES) != answer.endswith(_PIPELINE_ROLES)


# Siblings: after “工会、共青团等组织” another mass organisation is arguably meant too.
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("工会", "共青团", "妇联", "妇女组织", "团委", "群团"),
    ("党委", "党组", "总支", "支部", "党小组", "党支部", "党总支"),
    ("中心", "工作站", "基地", "阵地", "站", "场所", "平台"),
    ("社会团体", "民办非企业单位", "基金会", "社会服务机构", "慈善组织", "社会中介组织",
     "行业协会商会", "行业协会", "商会", "社会组织"),
)


def same_family(a: str, b: str) -> bool:
    return any(a.endswith(family) and b.endswith(family) for family in FAMILIES)


def genus_conflict(a: str, b: str) -> bool:
    """One names a genus the other belongs to (党务工作者 / 党组织书记), or both are party
    bodies of the same kind (党委政府 / 省级党委): either could be read as correct."""
    for x, y in ((a, b), (b, a)):
        for genus, species in HYPONYM_HEADS.items():
            if x.endswith(genus) and y.endswith(species):
                return True
        head = next((h for h in _PARTY_HEADS if y.endswith(h)), None)
        if head and head in x:
            return True
    return False


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def near_duplicate(a: str, b: str) -> bool:
    """Same thing in other words: one inside the other (党委 / 上级党委), one a subsequence
    of the other (党群服务中心 / 党群活动服务中心), or mostly the same characters."""
    if a == b or a in b or b in a:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and _subsequence(short, long):
        return True
    common = sum(min(short.count(ch), long.count(ch)) for ch in set(short))
    return len(short) >= 3 and common / len(short) >= 0.75


_PARTY_MARKS = ("党", "支部", "总支", "纪委", "纪律检查", "组织部", "工委", "基层委员会",
                "中央委员会", "常务委员会", "中央政治局")


def is_party_body(text: str) -> bool:
    return any(mark in text for mark in _PARTY_MARKS)
