"""The web app in a real browser: Debian's Chromium driven by Selenium, offline.

The app runs under waitress on 127.0.0.1 (a free port) in a thread of the test process.
``scripts/setup.sh`` installs ``chromium`` and ``chromium-driver``; the driver's path is
given explicitly, because Selenium Manager would try to download one. Screenshots go to
pytest's temporary folder (``--basetemp`` to keep them somewhere known).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from diplobrief import web
from diplobrief.paths import DEFAULT_DOSSIER

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-GB",
]
QUESTIONS = [
    ("nl", "Hoeveel landen steunden de kandidatuur?", "181 landen", "inleiding (zonder titel)"),
    ("fr", "Qui était le facilitateur pour la 2231 ?", "facilitateur", "Verantwoordelijkheid"),
    (
        "en",
        "How many countries supported Belgium's candidacy?",
        "181 countries",
        "introduction (untitled)",
    ),
]
WAIT = 60
# WCAG 2 contrast of every element's own text against the background it sits on.
LOW_CONTRAST = """
const channel = (v) => {
  v /= 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
const background = (element) => {
  for (let e = element; e; e = e.parentElement) {
    const value = rgb(getComputedStyle(e).backgroundColor);
    if (value.length < 4 || value[3] > 0) return value;
  }
  return [255, 255, 255];
};
const low = [];
for (const element of document.querySelectorAll("body *")) {
  const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own || !element.getClientRects().length) continue;
  const style = getComputedStyle(element);
  if (style.visibility === "hidden" || element.closest("[hidden], .skip")) continue;
  const [a, b] = [luminance(rgb(style.color)), luminance(background(element))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) low.push(`${element.tagName}.${element.className}: ${ratio.toFixed(2)}`);
}
return low;
"""


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path_factory.mktemp("browser-work"))
    server = web.make_server(app, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    yield web.server_url(server)
    from waitress import wasyncore

    server.task_dispatcher.shutdown()
    wasyncore.close_all(server._map)
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium is missing: run scripts/setup.sh (it installs chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,800")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
        },
    )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.set_window_size(1280, 800)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, condition: Any, timeout: float = WAIT) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # The page replaces a build's element when its state changes: look again then.
    wait = WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))
    return wait.until(condition)


def _ask(driver: Any, question: str) -> Any:
    """Type a question, send it with Enter, and return the new reply element."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    turns = len(driver.find_elements(By.CSS_SELECTOR, "#log .turn"))
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(question, Keys.ENTER)
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#log .turn")) > turns)
    return driver.find_elements(By.CSS_SELECTOR, "#log .turn .reply")[-1]


