"""LawRefBook importer: versions, duplicates, skipped files, the info block, re-runs, the CLI,
and the real statute corpus (../shared/lawcorpus) checked against its MANIFEST.tsv."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.corpus import load_corpus
from indexer.importer import (CURRENT, DUPLICATE, REASON_AMENDMENT, REASON_DUPLICATE, REASON_FORMAT,
                              REASON_NO_ARTICLES, REASON_UNPARSABLE, SKIPPED, SUPERSEDED,
                              import_statutes)

from bench.common import lawcorpus_dir
from conftest import ROOT

LAWCORPUS = lawcorpus_dir()
PASSED_2016 = "2016年3月16日 第十二届全国人民代表大会第四次会议通过"
AMENDED_2023 = ("2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国慈善法〉"
                "的决定》修正")
BODY = """## 第一章 总则

第一条 为了发展慈善事业，制定本法。

第二条 本法所称慈善活动，是指下列公益活动：

（一）扶贫、济困；

（二）扶老、救孤。

## 第二章 附则

第三条 本法自2016年9月1日起施行。
"""


def statute(folder: Path, name: str, title: str, info: list[str], body: str = BODY,
            part: str = "") -> Path:
    """A file in LawRefBook/Laws layout: # title, info block, INFO END, text."""
    lines = [f"# {title}", ""] + ([f"# {part}", ""] if part else [])
    lines += [*(line for i in info for line in (i, "")), "<!-- INFO END -->", "", body]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def by_source(out: Path) -> dict:
    return {d.source: d for d in load_corpus(out)}


def test_versions_become_current_and_superseded_with_valid_links(tmp_path):
    src = tmp_path / "src"
    statute(src, "社会法/慈善法(2016-03-16).md", "中华人民共和国慈善法", [PASSED_2016])
    # no date in the name: the version is the info block's latest date
    statute(src, "社会法/慈善法.md", "中华人民共和国慈善法", [PASSED_2016, AMENDED_2023])
    statute(src, "社会法/慈善法(2019-01-01).md", "中华人民共和国慈善法", [PASSED_2016])
    report = import_statutes(src, tmp_path / "out")
    docs = by_source(tmp_path / "out")  # load_corpus accepts it: links resolve, ids unique
    old, mid, new = (docs[f"社会法/慈善法{v}.md"] for v in ("(2016-03-16)", "(2019-01-01)", ""))
    assert [d.status for d in (old, mid, new)] == [SUPERSEDED, SUPERSEDED, CURRENT]
    assert new.date == "2023-12-29" and new.short_title == "慈善法" and new.title == "中华人民共和国慈善法"
    assert (old.superseded_by, mid.supersedes, mid.superseded_by, new.supersedes) == \
        (mid.doc_id, old.doc_id, new.doc_id, mid.doc_id)
    assert old.supersedes == "" and new.superseded_by == ""
    assert old.short_title == "慈善法（2016）" and "慈善法" in old.aliases
    assert re.fullmatch(r"law-[a-z2-7]{10}", new.doc_id)
    counts = (len(report.imported), len(report.current), len(report.superseded), len(report.skipped))
    assert counts == (3, 1, 2, 0)
    assert report.summary() == "导入 3 个文件（现行 1，已修订 2），跳过 0 个"
    assert [a.article_id for a in new.articles] == ["1", "2", "3"]
    assert new.article("2").heading == ("第一章 总则",)
    assert new.kind == "法律" and new.source == "社会法/慈善法.md"


def test_same_title_and_version_in_two_folders_is_written_once(tmp_path):
    src = tmp_path / "src"
    statute(src, "社会法/反电信网络诈骗法(2022-09-02).md", "中华人民共和国反电信网络诈骗法", [PASSED_2016])
    statute(src, "行政法/反电信网络诈骗法(2022-09-02).md", "中华人民共和国反电信网络诈骗法", [PASSED_2016])
    report = import_statutes(src, tmp_path / "out")
    docs = load_corpus(tmp_path / "out")
    # kept under its primary department: 行政法 comes before 社会法 in the official order
    assert [d.source for d in docs] == ["行政法/反电信网络诈骗法(2022-09-02).md"]
    assert docs[0].status == CURRENT
    (dup,) = report.with_status(DUPLICATE)
    assert dup.path.startswith("社会法/") and dup.reason == REASON_DUPLICATE
    assert dup.detail == dup.current_path == docs[0].source
    assert report.summary() == "导入 1 个文件（现行 1，已修订 0），跳过 1 个：重复 1"


