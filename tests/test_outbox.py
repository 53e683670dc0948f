"""Tasks are enqueued durably (outbox): a comment that commits while the task
backend is down (Redis restarting) is notified once the backend is back,
exactly once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.models import Notification
from accounts.notifications import notify_comment
from comments.models import Comment, ModerationSettings
from outbox import enqueue_on_commit, sweep
from outbox.models import PendingTask
from tests.accounts.test_notifications import IMMEDIATE, write
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


def later(seconds):
    """The clock moved on by `seconds`."""
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + timedelta(seconds=seconds),
    )


def enqueues():
    return mock.patch.object(
        ImmediateBackend, "enqueue", autospec=True, side_effect=ImmediateBackend.enqueue
    )


def notify_calls(enqueue):
    """How many times notify_comment was enqueued (it enqueues emails too)."""
    return [call.args[1] for call in enqueue.call_args_list].count(notify_comment)


def test_a_reply_committed_while_the_queue_is_down_is_notified_later_once(
    client, django_capture_on_commit_callbacks
):
    ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")
    article = ArticleFactory()
    first = comment(article.discussion, author=ana)
    down = RedisConnectionError("Connection refused")
    with (
        mock.patch.object(ImmediateBackend, "enqueue", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = write(client, ben, article.discussion, "Down?", parent=first)
    assert response.status_code == 302  # the member's post is kept and shown
    reply = Comment.objects.get(body="Down?")
    assert not Notification.objects.exists()
    assert PendingTask.objects.get().args == [reply.pk]

    assert sweep() == 0  # too soon: its hand-over at commit may be under way
    with later(11), enqueues() as enqueue:
        assert sweep() == 1
        assert sweep() == 0
    assert notify_calls(enqueue) == 1
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.comment) == (
        ana,
        Notification.Kind.REPLY,
        reply,
    )
    assert not PendingTask.objects.exists()


def test_a_task_is_handed_over_at_commit_and_leaves_nothing_behind(
    client, django_capture_on_commit_callbacks
):
    ana, ben = UserFactory(), UserFactory()
    article = ArticleFactory()
    first = comment(article.discussion, author=ana)
    with enqueues() as enqueue, django_capture_on_commit_callbacks(execute=True):
        write(client, ben, article.discussion, "Up!", parent=first)
    assert notify_calls(enqueue) == 1
    assert Notification.objects.get().recipient == ana
    assert not PendingTask.objects.exists()
    with later(60), enqueues() as enqueue:
        assert sweep() == 0
    assert enqueue.call_count == 0


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with enqueues() as enqueue, django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(notify_comment, 1)
            raise RuntimeError
    assert not PendingTask.objects.exists()
    assert enqueue.call_count == 0


def test_a_task_that_cannot_be_enqueued_does_not_hold_back_the_others():
    gone = PendingTask.objects.create(task_path="accounts.notifications.gone")
    PendingTask.objects.create(task_path=notify_comment.module_path, args=[0])
    with later(11), enqueues() as enqueue:
        assert sweep() == 1
    assert enqueue.call_count == 1
    assert list(PendingTask.objects.all()) == [gone]
