"""The cached path against static files: `make bench-cached`.

Starts everything it compares, on ports and a database of its own (the
production topology's parts from scripts/stack.py, everything under
var/bench/cached-stack/), then runs wrk on loopback against each in turns
(A, B, C ... A, B, C ...), so that what else the machine runs falls on all
of them alike:

- nginx serving the article page's bytes from a file (the bar), and the
  same file compressed ahead (gzip_static) to a client that accepts gzip;
- the article page with 1,000 comments (all on one page, a bench setting) and
  the home page through the production front: nginx with its shared copy
  (scripts/stack.py) before two granian servers of one process each; the
  article page also to a client that accepts gzip, as browsers do;
- the same article page straight from the app servers, granian and gunicorn
  with two processes and one or four threads each (the app's own caches:
  the production app server is chosen by these);
- the page's bytes from memory in a three-line WSGI app under granian: the
  most any cache lookup inside the app process could give.

Prints median requests per second, each variant's ratio to nginx's file (the
ratio of the medians, the lowest and highest of one round's pair in brackets)
and the load average; writes the raw samples to var/bench/cached.json.
BENCH_ROUNDS (5) and BENCH_SECONDS (5) set the length of the run.
"""

import gzip
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SETTINGS = {
    "STACK_DIR": str(OUT / "cached-stack"),
    "STACK_PORT": "18280",
    "STACK_APP_PORTS": "18281,18282",
    "STACK_REDIS_PORT": "16391",
    "STACK_DB": "bench_cached",
    "STACK_SEED": "1",
}
FILE_PORT = 18290
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WRK = ["-t2", "-c16", f"-d{SECONDS}s", "--timeout", "10s"]
# Each app server on its own port: (name, port, command after the binary).
APP = "config.wsgi:application"
GRANIAN = ["--interface", "wsgi", "--host", "127.0.0.1", "--log-level", "warning"]
SERVERS = [
    ("granian 2 processes", 18291, ["granian", *GRANIAN, "--workers", "2", APP]),
    (
        "granian 2 processes × 4 threads",
        18292,
        ["granian", *GRANIAN, "--workers", "2", "--blocking-threads", "4", APP],
    ),
    ("gunicorn 2 processes", 18293, ["gunicorn", "--workers", "2", APP]),
    (
        "gunicorn 2 processes × 4 threads",
        18294,
        ["gunicorn", "--workers", "2", "--threads", "4", APP],
    ),
]
MEMORY_PORT = 18295
FILE = "nginx, the page's bytes from a file"
FILE_GZIP = "nginx, the page's file compressed ahead (gzip_static), gzip"
# The bench's article: found, or (the first time) made after the demo content.
ARTICLE = """
from articles.models import Article
from bench.build import thread
story = Article.objects.filter(section__slug="bench").first()
if story is None and BUILD:
    story = thread(1000)[0]
print(story.get_absolute_url() if story else "-")
"""


