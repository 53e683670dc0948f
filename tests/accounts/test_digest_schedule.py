"""The daily digests need no cron: the task workers queue them once a day,
at KINDRED["DIGEST_HOUR"], whichever worker looks first."""

import datetime

import pytest
from django.utils import timezone

from accounts import emails
from accounts.emails import queue_digests_if_due
from accounts.management.commands.db_worker import Command as DbWorker
from accounts.models import DigestDay, Notification
from comments.models import ModerationSettings
from tests.accounts.queue import DUMMY, run_due
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queue(settings, monkeypatch):
    settings.TASKS = DUMMY
    settings.TIME_ZONE = "Europe/Madrid"
    settings.KINDRED = {**settings.KINDRED, "DIGEST_HOUR": 7}
    monkeypatch.setattr(emails, "_queued_day", None)  # a worker just started
    ModerationSettings.objects.create(hold_first_comments=False)


def at(day, hour, minute=0):
    """A time in December 2026, after the test's article came out."""
    zone = timezone.get_current_timezone()
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=zone)


def test_the_workers_queue_the_digests_once_a_day_at_the_digest_hour(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    ana = UserFactory(email="ana@example.org", email_choices={"reply": "digest"})
    mine = comment(ArticleFactory(title="Tofersen news").discussion, author=ana)
    answer = comment(mine.discussion, parent=mine, body="Which clinic?")
    Notification.objects.create(recipient=ana, kind="reply", comment=answer)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_digests_if_due(at(20, 6, 59)) is False
        assert queue_digests_if_due(at(20, 7)) is True
        assert queue_digests_if_due(at(20, 7, 5)) is False
        monkeypatch.setattr(emails, "_queued_day", None)  # another worker
        assert queue_digests_if_due(at(20, 23, 59)) is False
    assert list(DigestDay.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 12, 20)
    ]
    run_due(at(20, 7, 1))
    [mail] = read_mail(settings)
    assert "ana@example.org" in mail and "Your daily digest: 1 new comment" in mail
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_digests_if_due(at(21, 6, 59)) is False
        assert queue_digests_if_due(at(21, 7, 0)) is True
    run_due(at(21, 7, 1))
    assert len(read_mail(settings)) == 1  # nothing new waited for the second


def test_the_schedule_can_be_left_to_cron(settings):
    settings.KINDRED = {**settings.KINDRED, "DIGEST_HOUR": None}
    assert queue_digests_if_due(at(20, 12)) is False
    assert not DigestDay.objects.exists()


def test_the_database_worker_looks_between_tasks(monkeypatch):
    looked = []

    def sleep(seconds):
        if looked:
            raise SystemExit  # one round is enough
        return None

    monkeypatch.setattr("accounts.management.commands.db_worker.time.sleep", sleep)
    monkeypatch.setattr(
        "accounts.management.commands.db_worker.requeue_abandoned", lambda *a, **k: 0
    )
    monkeypatch.setattr(
        "accounts.management.commands.db_worker.queue_digests_if_due",
        lambda: looked.append(True),
    )
    monkeypatch.setattr(
        "accounts.management.commands.db_worker.connections.close_all", lambda: None
    )
    with pytest.raises(SystemExit):
        DbWorker().keep_requeuing(lock=None, worker_id="test")
    assert looked == [True]
