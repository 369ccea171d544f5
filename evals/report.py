"""Eval report: summary table on stdout, report.md and report.json, and the CI gate."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Callable

from evals.datasets import DEFAULT_SET, load_questions
from evals.runner import CONFIGS, PRODUCT, run_eval, score

THRESHOLDS = Path(__file__).with_name("thresholds.toml")
DEFAULT_CONFIGS = [PRODUCT, "bm25", "dense", "dense-sentence"]
DEFAULT_REPORT_DIR = Path("eval-report")
LOWER_IS_BETTER = {"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"}
METRIC_ORDER = ["hit@1", "hit@3", "hit@5", "mrr@10", "recall@5", "citation_precision",
                "citation_recall", "grounding", "numbers_grounded", "key_fact_recall",
                "refusal_precision", "refusal_recall", "false_refusal_rate",
                "latency_p50_ms", "latency_p95_ms"]


def _fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if metric.endswith("_ms") else f"{value:.3f}"


def summary_table(results: dict[str, dict]) -> str:
    names = list(results)
    lines = ["| 指标 | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for metric in METRIC_ORDER:
        cells = [_fmt(results[n]["metrics"].get(metric), metric) for n in names]
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    lines.append("| 用时(秒) | " + " | ".join(str(results[n]["seconds"]) for n in names) + " |")
    return "\n".join(lines)


BREAKDOWN_METRICS = ["hit@1", "hit@3", "citation_precision", "key_fact_recall",
                     "false_refusal_rate", "refusal_recall"]


def breakdown_table(questions: list[dict], predictions: list[dict], group: str,
                    label: Callable[[dict], str]) -> str:
    """The product's metrics per group of questions (question type, document), to see where
    it is weak; a metric a group has no questions for shows —."""
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(questions):
        groups.setdefault(label(q), []).append(i)
    lines = [f"| {group} | 题数 | " + " | ".join(BREAKDOWN_METRICS) + " |",
             "|---" * (len(BREAKDOWN_METRICS) + 2) + "|"]
    for name, rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        metrics = score([questions[i] for i in rows], [predictions[i] for i in rows])
        # the refusal metrics' empty-set conventions (recall 1.0 with nothing out of scope)
        # would read as results here
        answerable = sum(questions[i]["answerable"] for i in rows)
        if not answerable:
            metrics["false_refusal_rate"] = None
        if answerable == len(rows):
            metrics["refusal_recall"] = None
        cells = [_fmt(metrics.get(m), m) for m in BREAKDOWN_METRICS]
        lines.append(f"| {name} | {len(rows)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _first_document(question: dict) -> str:
    return question["expected"][0]["doc"] if question["expected"] else "（超出范围）"


def misses(questions: list[dict], predictions: list[dict]) -> list[str]:
    """One line per question the product got wrong: wrong first article, wrong refusal."""
    out = []
    for q, p in zip(questions, predictions):
        expected = {(e["doc"], str(e["article"])) for e in q["expected"]}
        top = [(r["doc_id"], r["article"]) for r in p["retrieved"][:3]]
        if q["answerable"] and (p["refused"] or not top or top[0] not in expected):
            why = "误拒答" if p["refused"] else "首位错误"
        elif not q["answerable"] and not p["refused"]:
            why = "应拒答"
        else:
            continue
        got = "，".join(f"{d}:{a}" for d, a in top)
        want = "，".join(f"{d}:{a}" for d, a in sorted(expected)) or "（拒答）"
        out.append(f"- {q['id']} [{why}] {q['question']} — 期望 {want}；检索 {got}")
    return out


def gate(metrics: dict[str, float | None], thresholds: dict[str, float]) -> list[str]:
    failures = []
    for metric, limit in thresholds.items():
        value = metrics.get(metric)
        if value is None:
            failures.append(f"{metric}: 无数据")
        elif metric in LOWER_IS_BETTER and value > limit:
            failures.append(f"{metric} = {value:.3f} > {limit}")
        elif metric not in LOWER_IS_BETTER and value < limit:
            failures.append(f"{metric} = {value:.3f} < {limit}")
    return failures


def write_report(folder: Path, questions: list[dict], results: dict[str, dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    product = PRODUCT if PRODUCT in results else next(iter(results))
    predictions = results[product]["predictions"]
    lines = [f"# 评测报告\n\n题目数：{len(questions)}（可回答 {sum(q['answerable'] for q in questions)}，"
             f"超出范围 {sum(not q['answerable'] for q in questions)}）\n", summary_table(results),
             f"\n## {product} 按题型\n", breakdown_table(questions, predictions, "题型",
                                                       lambda q: q.get("type") or "—"),
             f"\n## {product} 按文件（首个期望条文所在文件）\n",
             breakdown_table(questions, predictions, "文件", _first_document),
             f"\n## {product} 的失误\n", *misses(questions, predictions)]
    (folder / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "report.json").write_text(json.dumps(
        {name: r for name, r in results.items()}, ensure_ascii=False, indent=1), encoding="utf-8")


def main(args) -> int:
    from app.assistant import Assistant
    from app.cli import UserError, _index_dir

    questions = load_questions(args.set or DEFAULT_SET)
    configs = args.config or DEFAULT_CONFIGS
    if unknown := [c for c in configs if c not in CONFIGS]:
        raise UserError(f"未知的评测配置：{'、'.join(unknown)}。可用：{'、'.join(CONFIGS)}")
    results = run_eval(Assistant.load(_index_dir(args)), configs, questions)
    print(summary_table(results))
    write_report(Path(args.report) if args.report else DEFAULT_REPORT_DIR, questions, results)
    if args.gate:
        product = results.get(PRODUCT) or next(iter(results.values()))
        failures = gate(product["metrics"], tomllib.loads(THRESHOLDS.read_text())["product"])
        if failures:
            print("评测未达阈值：\n" + "\n".join(failures), file=sys.stderr)
            return 1
        print("评测达到全部阈值。")
    return 0