def load_stack():
    for name, value in SETTINGS.items():
        os.environ.setdefault(name, value)
    spec = importlib.util.spec_from_file_location(
        "kindred_stack", ROOT / "scripts" / "stack.py"
    )
    stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stack)
    production = stack.app_env
    # The bench setting: the whole discussion on one page, the heaviest page.
    stack.app_env = lambda: {**production(), "KINDRED_COMMENTS_PER_PAGE": "1000"}
    stack.PACKAGES = {**stack.PACKAGES, "wrk": "wrk"}
    return stack


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def start(stack):
    """The front, the app servers and the file; returns {variant: url}."""
    for sub in ("pids", "logs"):
        (stack.STACK / sub).mkdir(parents=True, exist_ok=True)
    stack.ensure_packages()
    if not stack.localdb._running(stack.primary_dir()):
        (stack.STACK / "started-primary").touch()
    stack.localdb.start()
    stack.ensure_database()
    stack.start_redis()
    stack.manage("migrate", "--noinput", "-v", "0")
    stack.manage("collectstatic", "--noinput", "-v", "0")
    article = bench_article(stack, build=False)
    if not article:
        stack.manage("seed_demo")
        article = bench_article(stack, build=True)
    stack.start_replica()
    for number in range(1, len(stack.APP_PORTS) + 1):
        stack.start_app(number)
    stack.start_nginx()
    bin_dir = ROOT / ".venv" / "bin"
    for name, port, (program, *args) in SERVERS:
        bind = (
            ["--port", str(port)]
            if program == "granian"
            else ["-b", f"127.0.0.1:{port}"]
        )
        stack.spawn(slug(name), [str(bin_dir / program), *bind, *args])
    stack.spawn(
        "memory",
        [str(bin_dir / "granian"), *GRANIAN, "--workers", "2"]
        + ["--port", str(MEMORY_PORT), "bench.cached:from_memory"],
        env={**stack.app_env(), "BENCH_PAGE": str(OUT / "cached" / "article.html")},
    )
    front = f"http://127.0.0.1:{stack.PORT}"
    page = fetch(front + article)
    (OUT / "cached").mkdir(parents=True, exist_ok=True)
    (OUT / "cached" / "article.html").write_bytes(page)
    (OUT / "cached" / "article.html.gz").write_bytes(gzip.compress(page))
    start_file_server(stack)
    variants = {
        FILE: f"http://127.0.0.1:{FILE_PORT}/article.html",
        FILE_GZIP: f"http://127.0.0.1:{FILE_PORT}/article.html",
        "article page, nginx's shared copy": front + article,
        "article page, nginx's shared copy, gzip": front + article,
        "home page, nginx's shared copy": front + "/",
        "the page's bytes from memory, granian": (f"http://127.0.0.1:{MEMORY_PORT}/"),
    }
    for name, port, _ in SERVERS:
        variants[f"article page, {name}"] = f"http://127.0.0.1:{port}{article}"
    for url in variants.values():
        stack.wait_for(url, timeout=120)
    return variants, page


