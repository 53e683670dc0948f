"""`make loadtest`: drive the stack (`make stack`) with readers and posters for a
bounded time, inject faults one after another, keep a ledger of every write, and
check afterwards that nothing acknowledged was lost or stored twice.

Readers: LOADTEST_READERS threads of GETs through nginx (home, articles, forums),
one in four signed in. Posters: LOADTEST_POSTERS members, each posting a comment
or a reply every ~16 s (the site paces members 15 s apart), and starting a
forum topic at the forum's rate (one per TOPIC_EVERY s). Every write carries
its own form token (the site stores one comment per token) and its text a mark
of the run, and is recorded as acknowledged (with the comment's id from the
redirect), refused (with the status) or failed (the request got no answer or a
5xx: indeterminate). A failed write is sent again with the same token, up to
three times, as a person pressing Send again would.

Faults, one after another with recovery between: kill -9 of app server 1
(restarted 20 s later), a restart of Redis, a clean restart of the primary, a
kill -9 of the primary (started again), a kill -9 of the replica (started
again), a kill -9 of a task worker while notifications are being sent.

Checks: every acknowledged write exists exactly once, with its exact text, in
its discussion, under its parent; no comment of the run exists that was not
acknowledged, except those whose request failed; every discussion's count
equals its published rows; every published reply to a member made exactly one
reply notification for them, and no notification exists twice; every
acknowledged topic exists once with its exact title, first post and category;
every email due to a member of the run was sent at most once (check_emails).

Writes var/loadtest/STAMP.json and prints the table. Environment:
LOADTEST_SECONDS (300), LOADTEST_READERS (16), LOADTEST_POSTERS (40),
LOADTEST_FAULTS (1; 0 for a run without faults); the stack's (scripts/stack.py).
"""

import datetime
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import stack  # noqa: E402
from loadtest_checks import COMMENT_URL, FAILING, check, database  # noqa: E402

from config import localdb  # noqa: E402

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "300"))
READERS = int(os.environ.get("LOADTEST_READERS", "16"))
POSTERS = int(os.environ.get("LOADTEST_POSTERS", "40"))
FAULTS = os.environ.get("LOADTEST_FAULTS", "1") == "1"
POST_EVERY = 16.0
RUN = uuid.uuid4().hex[:8]
PASSWORD = f"load test {RUN} password"
TOPIC_URL = re.compile(r"/forums/[\w-]+/(\d+)-")
# A member may start one topic per FORUMS_TOPIC_RATE_SECONDS (config/settings.py).
TOPIC_EVERY = 300.0
STALE = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)

SETUP = """
import json
from allauth.account.models import EmailAddress
from articles.models import Article
from comments.models import Comment
from forums.models import Category, Topic
from accounts.models import User

run, count, password = RUN_ARGS
articles = list(Article.objects.published().select_related("discussion")[:8])
topics = list(Topic.objects.filter(is_listed=True).select_related("discussion")[:8])
pages = [(a.get_absolute_url(), a.discussion_id) for a in articles]
pages += [(t.get_absolute_url(), t.discussion_id) for t in topics]
first = articles[0].discussion
members = []
for n in range(count):
    email = f"lt-{run}-{n}@example.com"
    user = User.objects.create_user(email=email, password=password,
                                    display_name=f"Loadtester {run} {n}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    # An earlier approved comment: the first-comment hold does not apply.
    Comment.objects.create(discussion=first, author=user,
                           body=f"Loadtester {run} {n} says hello.",
                           status=Comment.Status.PUBLISHED)
    first.record_change(published_delta=1)
    members.append(email)
parents = list(
    Comment.objects.published()
    .filter(discussion_id__in=[d for _, d in pages], author__isnull=False)
    .values_list("id", flat=True)[:200]
)
categories = list(
    Category.objects.startable_by(user).values_list("slug", flat=True)
)
print(json.dumps({"pages": pages, "members": members, "parents": parents,
                  "categories": categories}))
"""


def now() -> float:
    return time.monotonic()


class Browser:
    """One person: a keep-alive connection to nginx, its cookies, and its own
    address (any 127.x.y.z is loopback), so that the site's limits per address
    count each person apart, as they would on the internet."""

    def __init__(self, address="127.0.0.1"):
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.address = address

    def request(self, method, path, fields=None, timeout=30):
        headers = {"Host": f"127.0.0.1:{stack.PORT}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response, content = self._send(method, path, body, headers, timeout)
        except STALE:
            # A kept-alive connection the server had closed (nginx reloaded,
            # an idle timeout): the request never reached it. Browsers send
            # it again on a new connection, and so does this.
            self.close()
            response, content = self._send(method, path, body, headers, timeout)
        except Exception:
            self.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";")[0]
            if "max-age=0" in header.lower() or not value or value == '""':
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, response, content

    def _send(self, method, path, body, headers, timeout=30):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                "127.0.0.1",
                stack.PORT,
                timeout=timeout,
                source_address=(self.address, 0),
            )
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response, response.read()
        except Exception:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def log_in(self, email):
        self.request("GET", "/accounts/login/")
        status, response, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "login": email,
                "password": PASSWORD,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"log in as {email}: {status}")


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (t, kind, status or 0, seconds)
        self.writes = []
        self.topics = []
        self.faults = []
        self.lag = []
        self.outbox = []  # tasks kept in the outbox, sampled with the lag
        self.parents = []
        self.wall_start = time.time()  # mail files are dated by the wall clock

    def request(self, kind, status, seconds):
        with self.lock:
            self.requests.append((now(), kind, status, seconds))


