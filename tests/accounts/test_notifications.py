import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.member_data import delete_account
from accounts.models import Follow, Notification, User
from accounts.notifications import mentioned_names, notify
from comments.models import (
    Comment,
    ModerationSettings,
    ModerationWord,
    RemovalReason,
    Report,
)
from comments.services import react_to_comment, report_comment
from forums.models import CategoryFollow
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make as forums_make

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def write(client, author, discussion, body, parent=None):
    """Post as `author` through the site, running what waits for the commit."""
    client.force_login(author)
    url = (
        reverse("comments:reply", args=[parent.pk])
        if parent
        else reverse("comments:post", args=[discussion.pk])
    )
    data = {"body": body, "token": str(uuid.uuid4()), "homepage": ""}
    return client.post(url, data)


def test_a_reply_notifies_the_author_of_the_comment(
    client, django_capture_on_commit_callbacks
):
    ana, ben = UserFactory(display_name="Ana"), UserFactory(display_name="Ben")
    article = ArticleFactory(title="Tofersen one year on")
    first = comment(article.discussion, author=ana, body="Our clinic starts soon.")
    with django_capture_on_commit_callbacks(execute=True):
        write(client, ben, article.discussion, "Which clinic?", parent=first)
    reply = Comment.objects.get(body="Which clinic?")
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.actor, note.comment) == (
        ana,
        Notification.Kind.REPLY,
        ben,
        reply,
    )
    assert note.read_at is None


def test_nobody_is_notified_of_their_own_post_or_of_held_content(
    client, django_capture_on_commit_callbacks
):
    ana = UserFactory()
    article = ArticleFactory()
    first = comment(article.discussion, author=ana)
    Follow.objects.create(member=ana, discussion=article.discussion)
    with django_capture_on_commit_callbacks(execute=True):
        write(client, ana, article.discussion, "Answering myself", parent=first)
    held = comment(article.discussion, parent=first, status=Comment.Status.PENDING)
    assert notify(held) == []
    assert not Notification.objects.exists()


HOLDS = {
    "first comment": "My first words here",
    "watched word": "Is there a cure yet?",
    "links": "See https://example.org/a and https://example.org/b",
}


@pytest.mark.parametrize("hold", HOLDS)
def test_a_comment_held_on_arrival_tells_its_author_and_nobody_else(
    hold, client, django_capture_on_commit_callbacks
):
    ana, ben, cal = UserFactory(), UserFactory(display_name="Ben"), UserFactory()
    article = ArticleFactory(title="Tofersen news")
    first = comment(article.discussion, author=ana)
    Follow.objects.create(member=cal, discussion=article.discussion)
    if hold == "first comment":
        ModerationSettings.objects.update(hold_first_comments=True)
    else:  # Ben has had a comment approved: only the words or links hold this
        comment(article.discussion, author=ben, created_at=an_hour_ago())
        ModerationWord.objects.create(word="cure", kind="watched")
    with django_capture_on_commit_callbacks(execute=True):
        write(client, ben, article.discussion, HOLDS[hold], parent=first)
    held = Comment.objects.get(body=HOLDS[hold])
    assert held.status == Comment.Status.PENDING
    note = Notification.objects.get()  # not Ana replied to, not Cal who follows
    assert (note.recipient, note.kind, note.comment) == (
        ben,
        Notification.Kind.DECISION,
        held,
    )
    assert note.summary == "Your comment on “Tofersen news”: Awaiting moderation"
    page = client.get(reverse("notifications:list"))
    assert "Your comment on “Tofersen news”: Awaiting moderation" in page.text
    assert HOLDS[hold] in page.text  # the author reads their own words
    assert "held:" not in page.text  # the rule is for moderators only


def test_a_guests_held_comment_notifies_nobody(
    client, django_capture_on_commit_callbacks
):
    ModerationSettings.objects.update(hold_first_comments=True)
    article = ArticleFactory()
    Follow.objects.create(member=UserFactory(), discussion=article.discussion)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post", args=[article.discussion.pk]),
            {
                "body": "A guest's first words",
                "name": "Guest",
                "email": "guest@example.org",
                "token": str(uuid.uuid4()),
                "homepage": "",
            },
        )
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert not Notification.objects.exists()


