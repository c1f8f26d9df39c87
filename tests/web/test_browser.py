"""End to end in a real headless Chromium (Debian's, driven by Playwright; never a
downloaded browser): paste an article, follow its job page to its report, click an entity,
see its quotes; nothing on the way is blocked by the Content-Security-Policy."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_tool

pytestmark = pytest.mark.model

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "presslens", "serve", "--db",
                             f"sqlite:///{tmp_path / 'web.db'}", "--port", str(port)],
                            env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_browser_paste_open_click_entity_see_quotes(server: str, tmp_path: Path) -> None:
    require_tool(os.path.exists(CHROMIUM), "Chromium (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    text = (EXAMPLES / "articles" / "mt_ru_wagner_mutiny.txt").read_text("utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        visited: list[str] = []
        page.on("framenavigated", lambda frame: visited.append(frame.url))
        page.goto(server + "/analyze")
        page.fill("textarea[name=text]", text)
        page.fill("input[name=published]", "2023-06-28")
        page.click("button[type=submit]")
        page.wait_for_url("**/articles/*", timeout=120_000)  # via the job page's refresh
        assert any("/jobs/" in url for url in visited), visited
        assert "Yevgeny Prigozhin" in page.content()
        page.screenshot(path=str(tmp_path / "article.png"))
        page.click("a:has-text('Dmitry Peskov')")
        page.wait_for_url("**/entities/*")
        body = page.inner_text("body")
        assert "What Dmitry Peskov said" in body
        assert "the criminal case would be closed" in body
        page.screenshot(path=str(tmp_path / "entity.png"))
        browser.close()
    assert not [m for m in console if "Content Security Policy" in m], console
