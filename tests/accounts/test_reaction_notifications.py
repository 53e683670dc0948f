"""An author hears of reactions to their comment: one notification per comment
per hour, which counts every reaction of its hour."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmailChoice, Notification
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def ana():
    return UserFactory(display_name="Ana", email="ana@example.org")


@pytest.fixture
def post(ana):
    article = ArticleFactory(title="Tofersen one year on")
    return comment(article.discussion, author=ana, body="Our clinic starts soon.")


def react(client, capture, post, kind, member=None, at=None, take_back=False):
    client.force_login(member or UserFactory())
    data = {"take_back" if take_back else "kind": kind}
    with mock.patch("django.utils.timezone.now", return_value=at or timezone.now()):
        with capture(execute=True):
            response = client.post(reverse("comments:react", args=[post.pk]), data)
    assert response.status_code == 302
    return response


def test_the_author_hears_of_a_reaction(
    client, ana, post, django_capture_on_commit_callbacks
):
    react(client, django_capture_on_commit_callbacks, post, "thinking")
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.comment, note.read_at) == (
        ana,
        Notification.Kind.REACTION,
        post,
        None,
    )
    assert note.summary == (
        "1 person reacted to your comment on “Tofersen one year on”: "
        "1 person: Thinking of you"
    )
    client.force_login(ana)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "1 person reacted to your comment" in html
    assert (
        'Open the comment<span class="visually-hidden"> of yours that 1 person' in html
    )


def test_reactions_within_the_hour_fold_into_one_notification(
    client, ana, post, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    start = timezone.now()
    react(client, capture, post, "thinking", at=start)
    first = Notification.objects.get()
    react(client, capture, post, "helpful", at=start + timedelta(minutes=10))
    react(client, capture, post, "thinking", at=start + timedelta(minutes=20))
    note = Notification.objects.get()
    assert note.created_at == first.created_at
    assert note.summary.startswith("3 people reacted to your comment")
    assert note.summary.endswith("2 people: Thinking of you · 1 person: Helpful")
    note.read_at = start + timedelta(minutes=30)
    note.save()
    react(client, capture, post, "same", at=start + timedelta(minutes=40))
    note.refresh_from_db()
    assert note.read_at is not None  # read, and not raised again within its hour
    later = start + timedelta(minutes=61)
    react(client, capture, post, "same", at=later)
    note = Notification.objects.get()
    assert (note.read_at, note.created_at) == (None, later)
    assert note.summary.startswith("5 people reacted")


def test_no_notification_for_reacting_to_ones_own_comment_or_taking_back(
    client, ana, post, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    react(client, capture, post, "helpful", member=ana)
    guest = comment(post.discussion, body="A guest's words")
    react(client, capture, guest, "helpful")
    assert not Notification.objects.exists()
    ben = UserFactory()
    react(client, capture, post, "same", member=ben)
    Notification.objects.all().delete()
    react(client, capture, post, "same", member=ben, take_back=True)
    assert not Notification.objects.exists()


def test_reactions_are_emailed_only_to_those_who_asked(
    client, settings, ana, post, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    react(client, capture, post, "thinking")
    assert read_mail(settings) == []  # by default, no email for reactions
    cal = UserFactory(email="cal@example.org", display_name="Cal")
    cal.email_choices = {"reaction": EmailChoice.NOW}
    cal.save()
    theirs = comment(post.discussion, author=cal, body="Mine is in March.")
    react(client, capture, theirs, "thanks")
    [mail] = read_mail(settings)
    assert "To: cal@example.org" in mail
    assert "1 person reacted to your comment" in mail
    assert "1 person: Thanks for sharing" in mail
