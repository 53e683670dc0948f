"""The shared copy that nginx keeps of anonymous pages (scripts/stack.py's
nginx.conf), tested against a small app of the test's own: nginx really runs,
in front of a server that counts the requests that reach it."""

import gzip
import importlib.util
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_stack():
    spec = importlib.util.spec_from_file_location(
        "kindred_stack", ROOT / "scripts" / "stack.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App(BaseHTTPRequestHandler):
    """What Kindred sends: a public page says how long a shared cache may keep
    it (to the second, for nginx); anything else is private."""

    protocol_version = "HTTP/1.1"
    hits: list[str] = []
    version = 1

    def do_GET(self):
        App.hits.append(self.path)
        body = f"{self.path} version {App.version}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        if self.path.startswith("/private/"):
            self.send_header("Cache-Control", "private, no-store")
        else:
            self.send_header("Cache-Control", "public, max-age=1")
            # Fresh to the end of this second, as Kindred says; the pages under
            # /kept/ for a minute, so that a test is not raced by the clock.
            kept = 60 if self.path.startswith("/kept/") else 0
            self.send_header("X-Accel-Expires", f"@{int(time.time()) + kept}")
            self.send_header("Vary", "Accept-Encoding, Cookie")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    stack = load_stack()
    stack.ensure_packages()  # nginx installed where missing, as make stack does
    nginx = stack._which("nginx")
    stack.STACK = tmp_path_factory.mktemp("stack")
    stack.PORT, stack.APP_PORTS = free_port(), [free_port()]
    for sub in ("pids", "logs"):
        (stack.STACK / sub).mkdir()
    app = ThreadingHTTPServer(("127.0.0.1", stack.APP_PORTS[0]), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    conf = stack.nginx_conf()
    args = [nginx, "-c", str(conf), "-p", str(conf.parent)]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    subprocess.run(args, check=True)
    try:
        yield f"http://127.0.0.1:{stack.PORT}", conf.read_text()
    finally:
        subprocess.run([*args, "-s", "quit"])
        app.shutdown()


def get(url, **headers):
    with urlopen(Request(url, headers=headers), timeout=10) as response:
        body = response.read()
        if response.headers["Content-Encoding"] == "gzip":
            body = gzip.decompress(body)
        return body.decode(), response.headers


def test_the_config_keeps_anonymous_pages_and_passes_members_by(site):
    conf = site[1]
    assert "proxy_cache kindred_pages;" in conf
    assert "proxy_cache_key $scheme$host$request_uri$kindred_encoding;" in conf
    assert "proxy_cache_use_stale updating;" in conf
    assert "proxy_cache_bypass $http_cookie" in conf
    assert "proxy_no_cache $http_cookie" in conf


def test_an_anonymous_reader_gets_the_shared_copy(site):
    url = site[0] + "/kept/shared/"
    App.hits.clear()
    first, headers = get(url)
    second, again = get(url)
    assert second == first
    assert App.hits == ["/kept/shared/"]
    assert (headers["X-Cache-Status"], again["X-Cache-Status"]) == ("MISS", "HIT")
    # nginx keeps its own instruction to itself.
    assert "X-Accel-Expires" not in again


def test_a_request_with_a_session_cookie_is_never_served_the_shared_copy(site):
    url = site[0] + "/kept/members/"
    get(url)
    App.hits.clear()
    body, headers = get(url, Cookie="sessionid=abc")
    assert App.hits == ["/kept/members/"]
    assert headers["X-Cache-Status"] == "BYPASS"
    # ... nor does what the app answered them become the shared copy.
    App.version += 1
    get(url, Cookie="sessionid=abc")
    assert get(url)[1]["X-Cache-Status"] == "HIT"
    assert get(url)[0] == body


def test_credentials_and_account_pages_pass_by_the_cache(site):
    App.hits.clear()
    for _ in range(2):
        get(site[0] + "/metrics", Authorization="Bearer token")
        get(site[0] + "/accounts/login/")
        get(site[0] + "/private/page/")
    assert len(App.hits) == 6


def test_a_change_reaches_the_next_anonymous_reader_within_a_second(site):
    url = site[0] + "/articles/changing/"
    get(url)
    App.version += 1
    changed = time.monotonic()
    while f"version {App.version}" not in get(url)[0]:
        assert time.monotonic() - changed < 1.1, "the old copy outlived a second"
        time.sleep(0.05)


def test_the_compressed_copy_and_the_plain_one_are_kept_apart(site):
    url = site[0] + "/kept/compressed/"
    gzip_ = {"Accept-Encoding": "gzip"}
    App.hits.clear()
    for _ in range(2):
        plain, plain_headers = get(url)
        packed, packed_headers = get(url, **gzip_)
    assert plain == packed
    assert "Content-Encoding" not in plain_headers
    assert packed_headers["Content-Encoding"] == "gzip"
    assert (plain_headers["X-Cache-Status"], packed_headers["X-Cache-Status"]) == (
        "HIT",
        "HIT",
    )
    assert len(App.hits) == 2