def reader(ledger, pages, stop, number, member=None):
    browser = Browser(f"127.1.{number // 250}.{number % 250 + 1}")
    kind = "member read" if member else "read"
    if member:
        try:
            browser.log_in(member)
        except Exception:  # reads on as a guest; the failure is counted
            ledger.request(kind, 0, 0.0)
    paths = ["/", "/forums/", *(url for url, _ in pages)]
    while not stop.is_set():
        path = random.choice(paths)
        started = now()
        try:
            status, _, _ = browser.request("GET", path)
        except Exception:
            status = 0
        ledger.request(kind, status, now() - started)
        if status in (0, 502, 503, 504):
            time.sleep(0.2)


def poster(ledger, data, email, number, stop, deadline):
    browser = Browser(f"127.0.2.{number + 1}")
    for _attempt in range(10):
        try:
            browser.log_in(email)
            break
        except Exception:
            time.sleep(2)
    else:
        return
    next_at = now() + random.uniform(0, POST_EVERY)
    # Each member starts a topic at a moment of its own, then one every
    # TOPIC_EVERY seconds (the forum's rate), in place of a comment.
    topic_at = now() + random.uniform(
        0, max(POST_EVERY, min(TOPIC_EVERY, deadline - now() - 20))
    )
    while now() < deadline - 5 and not stop.is_set():
        time.sleep(max(0.0, next_at - now()))
        next_at = now() + POST_EVERY + random.uniform(0, 1)
        if data["categories"] and now() >= topic_at:
            topic_at = now() + TOPIC_EVERY + random.uniform(0, 1)
            start_topic(ledger, browser, random.choice(data["categories"]), number)
        else:
            write(ledger, browser, data["pages"], number)


def write(ledger, browser, pages, number):
    token = str(uuid.uuid4())
    with ledger.lock:
        parent = random.choice(ledger.parents) if random.random() < 0.6 else None
    if parent:
        path = f"/comments/{parent}/reply/"
        discussion = None
    else:
        _, discussion = random.choice(pages)
        path = f"/comments/discussions/{discussion}/post/"
    body = f"Load test {RUN} write {token} by member {number}."
    entry = {"token": token, "body": body, "parent": parent, "path": path}
    entry["discussion"] = discussion
    fields = {"body": body, "token": token, "homepage": "", "post": ""}
    if send(ledger, browser, entry, fields, COMMENT_URL):
        with ledger.lock:
            ledger.parents.append(entry["id"])
    with ledger.lock:
        ledger.writes.append(entry)


def start_topic(ledger, browser, category, number):
    token = str(uuid.uuid4())
    title = f"Load test {RUN} topic by member {number}, {token[:8]}"
    body = f"Topic of load test {RUN} {token} by member {number}."
    entry = {"token": token, "title": title, "body": body, "category": category}
    entry["path"] = f"/forums/{category}/new/"
    fields = {"title": title, "body": body, "token": token, "homepage": ""}
    send(ledger, browser, entry, fields, TOPIC_URL)
    with ledger.lock:
        ledger.topics.append(entry)


