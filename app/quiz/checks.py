"""Automatic quality checks on questions in their JSON shape.

Each function returns a list of problems (empty = fine), in Chinese, so the same checks can
drop bad questions during generation, guard the tests and vet an imported question bank.
"""

from __future__ import annotations

import re
from typing import Iterable

from app.quiz.generate import CHOICE_BLANK, CLOZE_BLANK, ELLIPSIS, LETTERS, QUESTION_TYPES, Quiz
from app.quiz.spans import also_correct

_INTRO_RE = re.compile(r"^根据《[^》]+》，")
_CITATION_RE = re.compile(r"〔《[^》]+》(?:第([0-9]+(?:-[0-9]+)?)条|(总纲|序言))〕")
_SWAP_RE = re.compile(r"原文为“(.+?)”，题干改为“(.+?)”，故错误。")


def stem_body(stem: str) -> str:
    """The part of a stem that restates the source sentence: without the 根据《…》 intro,
    a list lead-in or a leading ellipsis, and without its final stop."""
    body = _INTRO_RE.sub("", stem)
    if ELLIPSIS in body:
        body = body.rsplit(ELLIPSIS, 1)[1]
    return body.rstrip("。；;")


def _in_sentence(piece: str, sentence: str) -> bool:
    piece = piece.rstrip("。；;")
    return bool(piece) and piece in sentence


def _common(q: dict) -> list[str]:
    problems = []
    if q.get("type") not in QUESTION_TYPES:
        problems.append(f"题型无效：{q.get('type')!r}")
    if not q.get("id"):
        problems.append("缺少题号 id")
    stem = q.get("stem") or ""
    if not stem.strip() or "\n" in stem:
        problems.append("题干为空或含换行")
    src = q.get("source") or {}
    for key in ("doc_id", "article", "label", "sentence"):
        if not src.get(key):
            problems.append(f"出处缺少 {key}")
    explanation = q.get("explanation") or ""
    sentence = src.get("sentence") or ""
    if sentence and f"“{sentence}”" not in explanation:
        problems.append("解析未引用原句")
    m = _CITATION_RE.search(explanation)
    if not m:
        problems.append("解析缺少〔《简称》第X条〕式引注")
    elif (m.group(1) or m.group(2)) != src.get("article"):
        problems.append("解析引注的条号与出处不符")
    return problems


def _choice(q: dict, multi: bool) -> list[str]:
    problems = []
    options = q.get("options") or {}
    sentence = q["source"]["sentence"]
    stem = q["stem"]
    if list(options) != list(LETTERS):
        return [f"选项应为 A–D 四项，实为 {list(options)}"]
    texts = list(options.values())
    if any(not t or not t.strip() for t in texts) or len(set(texts)) != len(texts):
        problems.append("选项为空或重复")
    answer = q.get("answer")
    letters = answer if multi else [answer]
    if multi and (not isinstance(answer, list) or len(answer) < 2 or answer != sorted(set(answer))):
        return problems + [f"多选题答案应为两个以上按序排列的字母，实为 {answer!r}"]
    if not multi and not isinstance(answer, str):
        return problems + [f"单选题答案应为一个字母，实为 {answer!r}"]
    if any(letter not in options for letter in letters):
        return problems + [f"答案 {answer!r} 不在选项中"]
    wrong = [options[k] for k in options if k not in letters]
    if not wrong:
        problems.append("没有干扰项")
    for letter in letters:
        text = options[letter]
        if text not in sentence:
            problems.append(f"正确选项“{text}”不在原句中")
        if text in stem:
            problems.append(f"题干泄露了答案“{text}”")
    for text in wrong:
        if also_correct(text, sentence):
            problems.append(f"干扰项“{text}”对原句同样成立")
    if stem.count(CHOICE_BLANK) != 1:
        problems.append("题干应恰有一处括号空位")
        return problems
    body = stem_body(stem)
    before, after = body.split(CHOICE_BLANK)
    if not multi and not _in_sentence(before + options[letters[0]] + after, sentence):
        problems.append("题干填入答案后与原句不符")
    if multi and ((before and not _in_sentence(before, sentence))
                  or (after.rstrip("。；;") and not _in_sentence(after, sentence))):
        problems.append("题干空位前后的文字与原句不符")
    return problems