def bench_article(stack, build):
    """The address of the article with 1,000 comments, made if `build`."""
    code = f"BUILD = {build}\n{ARTICLE}"
    found = subprocess.run(
        [str(stack.PY), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=stack.app_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    url = found.stdout.split()[-1]
    return None if url == "-" else url


def slug(name):
    return "bench-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def start_file_server(stack):
    """A second nginx with the front's settings, serving the saved page."""
    prefix = stack.STACK / "file-nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""# Written by bench/cached.py
worker_processes auto;
daemon on;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/tmp;
    sendfile on;
    gzip_static on;
    keepalive_timeout 65;
    server {{
        listen 127.0.0.1:{FILE_PORT};
        root {OUT / "cached"};
    }}
}}
"""
    )
    stop_file_server(stack)
    subprocess.run([stack._which("nginx"), "-c", str(conf), "-p", str(prefix)])


def stop_file_server(stack):
    prefix = stack.STACK / "file-nginx"
    pid = prefix / "nginx.pid"
    if pid.exists():
        conf = prefix / "nginx.conf"
        nginx = stack._which("nginx")
        subprocess.run([nginx, "-c", str(conf), "-p", str(prefix), "-s", "quit"])
        time.sleep(0.5)


def from_memory(environ, start_response):
    """The page's bytes, as an in-process cache hit at its cheapest would give
    them: no middleware, no view, no lookup."""
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [PAGE]


PAGE = (
    Path(os.environ["BENCH_PAGE"]).read_bytes() if "BENCH_PAGE" in os.environ else b""
)


def encoding(name):
    """A variant named "..., gzip" asks for compressed answers, as browsers do."""
    return ["-H", "Accept-Encoding: gzip"] if name.endswith("gzip") else []


def wrk(name, url):
    """Requests per second of one wrk run, and the load average after it."""
    result = subprocess.run(
        ["wrk", *WRK, *encoding(name), url], capture_output=True, text=True, check=True
    )
    if "Non-2xx" in result.stdout or "Socket errors" in result.stdout:
        sys.exit(f"bench: {url} answered with errors:\n{result.stdout}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    return rps, round(os.getloadavg()[0], 2)


def measure(variants):
    samples = {
        name: {"url": url, "rps": [], "load": []} for name, url in variants.items()
    }
    for name, url in variants.items():  # warm every cache and connection first
        warm = ["wrk", "-t1", "-c4", "-d1s", *encoding(name), url]
        subprocess.run(warm, capture_output=True)
    for number in range(ROUNDS):
        for name, url in variants.items():
            rps, load = wrk(name, url)
            samples[name]["rps"].append(rps)
            samples[name]["load"].append(load)
        print(f"round {number + 1} of {ROUNDS} done", flush=True)
    return samples


def ratio(top, bottom):
    """Median of top ÷ median of bottom, and the range of the paired ratios."""
    paired = [t / b for t, b in zip(top, bottom, strict=True)]
    return {
        "ratio": round(statistics.median(top) / statistics.median(bottom), 2),
        "min": round(min(paired), 2),
        "max": round(max(paired), 2),
    }


def report(samples, page, bodies):
    print(f"\nwrk {' '.join(WRK)}, {ROUNDS} rounds; page {len(page) / 1024:.1f} KB")
    print("| variant | median req/s | ÷ nginx's file [range] | same bytes | load |")
    print("|---|---|---|---|---|")
    for name, sample in samples.items():
        bar = samples[FILE_GZIP if name.endswith("gzip") else FILE]["rps"]
        share = ratio(sample["rps"], bar)
        sample["ratio_to_file"] = share
        sample["same_bytes"] = bodies.get(name)
        print(
            f"| {name} | {statistics.median(sample['rps']):,.0f} | "
            f"{share['ratio']} [{share['min']}-{share['max']}] | "
            f"{'yes' if bodies.get(name) else 'no' if name in bodies else '-'} | "
            f"{min(sample['load'])}-{max(sample['load'])} |"
        )
    home = samples["home page, nginx's shared copy"]["rps"]
    article = samples["article page, nginx's shared copy"]["rps"]
    best = {
        server: max(
            (n for n in samples if n.startswith(f"article page, {server}")),
            key=lambda n: statistics.median(samples[n]["rps"]),
        )
        for server in ("granian", "gunicorn")
    }
    figures = {
        "home ÷ article": ratio(home, article),
        f"{best['granian']} ÷ {best['gunicorn']}": ratio(
            samples[best["granian"]]["rps"], samples[best["gunicorn"]]["rps"]
        ),
    }
    for name, share in figures.items():
        print(f"{name}: {share['ratio']} [{share['min']}-{share['max']}]")
    return figures


def compare_bytes(variants, page):
    """Whether each variant sends the same bytes as the file: an anonymous
    page that carries no per-request value does."""
    return {
        name: fetch(url) == page
        for name, url in variants.items()
        if name.startswith("article page")
    }


def cache_status(variants):
    """What nginx's shared copy answered a second request (HIT when the app
    let it keep the page)."""
    statuses = {}
    for name, url in variants.items():
        if "shared copy" in name:
            fetch(url)
            with urllib.request.urlopen(url, timeout=30) as response:
                statuses[name] = response.headers.get("X-Cache-Status")
    return statuses


def stop(stack):
    stop_file_server(stack)
    for name, _, _ in SERVERS:
        stack.terminate(slug(name))
    stack.terminate("memory")
    stack.stop()


def main():
    stack = load_stack()
    try:
        variants, page = start(stack)
        bodies = compare_bytes(variants, page)
        statuses = cache_status(variants)
        print(f"nginx's shared copy, a second request: {statuses}", flush=True)
        samples = measure(variants)
        figures = report(samples, page, bodies)
        figures["X-Cache-Status"] = statuses
    finally:
        stop(stack)
    path = OUT / "cached.json"
    path.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "wrk": WRK,
                "rounds": ROUNDS,
                "page_bytes": len(page),
                "variants": samples,
                "figures": figures,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"(written to {path.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
