import os

import pytest
from django.test.signals import setting_changed

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _isolated_mail_and_media(settings, tmp_path):
    # Emails go to files, as in development (Django's test set-up would keep them
    # in memory, out of reach of the browser tests' live server).
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_digest_schedule(settings):
    # The task workers queue the daily digests once the hour has come: a test
    # that runs a worker's rounds must not do so by the time of day it runs at
    # (tests/accounts/test_digest_schedule.py sets the hour it tests).
    settings.KINDRED = {**settings.KINDRED, "DIGEST_HOUR": None}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests make hundreds of users. Production keeps it
    # (tests/test_production.py reads the real settings in a separate process).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and rendered threads live in the cache: each test starts afresh.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls
    # made by the test itself (fixtures, assertions) are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server answers each request in a new thread: close its database
    # connection when the request ends, or the threads' connections outlive them
    # and keep the test database from being dropped at the end.
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]


def assert_accessible(page):
    """axe-core on the page as it stands: zero violations for WCAG 2.2 AA tags."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()


# What people hit: links, buttons, fields and summaries that are shown.
TARGETS = ["a", "button", "input", "select", "textarea", "summary"]
SMALL_TARGETS_JS = """({selector, skip}) => [...document.querySelectorAll(selector)]
  .filter(el => el.offsetParent !== null)
  .filter(el => !skip || !el.closest(skip))
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, r]) => r.width < 44 || r.height < 44)
  .map(([html, r]) => `${html} ${r.width}x${r.height}`)"""
# Not targets for people: hidden from them (the honeypot), or links inside running
# text, which WCAG 2.5.8 excepts.
NOT_TARGETS = '[aria-hidden="true"], p, blockquote, .comment-body'


def small_targets(page, within="", skip=""):
    """Every target on the page (or `within` a CSS scope) under 44 x 44 px, as
    "html WxH" strings, leaving out those inside `skip`."""
    scope = f"{within} " if within else ""
    selector = ", ".join(scope + tag for tag in TARGETS)
    return page.evaluate(SMALL_TARGETS_JS, {"selector": selector, "skip": skip})


MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"


def read_mail(settings):
    """Every email written so far by the file backend, oldest first, as text.

    The backend appends each message, then a line of 79 dashes, to a file named
    after the second and the backend object's id: two sends in one second whose
    backends got the same address share a file, so files are split."""
    folder = settings.EMAIL_FILE_PATH
    if not os.path.isdir(folder):
        return []
    names = sorted(os.listdir(folder), key=lambda n: os.path.getmtime(folder / n))
    return [
        message + "\n"
        for name in names
        for message in (folder / name).read_text().split(MAIL_SEPARATOR)
        if message.strip()
    ]


def _pages_follow_settings(setting, **kwargs):
    # A test that changes the page size or the indentation cap gets its
    # discussions cut again at those (comments.paging.configure), as `migrate`
    # does on a site whose settings changed.
    if setting != "KINDRED":
        return
    from django.db.transaction import TransactionManagementError

    from comments.paging import configure

    try:
        configure()
    except (RuntimeError, TransactionManagementError):
        pass  # a test without the database, or inside a failed transaction


setting_changed.connect(_pages_follow_settings)
