"""One production worker's memory after 1,000 requests across 50 articles.

Starts the README's production app server (granian, DJANGO_DEBUG=0, the
database cache) with one worker, on the bench's own database, serves it 1,000
anonymous article pages in turns over 50 articles of 200 comments each, and
reads the worker's resident memory (VmRSS, and its peak VmHWM, from /proc)
after its first page (the home page), after the first round of 50 and at the
end: a worker that kept something per request would grow between the last two.
"""

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.build import thread
from bench.timing import load_average
from config import localdb

ARTICLES = 50
COMMENTS = 200
REQUESTS = 1000
PORT = 18390
BIN = Path(sys.executable).parent


def production_env():
    """The production settings (README, "Running Kindred in production") on the
    bench's database, over plain HTTP on loopback, without Redis."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KINDRED_", "DATABASE_", "REDIS_"))
    }
    name = settings.DATABASES["default"]["NAME"]
    return {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": f"postgresql://{localdb.ROLE}@/{name}?host={localdb.cluster_dir()}",
    }


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args, "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


def memory_kb(pid):
    """{"rss": VmRSS, "peak": VmHWM} of process `pid`, in KB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields["rss" if key == "VmRSS" else "peak"] = int(value.split()[0])
    return fields


def children(pid):
    """The processes whose parent is `pid` (granian's worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent id is the second field after the name in brackets.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read()


def start(env):
    server = subprocess.Popen(
        [
            str(BIN / "granian"),
            *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(PORT)),
            *("--workers", "1", "--log-level", "warning"),
            "config.wsgi:application",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(f"http://127.0.0.1:{PORT}/")
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise
            time.sleep(0.5)


def run():
    urls = [
        thread(COMMENTS, members=5, seed=number)[0].get_absolute_url()
        for number in range(ARTICLES)
    ]
    connection.close()  # the server's connections only, while it runs
    env = production_env()
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")
    figures = {"articles": ARTICLES, "comments_each": COMMENTS, "requests": REQUESTS}
    figures["load_before"] = load_average()
    server = start(env)
    try:
        (worker,) = children(server.pid)
        figures["started_kb"] = memory_kb(worker)
        for number in range(REQUESTS):
            fetch(f"http://127.0.0.1:{PORT}{urls[number % ARTICLES]}")
            if number + 1 == ARTICLES:
                figures["after_50_kb"] = memory_kb(worker)
        figures["after_1000_kb"] = memory_kb(worker)
        figures["server_process_kb"] = memory_kb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures["load_after"] = load_average()
    mb = {
        key: round(figures[key]["rss"] / 1024, 1)
        for key in ("started_kb", "after_50_kb", "after_1000_kb")
    }
    print(
        f"One production worker (granian, 1 worker, DJANGO_DEBUG=0), {REQUESTS:,} "
        f"anonymous article pages across {ARTICLES} articles of {COMMENTS} "
        f"comments: resident memory {mb['started_kb']} MB after its first page "
        "(the home page), "
        f"{mb['after_50_kb']} MB after the first {ARTICLES} requests, "
        f"{mb['after_1000_kb']} MB after {REQUESTS:,} (peak "
        f"{round(figures['after_1000_kb']['peak'] / 1024, 1)} MB); the server's "
        f"own process {round(figures['server_process_kb']['rss'] / 1024, 1)} MB; "
        f"load {figures['load_before']}/{figures['load_after']}",
        flush=True,
    )
    return figures
