"""The real worker: `manage.py db_worker` in its own process, on the test database."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from accounts.models import Follow, Notification
from accounts.notifications import comment_published
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
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
