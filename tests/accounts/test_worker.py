"""The real worker: `manage.py db_worker` in its own process, on the test database."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

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


def run_worker(*args):
    env = {**os.environ, "DATABASE_URL": database_url()}
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


def test_a_task_whose_worker_was_killed_runs_again(settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    marker = tmp_path / "hold"
    marker.write_text("")
    wait_for_marker.enqueue(str(marker))
    env = {**os.environ, "DATABASE_URL": database_url()}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):  # until the worker has taken the task
            if DBTaskResult.objects.running().exists():
                break
            time.sleep(0.05)
        assert DBTaskResult.objects.running().exists()
    finally:
        worker.send_signal(signal.SIGKILL)  # no chance to clean up
        worker.wait()
    marker.unlink()
    assert DBTaskResult.objects.get().status == "RUNNING"  # stuck as the worker left it
    # Time passes (the start is made older rather than the clock moved).
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=20))
    finished = run_worker("--batch")
    assert finished.returncode == 0, finished.stderr
    assert "Took back 1 task(s)" in finished.stdout
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Path(str(marker) + ".done").read_text() == "ran"
