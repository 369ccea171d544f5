"""The `tiaowen` command line: JSON contract, batch mode, Chinese errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

CONTRACT = {"id", "question", "refused", "answer", "citations", "evidence", "retrieved", "latency_ms"}
CITATION = {"doc_id", "title", "short_title", "article", "label", "heading", "text", "score"}


def tiaowen(*args: str, index=None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if index is not None:
        env["TIAOWEN_INDEX_DIR"] = str(index)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=300)


def test_ask_json_contract(built_index):
    result = tiaowen("ask", "小型社会组织党建由谁兜底?", "--json", "--top-k", "3", index=built_index)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert CONTRACT <= set(data)
    assert data["refused"] is False and len(data["retrieved"]) == 3
    assert CITATION <= set(data["citations"][0])
    assert data["citations"][0]["article"] == "4" and data["citations"][0]["short_title"] == "实施意见"
    assert {"doc_id", "article", "sentence"} == set(data["evidence"][0])
    assert data["evidence"][0]["sentence"] in data["answer"]


def test_ask_file_keeps_order_and_ids(built_index, tmp_path):
    questions = tmp_path / "q.jsonl"
    lines = [{"id": "a", "question": "党章第七条讲什么"}, {"question": "今天天气怎么样"},
             {"id": "c", "question": "  "}, {"id": "d", "question": "基金会分哪几类"}]
    questions.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    result = tiaowen("ask", "--file", str(questions), "--json", "--index", str(built_index))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", "d"]
    assert out[0]["citations"][0]["article"] == "7" and out[1]["refused"] is True
    assert "不能为空" in out[2]["error"]
    assert out[3]["retrieved"][0] == {"doc_id": "jijinhui-2004", "article": "3",
                                      "score": out[3]["retrieved"][0]["score"]}


def test_doc_filter_option(built_index):
    result = tiaowen("ask", "党员应当按期交纳党费", "--json", "--doc", "dangzhang-2022", index=built_index)
    data = json.loads(result.stdout)
    assert {r["doc_id"] for r in data["retrieved"]} == {"dangzhang-2022"}


@pytest.mark.parametrize("args, message", [
    (("ask", "   "), "问题不能为空"),
    (("ask", "问" * 501), "问题过长"),
    (("ask", "党费", "--doc", "nope"), "未知的文件编号"),
    (("ask",), "请提供问题"),
    (("ask", "党费", "--top-k", "0"), "--top-k 必须是正整数"),
])
def test_bad_questions_exit_nonzero_with_chinese_message(built_index, args, message):
    result = tiaowen(*args, index=built_index)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_index_names_the_fix(tmp_path):
    result = tiaowen("ask", "党费", "--index", str(tmp_path / "none"))
    assert result.returncode == 2 and "tiaowen index" in result.stderr
    assert "Traceback" not in result.stderr


def test_index_of_bad_corpus_names_file_and_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("doc_id: a\ntitle: 甲\nshort_title: 甲\n---\n第一条 一。\n第一条 二。\n",
                                  encoding="utf-8")
    result = tiaowen("index", "--corpus", str(corpus), "--index", str(tmp_path / "idx"))
    assert result.returncode == 2
    assert "a.txt 第6行" in result.stderr and "条文编号重复" in result.stderr
    assert not (tmp_path / "idx" / "current").exists()


def test_chat_prompt_answers_from_stdin(built_index):
    result = tiaowen("chat", "--index", str(built_index), stdin="小型社会组织党建由谁兜底?\n\n")
    assert result.returncode == 0
    assert "〔《实施意见》第4条〕" in result.stdout and "引用条文" in result.stdout


def test_several_processes_read_one_index_while_another_holds_it(assistant, built_index):
    """The web server and terminal users open the same embedded Chroma folder: only reads,
    since every build writes a new generation beside the live one."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TIAOWEN_INDEX_DIR": str(built_index)}
    questions = ["小型社会组织党建由谁兜底?", "党章第七条讲什么", "预备期多长时间？"]
    procs = [subprocess.Popen([sys.executable, "-m", "app.cli", "ask", q, "--json"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for q in questions]
    in_process = assistant.ask(questions[0])  # this process keeps its own client open meanwhile
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outputs]
    answers = [json.loads(out) for out, _ in outputs]
    assert answers[0]["citations"][0]["article"] == in_process.citations[0].article == "4"
    assert answers[1]["citations"][0]["doc_id"] == "dangzhang-2022"
    assert not answers[2]["refused"]
