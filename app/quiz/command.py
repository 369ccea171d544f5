"""`tiaowen quiz`: build a question bank from the indexed articles and export it.

The lead wires `add_quiz_parser` into `app.cli`; `run_quiz(args)` returns the exit code:
0 success (a shortfall is reported on stderr but is not an error), 1 nothing could be
generated, 2 bad input or no usable index.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.quiz.export import EXTENSIONS, FORMATS, aiken_note, export, quiz_title
from app.quiz.generate import (QUESTION_TYPES, QuizError, build_quiz, parse_types,
                               prepare)

DEFAULT_TYPES = ",".join(QUESTION_TYPES)


def add_quiz_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "quiz", help="从条文生成测验题（单选、多选、判断、填空）并导出",
        description="从索引中的条文生成测验题，附答案、解析和出处；同一随机种子结果相同。")
    parser.add_argument("--doc", action="append", default=[], metavar="DOC_ID",
                        help="只从该文件出题，可重复；默认全部现行文件")
    parser.add_argument("--articles", metavar="范围", help="条文范围，如 4-7,18（总纲、序言写名称）")
    parser.add_argument("--n", type=int, default=20, help="题目数量（默认 20）")
    parser.add_argument("--types", default=DEFAULT_TYPES,
                        help="题型，逗号分隔：single,multi,tf,cloze（或 单选,多选,判断,填空）")
    parser.add_argument("--seed", type=int, default=42, help="随机种子（默认 42）")
    parser.add_argument("--format", choices=FORMATS, default="json", help="导出格式（默认 json）")
    parser.add_argument("--out", metavar="FILE", help="写入文件；默认输出到屏幕")
    parser.add_argument("--index", metavar="DIR", help="索引文件夹（默认 TIAOWEN_INDEX_DIR 或 .index）")
    parser.set_defaults(func=run_quiz)
    return parser


def load_source(index_dir: str | None):
    """The loaded index (imported here so `--help` stays fast)."""
    from app.index import LoadedIndex
    return LoadedIndex.load(index_dir)


def _error(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def _write(data: bytes, out: str | None, fmt: str) -> int:
    if out:
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            return _error(f"无法写入 {out}：{exc.strerror or exc}")
        return 0
    if fmt == "xlsx" and sys.stdout.isatty():
        return _error(f"xlsx 是二进制文件，请用 --out 指定文件名，例如 --out 测验.{EXTENSIONS['xlsx']}")
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


def run_quiz(args: argparse.Namespace) -> int:
    if args.n is not None and args.n <= 0:
        return _error("--n 必须是正整数。")
    try:
        types = list(parse_types(args.types))
    except QuizError as exc:
        return _error(str(exc))
    from app.index import IndexUnavailable
    try:
        source = load_source(args.index)
    except IndexUnavailable as exc:
        return _error(str(exc))
    try:
        quiz = build_quiz(source, doc_ids=args.doc, articles=args.articles, n=args.n,
                          types=types, seed=args.seed)
    except QuizError as exc:
        return _error(str(exc))
    if not quiz.questions:
        print("错误：所选条文中找不到可出题的内容，请扩大文件或条文范围。", file=sys.stderr)
        return 1
    status = _write(export(quiz, args.format, quiz_title(quiz, prepare(source).documents)),
                    args.out, args.format)
    if status:
        return status
    for note in (quiz.note, aiken_note(quiz) if args.format == "aiken" else ""):
        if note:
            print(f"提示：{note}", file=sys.stderr)
    if args.out:
        print(f"已生成 {len(quiz.questions)} 道题，写入 {args.out}", file=sys.stderr)
    return 0