def test_followers_and_mentions_hear_of_a_new_comment_once_each(
    client, django_capture_on_commit_callbacks
):
    ana, ben = UserFactory(display_name="Ana María"), UserFactory(display_name="Ben")
    cal = UserFactory(display_name="Cal")
    article = ArticleFactory()
    for follower in (ana, cal):
        Follow.objects.create(member=follower, discussion=article.discussion)
    with django_capture_on_commit_callbacks(execute=True):
        write(client, ben, article.discussion, "Thanks @Ana María, and hello all.")
    kinds = dict(Notification.objects.values_list("recipient__display_name", "kind"))
    assert kinds == {"Ana María": "mention", "Cal": "followed"}


def test_a_mention_names_a_member_only_when_one_member_has_that_name(
    client, django_capture_on_commit_callbacks
):
    ana = UserFactory(display_name="Ana Silva")
    kim_here, kim_there = (
        UserFactory(display_name="Kim"),
        UserFactory(display_name="KIM"),
    )
    UserFactory(display_name="Ana Silva", is_active=False)  # a closed account
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        write(client, UserFactory(), article.discussion, "Thanks @ana silva and @Kim!")
    # Two members are called Kim (in any case): the mention cannot say which,
    # so neither hears of it; one active member is Ana Silva, and she does.
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (ana.pk, Notification.Kind.MENTION)
    ]
    assert not Notification.objects.filter(recipient__in=[kim_here, kim_there])


def test_mentions_are_read_from_the_words_after_an_at_sign():
    assert {"ana", "ana maría", "ana maría thanks"} <= mentioned_names(
        "Hi @Ana María thanks!"
    )
    assert mentioned_names("mail me at ana@example.org") == set()


def test_fanning_out_to_many_followers_is_a_few_bulk_statements(
    django_assert_max_num_queries,
):
    article = ArticleFactory()
    members = UserFactory.create_batch(30)
    Follow.objects.bulk_create(
        Follow(member=member, discussion=article.discussion) for member in members
    )
    new = comment(article.discussion, author=members[0], body="News from clinic")
    with django_assert_max_num_queries(4):  # followers, page, insert in batches
        rows = notify(new)
    assert len(rows) == 29
    assert Notification.objects.count() == 29
    notify(new)  # run again (a retry): nothing twice
    assert Notification.objects.count() == 29


