"""The real worker: `manage.py db_worker` in its own process, on the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from accounts.management.commands.db_worker import (
    RECLAIM_EVERY,
    lock_connection,
    requeue_abandoned,
    try_lock,
    unlock,
)
from accounts.models import Follow, Notification
from accounts.notifications import comment_published
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def database_url():
    """DATABASE_URL of the database this test runs on, for another process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    options = urlencode(db["OPTIONS"])
    return (
        f"postgresql://{user}{password}@{db['HOST'] or ''}{port}/{db['NAME']}"
        f"{'?' + options if options else ''}"
    )


# The workers' own daily digest schedule would add a task to these tests'.
WORKER_ENV = {"KINDRED_DIGEST_HOUR": "off"}


def run_worker(*args):
    env = {**os.environ, "DATABASE_URL": database_url(), **WORKER_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_worker_process_fans_a_comment_out(settings):
    settings.TASKS = DATABASE_BACKEND
    article = ArticleFactory()
    followers = UserFactory.create_batch(3)
    Follow.objects.bulk_create(
        Follow(member=member, discussion=article.discussion) for member in followers
    )
    new = comment(article.discussion, author=UserFactory(), body="Good news")
    comment_published(new)  # outside a transaction: enqueued at once
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not Notification.objects.exists()
    finished = run_worker("--batch")
    assert finished.returncode == 0, finished.stderr
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        member.pk for member in followers
    }


@task()
def wait_for_marker(path):
    """Runs until the file at `path` is gone, then records its run."""
    marker = Path(path)
    for _ in range(600):
        if not marker.exists():
            break
        time.sleep(0.05)
    Path(path + ".done").write_text("ran")
    return "ran"


def start_worker(worker_id):
    """A long-running worker process of the given id."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval=0.2",
            f"--worker-id={worker_id}",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **WORKER_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, tries=600):
    """Whether `condition()` comes true while polling it (0.05 s apart)."""
    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def stop(worker):
    if worker.poll() is None:
        worker.send_signal(signal.SIGKILL)
    worker.wait()


def alive(worker_id):
    """Whether the worker of that id holds its lock (taken and let go if free)."""
    with lock_connection() as lock:
        if try_lock(lock, worker_id):
            unlock(lock, worker_id)
            return False
        return True


def a_running_task():
    return DBTaskResult.objects.running().exists()


def test_a_task_whose_worker_was_killed_runs_again(settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    marker = tmp_path / "hold"
    marker.write_text("")
    wait_for_marker.enqueue(str(marker))
    first = start_worker("first")
    second = None
    try:
        assert wait_for(a_running_task)
        second = start_worker("second")  # already running when the first dies
        # The second has started (it holds its lock) and leaves the task alone.
        assert wait_for(lambda: alive("second"))
        assert alive("first")
        assert DBTaskResult.objects.get().worker_ids == ["first"]
        first.send_signal(signal.SIGKILL)  # no chance to clean up
        first.wait()
        marker.unlink()
        # Only a few looks (RECLAIM_EVERY seconds apart) later, the second ran it.
        finished = lambda: DBTaskResult.objects.get().status == "SUCCESSFUL"  # noqa: E731
        assert wait_for(finished, tries=(RECLAIM_EVERY * 3) * 20)
    finally:
        stop(first)
        if second:
            stop(second)
    assert DBTaskResult.objects.get().worker_ids == ["first", "second"]
    assert Path(str(marker) + ".done").read_text() == "ran"


def test_a_task_whose_worker_is_alive_is_never_taken_back(settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    marker = tmp_path / "hold"
    marker.write_text("")
    wait_for_marker.enqueue(str(marker))
    first = start_worker("first")
    try:
        assert wait_for(a_running_task)
        # A worker starting looks for dead workers' tasks, and finds none.
        finished = run_worker("--batch", "--worker-id=second")
        assert finished.returncode == 0, finished.stderr
        assert "Took back" not in finished.stdout
        # Nor does a look from another process while the first holds its lock.
        with lock_connection() as lock:
            assert requeue_abandoned(lock) == 0
        assert alive("first")
        task_result = DBTaskResult.objects.get()
        assert task_result.status == "RUNNING"
        assert task_result.worker_ids == ["first"]
        marker.unlink()
        assert wait_for(lambda: DBTaskResult.objects.get().status == "SUCCESSFUL")
    finally:
        stop(first)
    assert DBTaskResult.objects.get().worker_ids == ["first"]  # ran once


def test_a_second_worker_of_the_same_id_does_not_start(settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    first = start_worker("first")
    try:
        assert wait_for(lambda: alive("first"))
        twin = run_worker("--batch", "--worker-id=first")
    finally:
        stop(first)
    assert twin.returncode != 0
    assert "A worker with the id 'first' is running." in twin.stderr
