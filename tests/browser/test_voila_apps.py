"""The Voila apps in Chromium, served by `govlab voila`: what participants and citizens see.

One set of servers for every test here (session-scoped, one xdist group): each app
loads with no console error and no request leaving 127.0.0.1 and passes axe's
serious and critical WCAG checks; a search narrows; the keyboard alone opens a card;
a rating survives a reload; the form names a bad field and saves a good draft; a
reviewer publishes it; payloads show as text; a visitor is refused and cannot run
code in the kernel or read files.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.widgets.serving import APPS

from .voila_servers import (
    XSS_TITLE,
    World,
    full_screenshot,
    open_app,
    serious_violations,
    servers,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("voila")]
PUBLIC = [app.name for app in APPS if app.public]


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from servers(tmp_path_factory.mktemp("voila"), {})


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("app", [app.name for app in APPS])
def test_each_app_loads_offline_cleanly_and_accessibly(world: World, page: Any, app: str) -> None:
    watch = open_app(page, world.member, app)
    assert watch.errors == [], watch.errors
    assert watch.elsewhere == [], watch.elsewhere
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("main").count() == 1
    body = page.inner_text("body")
    assert "Traceback" not in body and "not trusted" not in body
    assert "from govlab.widgets import" not in page.content()  # no notebook source
    violations = serious_violations(page)
    full_screenshot(page, world.shots / f"{app}.png")
    assert violations == [], violations


@pytest.mark.parametrize("app", PUBLIC)
def test_each_public_app_is_accessible_to_a_visitor(world: World, page: Any, app: str) -> None:
    watch = open_app(page, world.public, app)
    assert watch.errors == [] and watch.elsewhere == []
    assert serious_violations(page) == []


def cards(page: Any) -> list[str]:
    return page.locator(".govlab-card__link").all_inner_texts()


def test_a_search_narrows_and_the_keyboard_alone_opens_a_card(world: World, page: Any) -> None:
    open_app(page, world.member, "practice_browser")
    total = page.locator(".govlab-cards__total")
    before = total.inner_text()
    for _ in range(6):  # Tab from the top of the page until the search box has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.type("transit", delay=40)
    page.wait_for_function(
        "(before) => document.querySelector('.govlab-cards__total').innerText !== before",
        arg=before,
    )
    assert re.match(r'\d+ practices? match(es)? "transit"', total.inner_text())
    found = cards(page)
    assert 0 < len(found) < int(before.split()[0])
    page.keyboard.press("Tab")  # the sort menu
    page.keyboard.press("Tab")  # the first card
    assert page.evaluate("document.activeElement.className") == "govlab-card__link"
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.locator(".govlab-detail__title", has_text=first).wait_for()
    assert "practice=" in page.url  # the address now names the practice


def test_a_rating_survives_a_reload(world: World, page: Any) -> None:
    practice = world.ids["open_data"]
    open_app(page, world.member, "practice_browser", f"?practice={practice}")
    page.locator(".govlab-detail__title").wait_for()
    page.locator(".govlab-rating__star[data-stars='4']").click()
    page.get_by_text("you rated it 4 stars").wait_for()
    assert world.session("li").ratings(practice).mine == 4
    page.reload()
    page.locator(".govlab-detail__title").wait_for(timeout=120_000)
    star = page.locator(".govlab-rating__star[data-stars='4']")
    page.wait_for_function(
        "() => document.querySelector(\".govlab-rating__star[data-stars='4']\")"
        ".getAttribute('aria-pressed') === 'true'"
    )
    assert star.get_attribute("aria-pressed") == "true"


def test_payloads_in_practices_and_comments_show_as_text(world: World, page: Any) -> None:
    watch = open_app(page, world.member, "practice_browser", f"?practice={world.ids['xss']}")
    title = page.locator(".govlab-detail__title")
    title.wait_for()
    assert title.inner_text() == XSS_TITLE  # the tag is text, not an image
    page.get_by_text("Did it work?").wait_for()
    page.locator(".govlab-detail__body strong", has_text="Traffic").wait_for()  # Markdown works
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss === undefined")
    assert watch.dialogs == []
    # the only errors: the payloads' sanitised <img src=x> and <img src=y> ask for "x" and
    # "y" beside the page, which the server refuses
    assert all(e.startswith("Failed to load resource") for e in watch.errors), watch.errors
    assert {url.rsplit("/", 1)[-1] for url in watch.refused} <= {"x", "y"}, watch.refused
    assert page.locator(".govlab-detail__body script, .govlab-thread img[onerror]").count() == 0


def test_the_form_names_a_bad_field_and_saves_a_good_draft(world: World, page: Any) -> None:
    open_app(page, world.member, "contribute")
    form = page.locator(".govlab-contribute__form")
    form.get_by_label("Title", exact=True).fill("ab")
    form.get_by_label("Country code").fill("XX")
    page.get_by_role("button", name="Save draft").click()
    page.locator(".govlab-field--country .govlab-error-text").wait_for()
    assert "ISO 3166-1" in page.locator(".govlab-field--country .govlab-error-text").inner_text()
    assert "at least 3 characters" in page.locator(".govlab-field--title").inner_text()
    form.get_by_label("Title", exact=True).fill("Night buses drawn from phone data in Braga")
    form.get_by_label("Country code").fill("PT")
    form.get_by_label("Summary").fill("Braga redrew its night routes from anonymised phone data.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved your draft").wait_for()
    saved = world.session("li").get("night-buses-drawn-from-phone-data-in-braga")
    assert (saved.status.value, saved.country, saved.author) == ("draft", "PT", "li")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("for review: reviewers will read it").wait_for()
    assert world.session("li").get(saved.id).status.value == "submitted"


def test_a_reviewer_publishes_the_submission(world: World, page: Any) -> None:
    pid = "night-buses-drawn-from-phone-data-in-braga"
    li = world.session("li")
    if not li.search("Braga night buses").total:  # the form test did not run first
        li.create({"id": pid, "title": "Night buses drawn from phone data in Braga"})
    if li.get(pid).status.value == "draft":
        li.submit(pid, "ready")
    world.session("tomas").review(
        pid, evidence=4, transferability=4, clarity=4, impact=3, evidence_level=2,
        decision="approve",
    )  # fmt: skip
    open_app(page, world.reviewer, "review_desk")
    page.locator(".govlab-card__link", has_text="Night buses drawn from phone data").click()
    page.locator(".govlab-detail__title", has_text="Night buses").wait_for()
    for label in ("Evidence", "Transferability", "Clarity", "Impact"):
        page.get_by_label(label, exact=True).select_option(label="4 of 5")
    page.get_by_label("Evidence level").select_option(label="2: before and after")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Your review of").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("with evidence level 2").wait_for()
    published = world.session("rosa").get(pid)
    assert published.status.value == "published" and published.evidence_level == 2


def test_a_visitors_rating_is_refused_with_a_message(world: World, page: Any) -> None:
    practice = world.ids["open_data"]
    open_app(page, world.public, "practice_browser", f"?practice={practice}")
    page.locator(".govlab-detail__title").wait_for()
    before = world.session("ada").ratings(practice).count
    page.locator(".govlab-rating__star[data-stars='2']").click()
    notice = page.locator(".govlab-notice--error", has_text="to rate a practice, sign in")
    notice.wait_for()
    assert world.session("ada").ratings(practice).count == before


def test_a_visitors_feedback_waits_for_a_facilitator(world: World, page: Any) -> None:
    open_app(page, world.public, "feedback_forum")
    assert not page.get_by_text("What people are saying").is_visible()  # no facilitator view
    page.get_by_label("Your feedback").fill(
        "The crossing at Elm Street needs a longer green light."
    )
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("A facilitator reads each message before it is shown").wait_for()
    waiting = [f.text for f in world.session("fatima").pending_feedback()]
    assert "The crossing at Elm Street needs a longer green light." in waiting


def test_a_visitors_page_cannot_run_code_in_its_kernel(world: World, tmp_path: Path) -> None:
    html = _get(f"{world.public.url}/voila/render/practice_browser.ipynb")
    kernel = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>',
                  html, re.S).group(1)  # type: ignore[union-attr]
    )["kernelId"]  # fmt: skip
    marker = tmp_path / "ran.txt"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    replies = _talk_to_kernel(world.public.url, kernel, code)
    assert "kernel_info_reply" in replies  # the channel works ...
    assert "execute_reply" not in replies and "execute_input" not in replies  # ... code does not
    assert not marker.exists()


def test_a_visitor_cannot_fetch_files_sources_or_member_apps(world: World) -> None:
    base = world.public.url
    for path in (
        "/voila/files/../pyproject.toml",
        "/voila/files/practice_browser.ipynb",
        "/voila/files/%2e%2e/%2e%2e/etc/passwd",
        "/voila/static/../../../../etc/passwd",
        "/voila/render/review_desk.ipynb",
        "/voila/render/../widgets/contribute.ipynb",
        "/api/contents/practice_browser.ipynb",
        "/api/kernels",
    ):
        status, text = _status(base + path)
        assert status >= 400 or ("cells" not in text and "root:" not in text), (path, status)
    tree = _get(f"{base}/")
    assert "practice_browser" in tree.replace(" ", "_").lower() or "Practice browser" in tree
    assert "review" not in tree.lower() and "contribute" not in tree.lower()
    assert "Traceback" not in _status(f"{base}/voila/render/missing.ipynb")[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return str(response.read().decode("utf-8"))


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return int(response.status), str(response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return int(error.code), str(error.read().decode("utf-8", "replace"))


def _talk_to_kernel(base: str, kernel: str, code: str) -> list[str]:
    """Send kernel_info and execute requests over the kernel's websocket; the replies' types."""
    result: list[str] = []

    async def talk() -> None:
        from tornado.websocket import websocket_connect

        session = uuid.uuid4().hex
        url = base.replace("http", "ws") + f"/api/kernels/{kernel}/channels?session_id={session}"
        socket = await websocket_connect(url)
        for msg_type, content in (
            ("kernel_info_request", {}),
            ("execute_request", {"code": code, "silent": False, "store_history": False,
                                 "user_expressions": {}, "allow_stdin": False}),
            ("kernel_info_request", {}),
        ):  # fmt: skip
            header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                      "username": "visitor", "version": "5.3", "date": ""}  # fmt: skip
            message = {"header": header, "parent_header": {}, "metadata": {},
                       "content": content, "channel": "shell", "buffers": []}  # fmt: skip
            await socket.write_message(json.dumps(message))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 15
        while loop.time() < deadline and result.count("kernel_info_reply") < 2:
            try:
                raw = await asyncio.wait_for(socket.read_message(), timeout=deadline - loop.time())
            except TimeoutError:
                break
            if raw is None:
                break
            if isinstance(raw, str):
                result.append(json.loads(raw)["header"]["msg_type"])
        await asyncio.sleep(2)  # time for a refused request to have run, had it been let through
        socket.close()

    thread = threading.Thread(target=lambda: asyncio.run(talk()))
    thread.start()
    thread.join(60)
    return result
