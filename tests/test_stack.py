"""`make stack` for real: nginx, two app servers, Redis, a streaming replica and
two RQ workers, on ports and a database of the test's own, started and stopped
(purged) by scripts/stack.py. Takes a minute or two: it migrates a database,
copies the cluster with pg_basebackup and starts every process."""

import os
import re
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener, urlopen

import psycopg
import pytest

from config import localdb

ROOT = Path(__file__).resolve().parent.parent
STACK = {
    "STACK_DIR": str(ROOT / "var" / "stack-test"),
    "STACK_PORT": "18080",
    "STACK_APP_PORTS": "18101,18102",
    "STACK_REDIS_PORT": "16390",
    "STACK_DB": "test_kindred_stack",
    "STACK_SEED": "0",
}
SITE = f"http://127.0.0.1:{STACK['STACK_PORT']}"

SETUP = """
from allauth.account.models import EmailAddress
from comments.models import ModerationSettings
from tests.factories import ArticleFactory, UserFactory
settings = ModerationSettings.current()
settings.hold_first_comments = False
settings.save()
member = UserFactory(email="stack@example.com", display_name="Stack Tester")
EmailAddress.objects.create(user=member, email=member.email, verified=True,
                            primary=True)
article = ArticleFactory(title="Through the front server")
print(article.get_absolute_url())
"""


def stack(*args, timeout=300):
    env = {**os.environ, **STACK}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "scripts/stack.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def stack_env():
    lines = stack("env").stdout.splitlines()
    return {**os.environ, **dict(line.split("=", 1) for line in lines)}


class Forms(HTMLParser):
    """Every form's action and fields (name: value), hidden ones included."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif tag in ("input", "textarea") and self.forms and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "submit"):
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def form(html, action_part):
    parser = Forms()
    parser.feed(html)
    return next(f for f in parser.forms if action_part in f["action"])


def replica_reads():
    total = 0.0
    for port in STACK["STACK_APP_PORTS"].split(","):
        text = urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
        found = re.search(
            r'django_db_execute_total\{alias="replica"[^}]*\} (\S+)', text
        )
        total += float(found.group(1)) if found else 0.0
    return total


def on_replica(sql, params):
    data = Path(stack_env()["DATABASE_REPLICA_URL"].split("host=")[1])
    with psycopg.connect(
        host=str(data), user="postgres", dbname=STACK["STACK_DB"]
    ) as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture(scope="module")
def running_stack():
    started = stack("start", timeout=600)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        setup = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", SETUP],
            cwd=ROOT,
            env=stack_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert setup.returncode == 0, setup.stderr
        yield setup.stdout.strip().splitlines()[-1]
    finally:
        pids = [
            int(p.read_text())
            for p in (Path(STACK["STACK_DIR"]) / "pids").glob("*.pid")
            if p.read_text().strip().isdigit()
        ]
        stopped = stack("purge", timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        with psycopg.connect(
            host=str(localdb.cluster_dir()), user="postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {STACK['STACK_DB']} WITH (FORCE)")
        for pid in pids:
            assert (
                not Path(f"/proc/{pid}").exists()
                or "Z" in Path(f"/proc/{pid}/stat").read_text().split(") ")[1][:1]
            ), f"process {pid} left running"


def test_the_stack_serves_reads_from_the_replica_and_shows_a_write_at_once(
    running_stack,
):
    article_url = running_stack
    # Anonymous reader, through nginx: the article page, read from the replica.
    before = replica_reads()
    with urlopen(SITE + article_url) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "Through the front server" in page
    assert replica_reads() > before
    # Static files from nginx, compressed.
    css = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    with urlopen(Request(SITE + css, headers={"Accept-Encoding": "gzip"})) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Server"].startswith("nginx")

    # A member logs in and posts: the page they land on shows the comment.
    browser = build_opener(HTTPCookieProcessor(CookieJar()))
    login_page = browser.open(SITE + "/accounts/login/").read().decode()
    login = form(login_page, "login")
    fields = {
        **login["fields"],
        "login": "stack@example.com",
        "password": "correct horse battery",
    }
    browser.open(SITE + login["action"], urlencode(fields).encode()).read()
    page = browser.open(SITE + article_url).read().decode()
    assert "Stack Tester" in page or "Log out" in page
    text = f"Seen at once {uuid.uuid4().hex}"
    post = form(page, "/post/")
    fields = {**post["fields"], "body": text, "post": ""}
    with browser.open(SITE + post["action"], urlencode(fields).encode()) as landed:
        assert landed.status == 200
        assert text in landed.read().decode()
    assert text in browser.open(SITE + article_url).read().decode()

    # The balancer's active health checks: an app server that is not ready is
    # taken out of nginx's upstream, and the site answers from the other.
    conf = Path(STACK["STACK_DIR"]) / "nginx" / "nginx.conf"
    first = STACK["STACK_APP_PORTS"].split(",")[0]
    assert stack("stop-app", "1").returncode == 0
    deadline = time.monotonic() + 20
    while f"127.0.0.1:{first} max_fails=1 fail_timeout=5s down;" not in (
        conf.read_text()
    ):
        assert time.monotonic() < deadline, "nginx kept the stopped app server"
        time.sleep(0.5)
    for _ in range(4):
        with urlopen(SITE + article_url) as response:
            assert response.status == 200
    assert stack("start-app", "1").returncode == 0
    deadline = time.monotonic() + 20
    while "down;" in conf.read_text():
        assert time.monotonic() < deadline, "nginx never took the app server back"
        time.sleep(0.5)

    # The replica has it too, a moment later.
    deadline = time.monotonic() + 10
    while not on_replica(
        "SELECT count(*) FROM comments_comment WHERE body = %s", [text]
    ):
        assert time.monotonic() < deadline, "the replica never got the comment"
        time.sleep(0.2)