def send(ledger, browser, entry, fields, acknowledgement):
    """POST `fields` to entry["path"] as a person would, sending the same form
    again (same token) after a failure, up to three times; record the outcome
    in `entry` and return True when the site acknowledged it with an id."""
    for attempt in range(3):
        started = now()
        try:
            status, response, _ = browser.request(
                "POST",
                entry["path"],
                {"csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""), **fields},
            )
        except Exception as error:
            status, response = 0, None
            entry["error"] = type(error).__name__
        ledger.request("write", status, now() - started)
        entry["status"] = status
        entry["attempts"] = attempt + 1
        if status == 302:
            found = acknowledgement.search(response.getheader("Location", ""))
            if found:
                entry["outcome"] = "acknowledged"
                entry["id"] = int(found.group(1))
                return True
        # 400 is no rule's refusal: the comment may be stored and the session
        # not (the primary went down between them); the same token again tells.
        if 400 < status < 500:
            entry["outcome"] = "refused"
            entry["reason"] = f"HTTP {status}"
            return False
        entry["outcome"] = "failed"
        retry = response.getheader("Retry-After") if response else None
        time.sleep(min(float(retry or 2), 5))
    return False


# Faults -----------------------------------------------------------------------


def kill_group(name):
    pid = stack.read_pid(name)
    if pid:
        os.killpg(pid, signal.SIGKILL)


def postmaster_pid(data):
    return int((data / "postmaster.pid").read_text().split()[0])


def pg_ctl(*args):
    localdb._run([str(localdb._bindir() / "pg_ctl"), *args])


def fault_app():
    kill_group("app1")
    time.sleep(20)
    stack.start_app(1)


def fault_redis():
    stack.stop_redis()
    stack.start_redis()


def fault_primary_restart():
    data = stack.primary_dir()
    pg_ctl(
        "restart",
        "-w",
        "-s",
        "-m",
        "fast",
        "-D",
        str(data),
        "-l",
        str(data / "server.log"),
    )


def fault_primary_kill():
    os.kill(postmaster_pid(stack.primary_dir()), signal.SIGKILL)
    time.sleep(3)
    localdb.start()


def fault_replica_kill():
    os.kill(postmaster_pid(stack.replica_dir()), signal.SIGKILL)
    time.sleep(3)
    stack.start_replica()


def fault_worker():
    """The worker itself, not its supervisor, which starts it again."""
    os.kill(stack.read_pid("worker1.child"), signal.SIGKILL)


FAULT_LIST = [
    ("kill -9 app server 1, restarted after 20 s", fault_app),
    ("restart Redis", fault_redis),
    ("clean restart of the primary", fault_primary_restart),
    ("kill -9 the primary, then start it", fault_primary_kill),
    ("kill -9 the replica, then start it", fault_replica_kill),
    ("kill -9 a task worker", fault_worker),
]


def injector(ledger, start, stop):
    gap = SECONDS / (len(FAULT_LIST) + 1)
    for n, (name, fault) in enumerate(FAULT_LIST, 1):
        while now() < start + n * gap:
            if stop.is_set():
                return
            time.sleep(0.2)
        began = now()
        try:
            fault()
            error = None
        except BaseException as failure:  # noqa: BLE001 (recorded, the run goes on)
            error = repr(failure)
        ledger.faults.append(
            {"name": name, "at": began, "injected_for": now() - began, "error": error}
        )


def metric(text, name):
    found = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def scrape(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/metrics")
    return conn.getresponse().read().decode()


def sampler(ledger, stop):
    while not stop.is_set():
        for port in stack.APP_PORTS:
            try:
                text = scrape(port)
            except Exception:
                continue
            lag = metric(text, "kindred_replica_lag_seconds")
            if lag is not None and lag >= 0:
                ledger.lag.append(lag)
            kept = metric(text, "kindred_task_outbox_depth")
            if kept is not None:
                ledger.outbox.append(kept)
        stop.wait(2)


def jobs_to_run():
    """Jobs of the workers not done yet: queued, started (a killed worker's job
    stays there until RQ's maintenance finds it abandoned and gives it back),
    or due to run again within a minute (RQ's retries); None when Redis does
    not answer. Read without RQ's clean-ups, which are the workers' to run."""
    from redis import Redis  # noqa: PLC0415
    from rq import Queue  # noqa: PLC0415
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry  # noqa: PLC0415

    try:
        redis = Redis(port=stack.REDIS_PORT, db=1, socket_timeout=5)
        queue = Queue("default", connection=redis)
        return (
            redis.llen(queue.key)
            + redis.zcard(StartedJobRegistry(queue=queue).key)
            + redis.zcount(ScheduledJobRegistry(queue=queue).key, 0, time.time() + 60)
        )
    except Exception:
        return None


def outbox_depth():
    """Tasks kept in the outbox (not yet handed to Redis); None when unknown."""
    try:
        with database() as db:
            return db.execute("SELECT count(*) FROM outbox_pendingtask").fetchone()[0]
    except Exception:
        return None


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000, 1)


def summary(ledger, start, end):
    def stats(rows):
        errors = sum(1 for r in rows if r[2] == 0 or r[2] >= 500)
        return {
            "requests": len(rows),
            "errors": errors,
            "error_rate": round(errors / len(rows), 4) if rows else 0,
        }

    def timed(rows, ok):
        return {
            **stats(rows),
            "p50_ms": percentile([r[3] for r in rows if r[2] == ok], 50),
            "p99_ms": percentile([r[3] for r in rows if r[2] == ok], 99),
        }

    def kind(*kinds):
        return [r for r in ledger.requests if r[1] in kinds]

    windows = []
    marks = [f["at"] for f in ledger.faults] + [end]
    for fault, until in zip(ledger.faults, marks[1:], strict=False):
        rows = [r for r in ledger.requests if fault["at"] <= r[0] < until]
        bad = [r[0] for r in rows if r[2] == 0 or r[2] >= 500]
        windows.append(
            {
                "fault": fault["name"],
                **stats(rows),
                "recovered_after_s": round(max(bad) - fault["at"], 1) if bad else 0.0,
                "injection_error": fault["error"],
            }
        )
    return {
        "seconds": round(end - start, 1),
        "overall": {
            **stats(ledger.requests),
            "per_second": round(len(ledger.requests) / (end - start), 1),
        },
        "reads": timed(kind("read", "member read"), 200),
        "anonymous reads": timed(kind("read"), 200),
        "signed-in reads": timed(kind("member read"), 200),
        "writes": timed(kind("write"), 302),
        "faults": windows,
        "replica_lag_s": {
            "max": max(ledger.lag) if ledger.lag else None,
            "median": statistics.median(ledger.lag) if ledger.lag else None,
        },
        "outbox_max": max(ledger.outbox) if ledger.outbox else None,
    }


def setup():
    code = SETUP.replace("RUN_ARGS", repr((RUN, POSTERS, PASSWORD)))
    result = subprocess.run(
        [str(stack.PY), "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=stack.app_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    if not stack.read_pid("nginx"):
        sys.exit("The stack is not running: `make stack` first.")
    print(f"loadtest {RUN}: {SECONDS} s, {READERS} readers, {POSTERS} posters")
    data = setup()
    ledger = Ledger()
    ledger.parents = list(data["parents"])
    stop = threading.Event()
    start = now()
    deadline = start + SECONDS
    threads = [
        threading.Thread(
            target=reader,
            args=(
                ledger,
                data["pages"],
                stop,
                n,
                data["members"][n % len(data["members"])] if n % 4 == 3 else None,
            ),
            daemon=True,
        )
        for n in range(READERS)
    ]
    threads += [
        threading.Thread(
            target=poster,
            args=(ledger, data, email, n, stop, deadline),
            daemon=True,
        )
        for n, email in enumerate(data["members"])
    ]
    helpers = [threading.Thread(target=sampler, args=(ledger, stop), daemon=True)]
    if FAULTS:
        helpers.append(
            threading.Thread(target=injector, args=(ledger, start, stop), daemon=True)
        )
    for thread in threads + helpers:
        thread.start()
    while now() < deadline:
        time.sleep(1)
    stop.set()
    # Requests under way finish (a request times out after 30 s); a fault being
    # injected finishes its recovery.
    for thread in threads + helpers:
        thread.join(timeout=max(0.0, deadline + 120 - now()))
    end = now()
    # The workers finish what is queued, and sweep up what the outbox kept,
    # before the notifications are counted.
    waited = now()
    jobs, kept = jobs_to_run(), outbox_depth()
    while (jobs is None or jobs > 0 or kept) and now() - waited < 300:
        time.sleep(1)
        jobs, kept = jobs_to_run(), outbox_depth()
    print(f"queue emptied in {now() - waited:.0f} s (jobs {jobs}, outbox {kept})")
    time.sleep(3)
    report = {"run": RUN, **summary(ledger, start, end), "checks": check(ledger, RUN)}
    out = ROOT / "var" / "loadtest"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")  # noqa: UP017
    path = out / f"{stamp}.json"
    ledger_rows = {"writes": ledger.writes, "topics": ledger.topics}
    path.write_text(json.dumps({**report, **ledger_rows}, indent=2) + "\n")
    print_report(report)
    print(f"ledger and figures: {path}")
    checks = report["checks"]
    if any(checks[name] for name in FAILING):
        sys.exit(1)


def table(header, rows):
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


def print_report(report):
    o = report["overall"]
    kinds = ["reads", "anonymous reads", "signed-in reads", "writes"]
    table(
        ["", "requests", "errors", "error rate", "p50 ms", "p99 ms"],
        [
            ["all", f"{o['requests']} ({o['per_second']}/s)", o["errors"]]
            + [o["error_rate"], "", ""]
        ]
        + [
            [name]
            + [report[name][k] for k in ("requests", "errors", "error_rate")]
            + [report[name]["p50_ms"], report[name]["p99_ms"]]
            for name in kinds
        ],
    )
    table(
        ["fault", "requests", "errors", "error rate", "recovered after s"],
        [
            [
                f["fault"]
                + (f" ({f['injection_error']})" if f["injection_error"] else ""),
                f["requests"],
                f["errors"],
                f["error_rate"],
                f["recovered_after_s"],
            ]
            for f in report["faults"]
        ],
    )
    print(f"\nreplica lag: {report['replica_lag_s']}")
    print(f"most tasks kept in the outbox at once: {report['outbox_max']}")
    table(["check", "value"], list(report["checks"].items()))


if __name__ == "__main__":
    main()