def test_fact_questions_in_each_language_show_answer_and_source(
    browser: Any, server_url: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(server_url)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Ask the dossier"
    for lang, question, expected, section in QUESTIONS:
        reply = _ask(driver, question)
        assert reply.get_attribute("lang") == lang
        assert expected in reply.text
        source = reply.find_element(By.CSS_SELECTOR, "details.source")
        quote = source.find_element(By.TAG_NAME, "blockquote")
        assert not quote.is_displayed()  # sources start folded
        source.find_element(By.TAG_NAME, "summary").click()
        assert quote.is_displayed() and section in source.text
    # The conversation is kept server-side: a follow-up and a reload both know it.
    follow_up = _ask(driver, "and in French?")
    assert follow_up.get_attribute("lang") == "fr" and "181 pays" in follow_up.text
    assert "session=" in driver.current_url
    driver.refresh()
    assert len(driver.find_elements(By.CSS_SELECTOR, "#log .turn")) == 4
    driver.save_screenshot(str(tmp_path / "chat-1280x800.png"))
    driver.set_window_size(390, 844)
    try:
        width = driver.execute_script("return document.documentElement.scrollWidth")
        viewport = driver.execute_script("return window.innerWidth")
        assert width <= viewport, "nothing overflows a narrow window"
        driver.save_screenshot(str(tmp_path / "chat-narrow.png"))
    finally:
        driver.set_window_size(1280, 800)


def test_a_document_request_previews_and_downloads_its_pdf(
    browser: Any, server_url: str, downloads: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(server_url)
    reply = _ask(driver, "talking points on peacekeeping in French")
    frame = reply.find_element(By.CSS_SELECTOR, "iframe.preview")
    assert frame.get_attribute("sandbox") == ""
    driver.switch_to.frame(frame)
    try:
        _wait(driver, lambda d: "Éléments de langage" in d.find_element(By.TAG_NAME, "body").text)
    finally:
        driver.switch_to.default_content()
    driver.save_screenshot(str(tmp_path / "document.png"))
    link = reply.find_element(By.PARTIAL_LINK_TEXT, "PDF")
    link.click()
    target = downloads / "peacekeeping-talking-points-fr.pdf"
    _wait(driver, lambda d: target.exists() and target.stat().st_size > 0)
    time.sleep(0.2)  # Chromium renames the finished download into place
    reader = PdfReader(target)
    assert "Éléments de langage" in reader.pages[0].extract_text()


def test_a_pack_build_shows_its_progress_up_to_100(
    browser: Any, server_url: str, downloads: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(server_url + "packs")
    driver.find_element(By.CSS_SELECTOR, "label[for=choice-topics]").click()
    driver.find_element(By.CSS_SELECTOR, "label[for=topic-covid-19]").click()
    driver.find_element(By.CSS_SELECTOR, "label[for=lang-fr]").click()
    driver.find_element(By.ID, "build").click()
    job_id = _wait(
        driver, lambda d: d.find_element(By.CSS_SELECTOR, "#jobs .job").get_attribute("data-job")
    )
    seen: set[str] = set()

    def finished(d: Any) -> bool:
        item = d.find_element(By.ID, f"job-{job_id}")
        seen.add(item.get_attribute("data-state"))
        return bool(item.get_attribute("data-state") in ("done", "failed"))

    _wait(driver, finished, timeout=180)
    item = driver.find_element(By.ID, f"job-{job_id}")
    assert item.get_attribute("data-state") == "done", item.text
    assert seen & {"queued", "running"}, "the page showed the build before it was done"
    assert item.find_element(By.TAG_NAME, "progress").get_attribute("value") == "100"
    assert "100%" in item.text
    driver.save_screenshot(str(tmp_path / "packs.png"))
    links = item.find_elements(By.CSS_SELECTOR, ".job-files a")
    hrefs = [link.get_attribute("href") for link in links]
    assert [href.rsplit("lang=", 1)[1] for href in hrefs] == ["fr", "en"]  # + the browser's
    links[1].click()
    target = downloads / "pack-en.pdf"
    _wait(driver, lambda d: target.exists() and target.stat().st_size > 0)
    time.sleep(0.2)
    assert len(PdfReader(target).pages) > 2


def test_interface_language_is_chosen_and_remembered(browser: Any, server_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser
    driver.get(server_url + "topics")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    Select(driver.find_element(By.ID, "ui-lang")).select_by_value("nl")
    driver.find_element(By.CSS_SELECTOR, ".ui-lang button").click()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl")
    assert driver.current_url.endswith("/topics")
    driver.get(server_url + "packs")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Briefingmappen"
    driver.delete_cookie("diplobrief_lang")


def test_pages_are_keyboard_usable_labelled_and_legible(browser: Any, server_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    unlabelled = """
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
            .map(e => e.id || e.name);
    """
    for path in ("", "topics", "topics/covid-19", "documents/covid-19/briefing-note", "packs"):
        driver.get(server_url + path)
        assert driver.execute_script(unlabelled) == [], path
        assert driver.execute_script(LOW_CONTRAST) == [], path
    driver.get(server_url + "topics")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip" and active.is_displayed()
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "focus is visible"