def _tf(q: dict) -> list[str]:
    answer = q.get("answer")
    if not isinstance(answer, bool):
        return [f"判断题答案应为 true/false，实为 {answer!r}"]
    if q.get("options"):
        return ["判断题不应有选项"]
    sentence = q["source"]["sentence"]
    body = stem_body(q["stem"])
    if answer:
        return [] if _in_sentence(body, sentence) else ["判断题（正确）的题干与原句不符"]
    problems = []
    if _in_sentence(body, sentence):
        problems.append("判断题（错误）的题干与原句相同")
    m = _SWAP_RE.search(q.get("explanation") or "")
    if not m:
        return problems + ["判断题（错误）的解析未说明改动"]
    original, swapped = m.groups()
    if original not in sentence or original in body:
        problems.append(f"被替换的“{original}”不在原句中或仍在题干中")
    if swapped not in body or also_correct(swapped, sentence):
        problems.append(f"替换成的“{swapped}”不在题干中或对原句同样成立")
    elif not _in_sentence(body.replace(swapped, original, 1), sentence):
        problems.append("判断题题干除替换处外与原句不符")
    return problems


def _cloze(q: dict) -> list[str]:
    answer = q.get("answer")
    sentence = q["source"]["sentence"]
    stem = q["stem"]
    if not isinstance(answer, str) or not answer.strip():
        return [f"填空题答案应为文字，实为 {answer!r}"]
    problems = []
    if answer not in sentence:
        problems.append(f"答案“{answer}”不在原句中")
    if answer in stem:
        problems.append(f"题干泄露了答案“{answer}”")
    if stem.count(CLOZE_BLANK) != 1:
        problems.append("题干应恰有一处填空")
    elif not _in_sentence(stem_body(stem).replace(CLOZE_BLANK, answer), sentence):
        problems.append("题干填入答案后与原句不符")
    if q.get("options"):
        problems.append("填空题不应有选项")
    return problems


def question_problems(q: dict) -> list[str]:
    """Everything wrong with one question (JSON shape)."""
    problems = _common(q)
    if problems:
        return problems
    if q["type"] == "single":
        return _choice(q, multi=False)
    if q["type"] == "multi":
        return _choice(q, multi=True)
    if q["type"] == "tf":
        return _tf(q)
    return _cloze(q)


def _answer_key(q: dict) -> str:
    answer = q.get("answer")
    options = q.get("options") or {}
    if isinstance(answer, list):
        return "|".join(sorted(options.get(a, a) for a in answer))
    if isinstance(answer, str) and answer in options:
        return options[answer]
    return str(answer)


def quiz_problems(quiz: Quiz | dict | Iterable[dict],
                  index_sentences: set[tuple[str, str, str]] | None = None) -> list[str]:
    """Problems of every question plus duplicates, and (given the index's sentences as
    (doc_id, article, text)) sources that do not exist in the index."""
    if isinstance(quiz, Quiz):
        questions = quiz.to_json()["questions"]
    elif isinstance(quiz, dict):
        questions = quiz["questions"]
    else:
        questions = list(quiz)
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_stems: dict[str, str] = {}
    seen_keys: dict[tuple, str] = {}
    for q in questions:
        qid = q.get("id", "?")
        problems += [f"{qid}：{p}" for p in question_problems(q)]
        if qid in seen_ids:
            problems.append(f"{qid}：题号重复")
        seen_ids.add(qid)
        stem = re.sub(r"\s+", "", q.get("stem", ""))
        if stem in seen_stems:
            problems.append(f"{qid}：与 {seen_stems[stem]} 题干重复")
        seen_stems.setdefault(stem, qid)
        src = q.get("source") or {}
        key = (q.get("type"), src.get("sentence"), _answer_key(q))
        if key in seen_keys:
            problems.append(f"{qid}：与 {seen_keys[key]} 考查同一原句的同一答案")
        seen_keys.setdefault(key, qid)
        if index_sentences is not None and \
                (src.get("doc_id"), src.get("article"), src.get("sentence")) not in index_sentences:
            problems.append(f"{qid}：出处原句不在索引中")
    return problems