def test_amendments_and_files_without_articles_are_skipped_with_reasons(tmp_path):
    src = tmp_path / "src"
    statute(src, "刑法/刑法修正案（十二）(2023-12-29).md", "中华人民共和国刑法修正案（十二）", [AMENDED_2023],
            body="一、在刑法第一百六十五条中增加一款。\n\n二、本修正案自2024年3月1日起施行。\n")
    # 宪法修正案 do have 第X条 lines, yet only amend other text
    statute(src, "宪法/宪法修正案（2018年）.md", "中华人民共和国宪法修正案（2018年）", [AMENDED_2023],
            body="第三十二条 宪法序言第七自然段中修改为……\n")
    statute(src, "行政法规/口岸开放的若干规定(1985-09-18).md", "国务院关于口岸开放的若干规定", [PASSED_2016],
            body="一、口岸是供人员、货物出入国境的港口。\n\n二、本规定自发布之日起施行。\n")
    # only *naming* an amendment does not make an interpretation one
    statute(src, "司法解释/关于《刑法修正案(八)》时间效力问题的解释(2011-04-25).md",
            "最高人民法院关于《中华人民共和国刑法修正案(八)》时间效力问题的解释", [PASSED_2016])
    (src / "README.md").write_text("# 说明\n\n不是法规。\n", encoding="utf-8")
    report = import_statutes(src, tmp_path / "out")
    reasons = {f.path: f.reason for f in report.with_status(SKIPPED)}
    assert reasons == {
        "刑法/刑法修正案（十二）(2023-12-29).md": REASON_AMENDMENT,
        "宪法/宪法修正案（2018年）.md": REASON_AMENDMENT,
        "行政法规/口岸开放的若干规定(1985-09-18).md": REASON_NO_ARTICLES,
        "README.md": REASON_FORMAT,
    }
    assert [d.short_title for d in load_corpus(tmp_path / "out")] == \
        ["最高人民法院关于《中华人民共和国刑法修正案(八)》时间效力问题的解释"]
    assert report.summary().endswith("跳过 4 个：修正案 2，无第X条条文 1，非 LawRefBook 格式 1")


def test_info_block_stays_out_of_the_articles(tmp_path):
    src = tmp_path / "src"
    # an info line that starts like an article, and one with a sentence (would make a 序言)
    info = ["1982年11月19日 第五届全国人民代表大会常务委员会第二十五次会议通过",
            "第三十一条的决定》第一次修正", "根据决定修正。本法自公布之日起施行。"]
    statute(src, "行政法/文物保护法(2017-11-04).md", "中华人民共和国文物保护法", info,
            body="<!-- FORCE BREAK -->\n\n第一条 为了加强对文物的保护，制定本法。\n\n"
                 "第一百二十四 条采用非法方法收集的证据，应当排除。\n")
    import_statutes(src, tmp_path / "out")
    (doc,) = load_corpus(tmp_path / "out")
    assert [a.article_id for a in doc.articles] == ["1", "124"]  # the label's stray space is typesetting
    assert doc.article("1").text == "为了加强对文物的保护，制定本法。"
    assert "FORCE BREAK" not in Path(doc.path).read_text(encoding="utf-8")
    header = Path(doc.path).read_text(encoding="utf-8").split("\n---\n")[0]
    assert "history: 1982年11月19日" in header and "第三十一条的决定》第一次修正" in header
    assert doc.date == "2017-11-04"


def test_minfadian_parts_are_separate_documents(tmp_path):
    src = tmp_path / "src"
    info = ["2020年5月28日 第十三届全国人民代表大会第三次会议通过", "2021年1月1日 施行"]
    statute(src, "民法典/总则.md", "中华人民共和国民法典", info, part="总则")
    statute(src, "民法典/婚姻家庭编.md", "中华人民共和国民法典", info[:1], part="婚姻家庭编",
            body="## 第一章 一般规定\n\n第一千零四十条 本编调整因婚姻家庭产生的民事关系。\n")
    report = import_statutes(src, tmp_path / "out")
    docs = by_source(tmp_path / "out")
    general, family = docs["民法典/总则.md"], docs["民法典/婚姻家庭编.md"]
    assert general.doc_id != family.doc_id and len(report.current) == 2
    assert (general.short_title, family.short_title) == ("民法典·总则", "民法典·婚姻家庭编")
    assert family.title == "中华人民共和国民法典·婚姻家庭编" and "民法典" in family.aliases
    assert [a.article_id for a in family.articles] == ["1040"]
    assert general.supersedes == general.superseded_by == family.supersedes == ""


