"""`make screenshots`: the main page types at 1,280 and 390 px, light and dark, as
PNGs under var/screenshots/, so the look can be reviewed without running the site.
It then prints, for each page type at each width, the targets under 44 x 44 px
(counted as the browser tests count them), and for the longest discussion the Tab
presses from the top of the page to its first Reply link and its page height.

Serves the seeded demo database with Django's development server on a free port,
drives chromium through Playwright, then stops the server.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import NOT_TARGETS, SMALL_TARGETS_JS, TARGETS  # noqa: E402

OUT = ROOT / "var" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
PAGES = {
    "home": "/",
    "article": "/articles/eye-gaze-keyboards-compared-what-our-readers-actually-use/",
    "section": "/sections/research/",
    "search": "/search/?q=trial",
    "login": "/accounts/login/",
    "not-found": "/no-such-page/",
    "about": "/about/",
}
# Tall pages are cut here: enough to judge the design, not a 40,000 px strip.
MAX_HEIGHT = 5000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port):
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The development server did not start.")


def not_found_page():
    """The 404 page readers get: the development server (DEBUG) shows Django's
    technical page instead, so render it here as production does."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    return Client(HTTP_HOST="127.0.0.1").get(PAGES["not-found"]).content


def demo_pages():
    """The pages whose addresses the demo data decides: the forums, the busiest
    topic and category, the longest discussion, a tag and a member's profile.
    Run after not_found_page(), which sets Django up."""
    from django.db.models import Count

    from accounts.models import User
    from articles.models import Article, Tag
    from forums.models import Category, Topic

    longest = Article.objects.order_by("-discussion__comment_count").first()
    busiest = Category.objects.annotate(n=Count("topics")).order_by("-n").first()
    topic = Topic.objects.listed().order_by("-reply_count").first()
    tag = Tag.objects.order_by("name").first()
    member = User.objects.filter(is_staff=False, is_active=True).order_by("pk").first()
    found = {
        "forums": "/forums/",
        "forums-latest": "/forums/latest/",
        "archive": "/archive/",
        "category": busiest and busiest.get_absolute_url(),
        "topic": topic and topic.get_absolute_url(),
        "long-discussion": longest and longest.get_absolute_url() + "#comments",
        "tag": tag and tag.get_absolute_url(),
        "member": member and member.get_absolute_url(),
    }
    return {name: path for name, path in found.items() if path}


def shoot(browser, base, missing):
    for device, width in WIDTHS.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            page = context.new_page()
            page.route(
                base + PAGES["not-found"],
                lambda route: route.fulfill(
                    status=404, body=missing, content_type="text/html; charset=utf-8"
                ),
            )
            for name, path in PAGES.items():
                page.goto(base + path, wait_until="networkidle")
                # Bring the lazy images below the fold in, as a reader scrolling would.
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_load_state("networkidle")
                page.evaluate("window.scrollTo(0, 0)")
                height = min(
                    page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT
                )
                target = OUT / f"{name}-{device}-{scheme}.png"
                page.screenshot(
                    path=target,
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": height},
                )
                print(target.relative_to(ROOT))
            context.close()


FIRST_REPLY_JS = """() => {
  const el = document.activeElement;
  return el && el.tagName === "A" && el.textContent.trim().startsWith("Reply");
}"""


def measure(browser, base):
    """The figures issue 10 asks for, printed one a line."""
    for width in WIDTHS.values():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, path in PAGES.items():
            if name == "not-found":
                continue  # the development server's page, not the readers'
            page.goto(base + path, wait_until="networkidle")
            small = page.evaluate(
                SMALL_TARGETS_JS, {"selector": ", ".join(TARGETS), "skip": NOT_TARGETS}
            )
            print(f"targets under 44 px, {name} at {width} px: {len(small)}")
            for target in small:
                print(f"    {target}")
        long = PAGES.get("long-discussion", "").split("#")[0]
        if long:
            page.goto(base + long, wait_until="networkidle")
            height = page.evaluate("document.documentElement.scrollHeight")
            presses = 0
            while presses < 3000 and not page.evaluate(FIRST_REPLY_JS):
                page.keyboard.press("Tab")
                presses += 1
            print(
                f"longest discussion ({long}) at {width} px: page 1 is {height} px "
                f"tall; {presses} Tab presses from the top to the first Reply link"
            )
        context.close()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    missing = not_found_page()  # before Playwright's event loop starts
    PAGES.update(demo_pages())
    port = free_port()
    server = serve(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            shoot(browser, f"http://127.0.0.1:{port}", missing)
            measure(browser, f"http://127.0.0.1:{port}")
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
