"""End-to-end tests in a real Chromium, driven by Playwright's sync API.

The portal is served by pytest-django's ``live_server`` (a real HTTP server in a thread of the
test process, on the test database: PostgreSQL under ``make test``), and Debian's Chromium
(``/usr/bin/chromium``, no browser download) opens it. One browser per pytest worker; a fresh
context (cookies, storage, viewport) per person in a test. Data comes from the factories of
``tests/factories.py`` and the personas of ``tests/conftest.py``, whose password is
``tests.factories.PASSWORD``; every sign-in goes through the real sign-in form.

A failed test leaves a full-page screenshot of each page it opened in /tmp/browser-failures/.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.conf import settings

from tests.browser.axe import AXE_JS
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FAILURES = Path(os.environ.get("BROWSER_FAILURES", Path(tempfile.gettempdir(), "browser-failures")))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: end-to-end test in Chromium against the live server"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _chromium_path():
    found = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if found:
        return found
    message = (
        f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set CHROMIUM); "
        "the browser tests need it"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
    return None


# Tables with a trigger or rule on DELETE (an append-only log, say), and the tables whose foreign
# keys point at them: those are still emptied with TRUNCATE, which fires no DELETE trigger.
GUARDED_TABLES = """
WITH RECURSIVE guarded(oid) AS (
    SELECT tgrelid FROM pg_trigger WHERE NOT tgisinternal AND (tgtype & 8) <> 0
    UNION SELECT ev_class FROM pg_rewrite WHERE ev_type = '4'
    UNION SELECT conrelid FROM pg_constraint, guarded
          WHERE contype = 'f' AND confrelid = guarded.oid
)
SELECT DISTINCT c.relname FROM guarded JOIN pg_class c ON c.oid = guarded.oid
"""


@pytest.fixture(scope="session", autouse=True)
def _flush_with_delete():
    """Empty the tables with DELETE rather than TRUNCATE after each browser test.

    The live server needs a transactional test database, which Django empties after every test.
    On PostgreSQL it does so with one TRUNCATE of every table, which makes and syncs new files
    for some hundred tables: 1–3 s a test on a busy machine. DELETE of the few rows a test wrote
    takes milliseconds, and order does not matter: every foreign key Django creates on
    PostgreSQL is DEFERRABLE INITIALLY DEFERRED, checked when the flush's transaction commits.
    Tables that a DELETE would not simply empty (see GUARDED_TABLES) are still truncated.
    Sequences are not reset either way. Other databases keep Django's own statements."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        with self.connection.cursor() as cursor:
            cursor.execute(GUARDED_TABLES)
            guarded = {name for (name,) in cursor.fetchall()} & set(tables)
        statements = truncate(self, style, sorted(guarded)) if guarded else []
        delete_from = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
        return statements + [
            f"{delete_from} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
            if table not in guarded
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per pytest worker."""
    from playwright.sync_api import sync_playwright

    path = _chromium_path()
    # Playwright's sync API keeps an asyncio loop running in the test's thread; Django refuses
    # database calls from such a thread unless told it is safe (it is: nothing here is async).
    # Set for the rest of this worker's life, since the loop lives as long as the browser.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


def _serve_media(route):
    """Serve ``/media/`` from the test's MEDIA_ROOT, as nginx does in production (the portal
    itself serves media only with DEBUG on, and the tests run with it off)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    relative = unquote(urlparse(route.request.url).path).split("/media/", 1)[1]
    target = (root / relative).resolve()
    if root in target.parents and target.is_file():
        route.fulfill(path=str(target))
    else:
        route.fulfill(status=404, body="not found")


class Browsing:
    """Opens pages in fresh browser contexts (one per person) and cleans up after the test."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.pages = []
        self.csp_violations = []

    def page(self, *, viewport=DESKTOP, has_touch=False, is_mobile=False):
        """A new page in a new context: a person with a browser of their own."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            has_touch=has_touch,
            is_mobile=is_mobile,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS * 2)
        context.route("**/media/**", _serve_media)
        # axe-core is added to every page as an init script (through the DevTools protocol,
        # which the page's Content Security Policy does not govern), not as a <script> tag,
        # which the policy rightly blocks.
        context.add_init_script(path=str(AXE_JS))
        self.contexts.append(context)
        page = context.new_page()
        # Anything the Content Security Policy blocks is a failure of the test that loaded it.
        page.on(
            "console",
            lambda message: (
                self.csp_violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        self.pages.append(page)
        return page

    def phone_page(self):
        return self.page(viewport=PHONE, has_touch=True, is_mobile=True)

    def screenshot_all(self, name):
        FAILURES.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(self.pages, start=1):
            if page.is_closed():
                continue
            try:
                page.screenshot(path=str(FAILURES / f"{name}-{number}.png"), full_page=True)
            except Exception as exc:  # a failed screenshot must not hide the test's failure
                print(f"screenshot of page {number} failed: {exc}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser, live_server, request):
    """``browsing.page()`` opens a desktop page (1280×900), ``browsing.phone_page()`` a phone
    page (375×812, touch), each in its own context, against the live server."""
    session = Browsing(browser, live_server.url)
    yield session
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        session.screenshot_all(name)
    session.close()
    assert not session.csp_violations, "blocked by the CSP:\n" + "\n".join(session.csp_violations)


@pytest.fixture
def page(browsing):
    """A desktop page for a single person."""
    return browsing.page()


def login(page, username, password=PASSWORD):
    """Sign in through the real sign-in form; returns once the portal has let the person in."""
    from playwright.sync_api import expect

    page.goto("/tai-khoan/dang-nhap/")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    return page


def field(scope, label):
    """The form field whose label is exactly ``label`` (a required field's label ends with *)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