def test_reimport_gives_identical_output(tmp_path):
    src = tmp_path / "src"
    statute(src, "社会法/慈善法(2016-03-16).md", "中华人民共和国慈善法", [PASSED_2016])
    statute(src, "社会法/慈善法(2023-12-29).md", "中华人民共和国慈善法", [PASSED_2016, AMENDED_2023])

    def snapshot(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    first = import_statutes(src, tmp_path / "a")
    before = snapshot(tmp_path / "a")
    again = import_statutes(src, tmp_path / "a")
    assert snapshot(tmp_path / "a") == before and first.files == again.files
    import_statutes(src, tmp_path / "b")
    assert snapshot(tmp_path / "b") == before  # ids depend on the source, not the output folder
    assert all(name.endswith(".txt") for name in before)  # no temp files left behind


def test_reimport_after_a_source_is_updated_in_place_keeps_one_current_version(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    statute(src, "社会法/慈善法.md", "中华人民共和国慈善法", [PASSED_2016])
    import_statutes(src, out)
    # LawRefBook amends an undated file in place
    statute(src, "社会法/慈善法.md", "中华人民共和国慈善法", [PASSED_2016, AMENDED_2023])
    import_statutes(src, out)
    (doc,) = load_corpus(out)
    assert doc.status == CURRENT and doc.date == "2023-12-29"


def test_a_year_in_the_question_picks_an_imported_version(tmp_path):
    from app.refs import find_mentions

    src = tmp_path / "src"
    statute(src, "社会法/慈善法(2016-03-16).md", "中华人民共和国慈善法", [PASSED_2016])
    statute(src, "社会法/慈善法(2023-12-29).md", "中华人民共和国慈善法", [PASSED_2016, AMENDED_2023])
    import_statutes(src, tmp_path / "out")
    docs = by_source(tmp_path / "out")
    old, new = docs["社会法/慈善法(2016-03-16).md"], docs["社会法/慈善法(2023-12-29).md"]
    corpus = list(docs.values())
    assert find_mentions("2016年的慈善法第三条", corpus).docs == (old.doc_id,)
    assert find_mentions("慈善法第三条", corpus).docs == (new.doc_id,)


def test_a_file_the_parser_rejects_is_skipped_with_its_message(tmp_path):
    src = tmp_path / "src"
    statute(src, "社会法/慈善法(2016-03-16).md", "中华人民共和国慈善法", [PASSED_2016],
            body="第一条 为了发展慈善事业，制定本法。\n\n第一条 重复的条号。\n")
    report = import_statutes(src, tmp_path / "out")
    (skipped,) = report.with_status(SKIPPED)
    assert skipped.reason == REASON_UNPARSABLE and skipped.detail.startswith("条文编号重复：第一条")


def test_cli_import_prints_a_chinese_summary(tmp_path, capsys):
    from app.cli import main

    statute(tmp_path / "src", "社会法/慈善法(2016-03-16).md", "中华人民共和国慈善法", [PASSED_2016])
    assert main(["import", str(tmp_path / "src"), "--corpus", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "导入 1 个文件（现行 1，已修订 0），跳过 0 个" in out and str(tmp_path / "out") in out
    assert len(load_corpus(tmp_path / "out")) == 1


@pytest.mark.parametrize("make_src, message", [
    (lambda p: p / "none", "文件夹不存在"),
    (lambda p: p, "文件夹中没有 .md 文件"),
], ids=["missing", "empty"])
def test_cli_import_errors_exit_2_without_traceback(tmp_path, make_src, message):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    args = ["import", str(make_src(tmp_path)), "--corpus", str(tmp_path / "out")]
    result = subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def lawcorpus(tmp_path_factory):
    """The statute corpus imported once: (report, documents by source path, MANIFEST rows)."""
    if not (LAWCORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"no statute corpus at {LAWCORPUS}")
    out = tmp_path_factory.mktemp("laws")
    report = import_statutes(LAWCORPUS, out)
    docs = {d.source: d for d in load_corpus(out)}
    with open(LAWCORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return report, docs, rows


def _manifest_class(status: str) -> str:
    if status == "current":
        return CURRENT
    return SUPERSEDED if status.startswith("superseded") else SKIPPED


def test_lawcorpus_article_counts_match_manifest(lawcorpus):
    _, docs, rows = lawcorpus
    current = [r for r in rows if r["status"] == "current"]
    mismatches = []
    for row in current:
        doc = docs.get(row["path"])
        count = sum(1 for a in doc.articles if a.article_id not in ("序言", "总纲")) if doc else None
        if count != int(row["articles"]):
            mismatches.append((row["path"], row["articles"], count))
    for path, expected, got in mismatches:
        print(f"article count mismatch: {path}: MANIFEST {expected}, imported {got}")
    assert len(current) > 1000
    assert 1 - len(mismatches) / len(current) >= 0.99, mismatches[:20]


def test_lawcorpus_statuses_match_manifest(lawcorpus):
    report, docs, rows = lawcorpus
    ours = {f.path: f for f in report.files}
    classes = {CURRENT: CURRENT, SUPERSEDED: SUPERSEDED, DUPLICATE: SUPERSEDED, SKIPPED: SKIPPED}
    mismatches = [(r["path"], r["status"], ours[r["path"]].status) for r in rows
                  if classes[ours[r["path"]].status] != _manifest_class(r["status"])]
    for path, expected, got in mismatches:
        print(f"status mismatch: {path}: MANIFEST {expected}, imported {got}")
    assert 1 - len(mismatches) / len(rows) >= 0.99, mismatches[:20]
    # a superseded file names the same version in force as the MANIFEST does
    superseded = [r for r in rows if r["status"].startswith("superseded")]
    wrong = [r["path"] for r in superseded
             if r["status"] != f"superseded-or-duplicate (current: {ours[r['path']].current_path})"]
    assert superseded and len(wrong) / len(superseded) <= 0.01, wrong
    # every imported document is a current or superseded file, and only those are written
    assert {f.path for f in report.imported} == set(docs)
