"""The web UI: rendering helpers, the `/ask` API through gradio_client, and the real app
driven in Debian's chromium with playwright (skipped only when /usr/bin/chromium is absent).

Screenshots go to test-output/screenshots/ (or $TIAOWEN_TEST_OUTPUT/screenshots/).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from app.records import Answer, Citation, Correction, Evidence
from app.web import EXAMPLES, QUIZ_COUNTS, answer_html, answer_plain, esc, highlight, keywords, question_html, quote_html

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUTPUT = Path(os.environ.get("TIAOWEN_TEST_OUTPUT") or ROOT / "test-output")
SCREENSHOTS = OUTPUT / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = "<img src=x onerror=alert(1)>"
SMALL_ORG_QUESTION = "小型社会组织党建由谁兜底?"
WAIT_MS = 90_000   # generous waits, not timing assertions: CI machines can be slow

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium not installed at /usr/bin/chromium (`make setup-test` installs it)")


def browser_test(test):
    """A test driving chromium: marked `browser`, skipped only when chromium is absent."""
    return pytest.mark.browser(needs_chromium(test))

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


# --------------------------------------------------------------------------- helpers (no server)


def _citation(**over) -> Citation:
    fields = dict(doc_id="jingbanfa-2016-27", title="关于加强和改进社会组织党的建设工作的实施意见",
                  short_title="实施意见", article="4", label="4.", heading="二、健全党建工作管理体制和工作机制",
                  text="4.明确管理体制。甲句。由街道社区、乡镇村党组织兜底管理。", score=0.9,
                  doc_number="京办发〔2016〕27号")
    return Citation(**{**fields, **over})


def test_escaping_neutralises_markup_and_template_syntax() -> None:
    assert esc(XSS) == "&lt;img src=x onerror=alert(1)&gt;"
    assert "${" not in esc("${alert(1)}") and "{{" not in esc("{{x}}")
    assert "<img" not in question_html(XSS)
    assert highlight("a<b>兜底</b>", ["兜底"]) == "a&lt;b&gt;<mark>兜底</mark>&lt;/b&gt;"


def test_answer_html_quotes_cites_and_highlights_evidence() -> None:
    citation = _citation()
    answer = Answer(SMALL_ORG_QUESTION, False, "由街道社区、乡镇村党组织兜底管理。〔《实施意见》第4条〕",
                    [citation], [Evidence("jingbanfa-2016-27", "4", "由街道社区、乡镇村党组织兜底管理。")])
    rendered = answer_html(answer)
    assert '<span class="tw-marker">〔《实施意见》第4条〕</span>' in rendered
    assert "<mark>由街道社区、乡镇村党组织兜底管理。</mark>" in rendered
    assert "京办发〔2016〕27号" in rendered and "二、健全党建工作管理体制和工作机制" in rendered


def test_correction_note_precedes_the_answer_only_when_something_was_corrected() -> None:
    answer = Answer("党小阻会多久开一次", True, "已收录文件中未找到相关规定。",
                    corrections=[Correction("党小阻", "党小组")])
    assert answer_html(answer).startswith('<div class="tw-hint tw-read-as">已按“党小组”理解“党小阻”。</div>')
    assert "tw-read-as" not in answer_html(Answer("问题", True, "已收录文件中未找到相关规定。"))


def test_only_citation_markers_are_styled_not_a_quoted_wenhao() -> None:
    line = "按照《中国共产党发展党员工作细则（试行）》（中组发〔1990〕3号）执行。〔《发展党员细则（2014）》第44条，已修订〕"
    rendered = quote_html(line)
    assert "中组发〔1990〕3号" in rendered and rendered.count('class="tw-marker"') == 1
    assert '<span class="tw-marker">〔《发展党员细则（2014）》第44条，已修订〕</span>' in rendered


def test_copy_box_says_how_the_question_was_read() -> None:
    answer = Answer("党小阻会多久开一次", False, "甲。〔《支部工作条例》第13条〕", [_citation(short_title="支部工作条例", article="13")],
                    corrections=[Correction("党小阻", "党小组")])
    assert answer_plain(answer).startswith("（已按“党小组”理解“党小阻”。）\n甲。")


def test_refusal_lists_related_and_marks_superseded() -> None:
    related = _citation(doc_id="fazhan-dangyuan-2014", short_title="发展党员细则（2014）",
                        title="中国共产党发展党员工作细则", article="13", label="第十三条",
                        text=f"第十三条 {XSS}", superseded=True)
    rendered = answer_html(Answer("问题", True, "已收录文件中未找到相关规定。", related=[related]))
    assert "已收录文件中未找到相关规定。" in rendered and "可能相关" in rendered
    assert "已修订" in rendered and "<img" not in rendered


def test_a_refusal_near_a_known_unanswered_question_says_so() -> None:
    answer = Answer("党费按工资的百分之几交", True, "已收录文件中未找到相关规定。",
                    unanswered_like=f"党费比例是多少{XSS}")
    rendered = answer_html(answer)
    assert "相近的常见问题「党费比例是多少" in rendered and "<img" not in rendered
    assert answer_plain(answer).splitlines()[1].startswith("相近的常见问题「党费比例是多少")
    assert "相近的常见问题" not in answer_html(Answer("问题", True, "已收录文件中未找到相关规定。"))


def test_keywords_drop_pieces_of_longer_words() -> None:
    assert keywords("预备期") == ["预备期"]
    assert keywords("   ") == []


# --------------------------------------------------------------------------- the real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"web server exited ({process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with opener.open(url + "gradio_api/info", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"web server not up after {timeout:.0f} s:\n{log.read_text(errors='replace')}")


@contextmanager
def _web_server(index_dir: Path, log_name: str) -> Iterator[str]:
    """`python -m app.web` on a free loopback port over `index_dir`; yields its URL."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    port, log = _free_port(), OUTPUT / log_name
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.web", "--host", "127.0.0.1", "--port", str(port),
             "--index", str(index_dir)], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
            env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "NO_PROXY": "127.0.0.1,localhost"})
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(built_index: Path) -> Iterator[str]:
    """The web server over the test index, shared by this module's tests."""
    with _web_server(built_index, "web-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str):
    from gradio_client import Client
    return Client(server, verbose=False)


def test_api_ask_returns_the_json_contract(client) -> None:
    result = client.predict(SMALL_ORG_QUESTION, api_name="/ask")
    assert {"id", "question", "refused", "answer", "citations", "evidence", "retrieved", "related",
            "latency_ms"} <= set(result)
    assert result["refused"] is False and result["question"] == SMALL_ORG_QUESTION
    first = result["citations"][0]
    assert (first["doc_id"], first["article"]) == ("jingbanfa-2016-27", "4")
    assert "〔《实施意见》第4条〕" in result["answer"]
    assert {"doc_id", "title", "short_title", "article", "label", "heading", "text", "score",
            "superseded"} <= set(first)
    assert any("兜底管理" in e["sentence"] for e in result["evidence"])


def test_api_ask_filters_documents_and_reports_bad_input(client) -> None:
    from gradio_client.exceptions import AppError
    result = client.predict("预备党员的预备期是多长时间？", ["dangzhang-2022"], 3, api_name="/ask")
    assert result["citations"] and {c["doc_id"] for c in result["citations"]} == {"dangzhang-2022"}
    assert len(result["retrieved"]) <= 3
    with pytest.raises(AppError, match="问题不能为空"):
        client.predict("  ", api_name="/ask")
    with pytest.raises(AppError, match="未知的文件编号"):
        client.predict(SMALL_ORG_QUESTION, ["no-such-doc"], api_name="/ask")
    with pytest.raises(AppError, match="必须是正整数"):
        client.predict(SMALL_ORG_QUESTION, [], 0, api_name="/ask")


def test_every_example_question_is_answered(assistant) -> None:
    # a refusal on the home page's own examples would teach staff the tool cannot answer
    for question in EXAMPLES:
        answer = assistant.ask(question)
        assert not answer.refused and answer.citations, question


def test_only_ask_is_a_public_endpoint(client) -> None:
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/ask"}


# --------------------------------------------------------------------------- in chromium


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server: str):
    """A fresh zh-CN page on the app; fails the test if the page contacts anything but the
    server or opens a dialog (alert)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.external, page.dialogs = [], []
    host = server.rstrip("/")
    page.on("request", lambda r: None if r.url.startswith((host, "data:", "blob:")) else page.external.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    page.wait_for_selector("#tw-question textarea")
    yield page
    context.close()
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"
    assert page.external == [], f"requests left the server: {page.external}"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _ask(page, question: str) -> None:
    answers = page.locator("#tw-chat .tw-answer").count()
    page.fill("#tw-question textarea", question)
    page.click("#tw-send")
    page.wait_for_function(f"document.querySelectorAll('#tw-chat .tw-answer').length > {answers}")


@browser_test
def test_home_shows_status_line_and_examples(page) -> None:
    status = page.locator("#tw-status").inner_text()
    assert "份文件" in status and "条条文" in status and "索引建立于" in status
    assert page.get_by_role("button", name=SMALL_ORG_QUESTION).is_visible()
    _shot(page, "01-home")
    page.get_by_role("button", name="党章第七条讲什么").click()          # an example asks at once
    page.wait_for_selector("#tw-chat .tw-answer")
    assert "〔《党章》第7条〕" in page.locator("#tw-chat .tw-answer").last.inner_text()


@browser_test
def test_question_is_answered_with_article_4_and_expands(page) -> None:
    _ask(page, SMALL_ORG_QUESTION)
    answer = page.locator("#tw-chat .tw-answer").last
    assert "〔《实施意见》第4条〕" in answer.locator(".tw-quote").first.inner_text()
    card = answer.locator(".tw-cite", has_text="《实施意见》第4条").first
    assert not card.locator(".tw-article").is_visible()
    card.locator("summary").click()
    article = card.locator(".tw-article")
    article.wait_for(state="visible")
    assert "由街道社区、乡镇村党组织兜底管理" in article.inner_text()
    assert "兜底管理" in article.locator("mark").last.inner_text()          # the quoted sentence
    assert "京办发〔2016〕27号" in card.inner_text() and "健全党建工作管理体制" in card.inner_text()
    assert "兜底管理" in page.locator("#tw-plain textarea").input_value()
    _shot(page, "02-answer")


@browser_test
def test_typing_slip_is_corrected_and_said_so(page) -> None:
    _ask(page, "党小阻会多久开一次")
    assert page.locator("#tw-chat .tw-read-as").last.inner_text() == "已按“党小组”理解“党小阻”。"
    assert "〔《支部工作条例》第13条〕" in page.locator("#tw-chat .tw-answer").last.inner_text()


@browser_test
def test_a_known_gap_is_refused_and_named(page) -> None:
    _ask(page, "党员去志愿北京平台登记服务时长怎么弄")
    answer = page.locator("#tw-chat .tw-answer").last
    assert "已收录文件中未找到相关规定。" in answer.inner_text()
    assert "志愿北京" in answer.locator(".tw-unanswered").inner_text()
    assert "相近的常见问题" in page.locator("#tw-plain textarea").input_value()


@browser_test
def test_superseded_document_is_marked(page) -> None:
    _ask(page, "2014年版细则里关于组织员是怎么规定的")
    answer = page.locator("#tw-chat .tw-answer").last
    assert answer.locator(".tw-revised").first.is_visible()
    _shot(page, "03-superseded")


@browser_test
def test_document_filter_restricts_the_answer(page) -> None:
    page.click("#tw-doc-filter input")
    page.get_by_role("option", name="中国共产党章程").first.click()
    page.keyboard.press("Escape")
    _ask(page, "预备期多长时间？")
    refs = page.locator("#tw-chat .tw-answer").last.locator(".tw-cite .tw-ref").all_inner_texts()
    assert refs and all(ref.startswith("《党章》") for ref in refs), refs


@browser_test
def test_xss_question_is_shown_literally(page) -> None:
    _ask(page, XSS)
    assert page.locator("#tw-chat .tw-question").last.inner_text().strip() == XSS
    assert page.locator("#tw-chat img[src='x']").count() == 0
    _shot(page, "04-xss")


@browser_test
def test_browse_to_dangzhang_article_7_and_search(page) -> None:
    page.get_by_role("tab", name="条文浏览").click()
    page.click("#tw-doc input")
    page.get_by_role("option", name="中国共产党章程").first.click()
    page.wait_for_selector("#tw-toc .tw-toc-item[data-key^='dangzhang-2022|']")
    page.locator("#tw-toc .tw-toc-item", has_text="第七条").first.click()
    page.wait_for_selector("#tw-reader h2:has-text('第七条')")
    assert "预备党员的预备期为一年" in page.locator("#tw-reader").inner_text()
    assert page.locator("#tw-toc .tw-active").inner_text().startswith("第七条")
    assert "第七条" in page.locator("#tw-cite textarea").input_value()
    _shot(page, "05-browse-dangzhang-7")

    page.fill("#tw-search-box textarea", "预备期")
    page.click("#tw-search-go")
    hit = page.locator("#tw-results .tw-hit", has_text="《党章》第7条").first
    hit.wait_for()
    assert "预备期" in hit.locator("mark").first.inner_text()
    _shot(page, "06-search")
    other = page.locator("#tw-results .tw-hit", has_text="《发展党员细则》第31条").first
    other.click()                                               # a hit in another document
    page.wait_for_selector("#tw-reader h2:has-text('第三十一条')")
    assert page.locator("#tw-toc .tw-active").inner_text().startswith("第三十一条")
    assert page.locator("#tw-reader mark", has_text="预备期").count() > 0

    page.fill("#tw-search-box textarea", XSS)
    page.click("#tw-search-go")
    page.wait_for_selector("#tw-results .tw-search-empty")
    assert XSS in page.locator("#tw-results").inner_text()
    assert page.locator("img[src='x']").count() == 0


@browser_test
def test_quiz_tab_previews_and_offers_downloads(page) -> None:
    page.get_by_role("tab", name="测验").click()
    page.click("#tw-quiz-go")
    page.wait_for_selector("#tw-quiz-preview .tw-qcard")
    cards = page.locator("#tw-quiz-preview .tw-qcard")
    assert cards.count() == sum(QUIZ_COUNTS.values())
    assert page.locator("#tw-quiz-preview .tw-qkey").count() == 0  # answers hidden
    page.locator("#tw-quiz-show input").check()
    page.wait_for_selector("#tw-quiz-preview .tw-qkey")
    assert "〔《实施意见》第" in page.locator("#tw-quiz-preview .tw-qexpl").first.inner_text()
    links = page.locator("#tw-quiz-files a[download]")
    links.first.wait_for()
    files = {link.get_attribute("download"): link.get_attribute("href") for link in links.all()}
    for ext in (".xlsx", ".csv", ".gift.txt", ".aiken.txt", ".md", ".json"):
        assert any(name.endswith(ext) for name in files), (ext, files)
    json_href = next(href for name, href in files.items() if name.endswith(".json"))
    exported = json.loads(page.request.get(json_href).body())
    assert len(exported["questions"]) == cards.count()
    _shot(page, "07-quiz")

    page.fill("#tw-quiz-articles textarea", "99-100")
    page.click("#tw-quiz-go")
    page.wait_for_selector("#tw-quiz-note .tw-qerror")
    assert "没有对应的条文" in page.locator("#tw-quiz-note").inner_text()


@browser_test
def test_a_running_server_follows_a_rebuilt_index(browser, small_corpus: Path, tmp_path: Path) -> None:
    # staff keep the page open while someone adds a document and runs `tiaowen index`
    from gradio_client import Client

    from indexer.build import build_index

    index_dir, question = tmp_path / "index", "基金会理事会每年至少开几次会"
    build_index(small_corpus, index_dir, progress=False)
    with _web_server(index_dir, "web-server-reload.log") as url:
        client = Client(url, verbose=False)
        before = client.predict(question, api_name="/ask")
        assert all(c["doc_id"] != "jijinhui-2004" for c in before["citations"])
        (small_corpus / "jijinhui-2004.txt").write_bytes((CORPUS / "jijinhui-2004.txt").read_bytes())
        build_index(small_corpus, index_dir, progress=False)
        deadline, after = time.monotonic() + 120, before
        while time.monotonic() < deadline:   # a bounded wait for the background load, not a timing check
            after = client.predict(question, api_name="/ask")
            if after["citations"] and after["citations"][0]["doc_id"] == "jijinhui-2004":
                break
            time.sleep(1)
        assert not after["refused"] and after["citations"][0]["doc_id"] == "jijinhui-2004"
        page = browser.new_page()   # a page opened now lists the new document in its header
        page.goto(url)
        page.wait_for_function("document.querySelector('#tw-status')?.innerText.includes('已收录 3 份文件')",
                               timeout=WAIT_MS)
        page.close()