def test_the_request_only_enqueues_the_work(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    article = ArticleFactory()
    Follow.objects.bulk_create(
        Follow(member=member, discussion=article.discussion)
        for member in UserFactory.create_batch(20)
    )
    write(client, UserFactory(), article.discussion, "Hello everyone")
    assert not Notification.objects.exists()


def test_an_approved_comment_reaches_followers_and_its_author_hears_of_it(
    django_capture_on_commit_callbacks,
):
    ana, cal, mod = UserFactory(), UserFactory(), UserFactory(is_staff=True)
    article = ArticleFactory(title="Tofersen news")
    Follow.objects.create(member=cal, discussion=article.discussion)
    held = comment(article.discussion, author=ana, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        held.approve(by=mod)
    kinds = dict(Notification.objects.values_list("recipient", "kind"))
    assert kinds == {cal.pk: "followed", ana.pk: "decision"}
    decision = Notification.objects.get(recipient=ana)
    assert decision.summary == "Your comment on “Tofersen news”: Published"


def test_a_removal_tells_the_author_with_its_public_reason_once_per_comment(
    django_capture_on_commit_callbacks,
):
    ana, mod = UserFactory(), UserFactory(is_staff=True)
    article = ArticleFactory(title="Tofersen news")
    said = comment(article.discussion, author=ana)
    reason = RemovalReason.objects.create(label="Medical advice")
    with django_capture_on_commit_callbacks(execute=True):
        said.hold(reason="reports", by=None)
    Notification.objects.update(read_at="2026-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.get(pk=said.pk).remove(by=mod, public_reason=reason)
    note = Notification.objects.get()
    assert note.read_at is None  # a new decision: unread again
    assert note.summary == (
        "Your comment on “Tofersen news”: Removed by a moderator · Medical advice"
    )


def test_deleting_ones_own_comment_notifies_nobody(django_capture_on_commit_callbacks):
    ana = UserFactory()
    said = comment(ArticleFactory().discussion, author=ana)
    with django_capture_on_commit_callbacks(execute=True):
        said.delete_by_author(by=ana)
    assert not Notification.objects.exists()


def test_ten_thousand_followers_cost_the_request_nothing_and_the_task_bulk_inserts(
    client, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    article = ArticleFactory()
    writer = UserFactory()
    client.force_login(writer)
    write(client, writer, article.discussion, "Warm-up comment")  # first-post steps
    Comment.objects.update(created_at="2026-01-01T00:00Z")  # out of the rate limit

    def posting_queries(body):
        with CaptureQueriesContext(connection) as counted:
            with_commit = client.post(
                reverse("comments:post", args=[article.discussion.pk]),
                {"body": body, "token": str(uuid.uuid4()), "homepage": ""},
            )
        assert with_commit.status_code == 302
        Comment.objects.update(created_at="2026-01-01T00:00Z")
        return len(counted.captured_queries)

    without_followers = posting_queries("Before anyone follows")
    members = User.objects.bulk_create(
        User(email=f"f{n}@example.org", display_name=f"F{n}") for n in range(10_000)
    )
    Follow.objects.bulk_create(
        Follow(member=member, discussion=article.discussion) for member in members
    )
    assert posting_queries("Now 10,000 follow") == without_followers
    new = Comment.objects.get(body="Now 10,000 follow")
    with CaptureQueriesContext(connection) as fan_out:
        rows = notify(new)
    assert len(rows) == 10_000 and Notification.objects.count() == 10_000
    inserts = [q for q in fan_out.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 10  # batches of 1,000
    # The discussion, its page (for a topic's author), the followers and the
    # members who muted the author.
    assert len(fan_out.captured_queries) - len(inserts) == 4


@pytest.mark.parametrize("decide", ["remove", "keep"])
def test_reporters_hear_that_their_report_was_reviewed(
    decide, django_capture_on_commit_callbacks
):
    ana, rosa, mod = UserFactory(), UserFactory(), UserFactory(is_staff=True)
    article = ArticleFactory(title="Tofersen news")
    said = comment(article.discussion, author=ana, body="Stop your medicine")
    report_comment(comment=said, reporter=rosa, reason=Report.Reason.MISINFORMATION)
    reason = RemovalReason.objects.create(label="Medical advice")
    with django_capture_on_commit_callbacks(execute=True):
        if decide == "remove":
            said.remove(by=mod, public_reason=reason)
        else:
            said.keep(by=mod)
    note = Notification.objects.get(recipient=rosa)
    assert note.kind == Notification.Kind.REPORT
    shown = (
        "Removed by a moderator · Medical advice" if decide == "remove" else "Published"
    )
    assert note.summary == (
        f"The comment you reported on “Tofersen news” was reviewed: {shown}"
    )


def test_a_deleted_account_hears_of_nothing_and_is_emailed_nothing(
    client, settings, django_capture_on_commit_callbacks
):
    ana = UserFactory(
        display_name="Ana", email_choices=dict.fromkeys(Notification.Kind.values, "now")
    )
    ben, mod = UserFactory(display_name="Ben"), UserFactory(is_staff=True)
    room = forums_make.category()
    topic = forums_make.topic(room, author=ana)
    CategoryFollow.objects.create(member=ana, category=room)
    article = ArticleFactory()
    said = comment(article.discussion, author=ana, created_at=an_hour_ago())
    Follow.objects.create(member=ana, discussion=article.discussion)
    delete_account(ana, keep_posts=True)
    assert not Follow.objects.filter(member=ana).exists()
    assert not CategoryFollow.objects.filter(member=ana).exists()
    with django_capture_on_commit_callbacks(execute=True):
        # A reply to what they wrote, a mention of the name their posts show,
        # a reply in the topic they started, a new topic where they followed,
        # a reaction to their comment and a moderator's decision on it.
        forums_make.topic(room, author=ben)
        write(client, ben, article.discussion, "Hello @Former member", parent=said)
        forums_make.reply(topic, author=ben)
        react_to_comment(comment=said, member=ben, kind="thinking")
        reason = RemovalReason.objects.create(label="Off topic")
        Comment.objects.get(pk=said.pk).remove(by=mod, public_reason=reason)
    assert Comment.objects.filter(author=ben).count() == 3
    assert not Notification.objects.filter(recipient=ana).exists()
    assert read_mail(settings) == []
