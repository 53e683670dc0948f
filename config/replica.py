"""Reads from a streaming replica, when DATABASE_REPLICA_URL names one.

Only what cannot be stale for the reader goes to the primary, which is everything
but one case: a GET or HEAD from someone with no session (an anonymous reader of
a public page) reads from the replica. Every write goes to the primary, and so do
the reads that follow it: the rest of the request that wrote, and every request
of that browser for KINDRED_REPLICA_PIN_SECONDS after it sent a form (the
`kindred_primary` cookie), so a guest who just posted sees their comment.
Members have a session cookie and always read the primary.

The replica is used only while it answers and replays within
KINDRED_REPLICA_MAX_LAG seconds of the primary, asked at most once every
KINDRED_REPLICA_CHECK_SECONDS per process; otherwise reads stay on the primary.
Background workers and management commands never read from it.
"""

import contextvars
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

ALIAS = "replica"
PIN_COOKIE = "kindred_primary"
SAFE_METHODS = ("GET", "HEAD")

# "replica": this request may read from the replica; "primary": it must not
# (it wrote); None: outside a request (workers, commands, tests).
_reads = contextvars.ContextVar("kindred_reads", default=None)

# The last answer about the replica's lag, per process: (asked at, seconds or
# None when it did not answer).
_checked = {"at": float("-inf"), "lag": None}
_lock = threading.Lock()

LAG_QUERY = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    -- Everything received is replayed: up to date, however long ago the last
    -- write was (pg_last_xact_replay_timestamp() ages while the primary idles).
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def configured() -> bool:
    return ALIAS in connections.settings


def _options():
    return settings.KINDRED["REPLICA"]


def lag() -> float | None:
    """Seconds the replica is behind, None when there is none or it is down;
    asked again at most every KINDRED_REPLICA_CHECK_SECONDS."""
    if not configured():
        return None
    now = time.monotonic()
    with _lock:
        if now - _checked["at"] < _options()["CHECK_SECONDS"]:
            return _checked["lag"]
        _checked["at"] = now
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(LAG_QUERY)
            seconds = float(cursor.fetchone()[0])
    except Exception:  # down, restarting, refusing: read from the primary
        connections[ALIAS].close()
        seconds = None
    with _lock:
        _checked["lag"] = seconds
    return seconds


def forget() -> None:
    """Ask the replica again at the next request (tests, after a fault)."""
    with _lock:
        _checked["at"] = float("-inf")
        _checked["lag"] = None


def usable() -> bool:
    seconds = lag()
    return seconds is not None and seconds <= _options()["MAX_LAG"]


def describe() -> str:
    if not configured():
        return _("none configured")
    seconds = lag()
    if seconds is None:
        return _("down, reading from the primary")
    if seconds > _options()["MAX_LAG"]:
        return _("%(lag).1f s behind, reading from the primary") % {"lag": seconds}
    return _("ok, %(lag).1f s behind") % {"lag": seconds}


def reads_from_replica(request) -> bool:
    """An anonymous reader's GET: no session, no recent form of theirs."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads.get() == "replica":
            return ALIAS
        return "default"

    def db_for_write(self, model, **hints):
        if _reads.get() == "replica":
            _reads.set("primary")  # this request's own writes are read back
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Chooses where the request reads, and pins a browser that sent a form to
    the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use = configured() and reads_from_replica(request) and usable()
        token = _reads.set("replica" if use else "primary")
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=_options()["PIN_SECONDS"],
                httponly=True,
                secure=request.is_secure(),
                samesite="Lax",
            )
        return response
