import email
import email.policy
import re
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from accounts.emails import (
    email_member,
    read_unsubscribe_token,
    send_digest,
    send_digests,
    unsubscribe_token,
)
from accounts.models import EmailChoice, Follow, Notification
from comments.models import Comment, ModerationSettings, RemovalReason, Report
from comments.services import report_comment
from tests.accounts.queue import clock_at, run_due
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALL_OFF = dict.fromkeys(Notification.Kind.values, "off")
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE
    settings.SITE_DOMAIN = "kindred.example"


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def ana():
    return UserFactory(display_name="Ana", email="ana@example.org")


@pytest.fixture
def article():
    return ArticleFactory(title="Tofersen one year on")


def reply(client, author, parent, body, capture):
    client.force_login(author)
    with capture(execute=True):
        client.post(
            reverse("comments:reply", args=[parent.pk]),
            {"body": body, "token": str(uuid.uuid4()), "homepage": ""},
            REMOTE_ADDR=f"10.0.0.{author.pk % 250}",  # each writer their own pace
        )
    return Comment.objects.get(body=body)


def parsed(mail_text):
    return email.message_from_string(mail_text, policy=email.policy.default)


def parts(message):
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_a_reply_is_emailed_with_a_one_click_unsubscribe(
    client, settings, ana, article, django_capture_on_commit_callbacks
):
    mine = comment(article.discussion, author=ana, body="Our clinic starts soon.")
    answer = reply(
        client,
        UserFactory(display_name="Ben"),
        mine,
        "Which clinic?",
        django_capture_on_commit_callbacks,
    )
    [mail] = read_mail(settings)
    message = parsed(mail)
    assert message["To"] == "ana@example.org"
    assert (
        message["Subject"].strip()
        == "[Kindred] Ben replied to you on “Tofersen one year on”"
    )
    unsubscribe = re.fullmatch(
        r"<(https://kindred\.example/\S+)>", message["List-Unsubscribe"].strip()
    )
    assert (
        unsubscribe and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    text, html = parts(message)["text/plain"], parts(message)["text/html"]
    note = Notification.objects.get(recipient=ana)
    link = f"https://kindred.example{answer.get_absolute_url()}"
    for body in (text, html):
        assert "Which clinic?" in body and link in body and "Kindred" in body
        assert unsubscribe.group(1) in body
    assert note.comment == answer and note.emailed_at is not None


def test_no_email_for_ones_own_post_held_or_removed_content(
    client, settings, ana, article, django_capture_on_commit_callbacks
):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    mine = comment(article.discussion, author=ana, created_at=an_hour_ago)
    reply(client, ana, mine, "Adding to my own", django_capture_on_commit_callbacks)
    ModerationSettings.objects.update(hold_first_comments=True)
    reply(client, UserFactory(), mine, "Held words", django_capture_on_commit_callbacks)
    assert Comment.objects.get(body="Held words").status == Comment.Status.PENDING
    removed = comment(article.discussion, parent=mine, author=UserFactory())
    Notification.objects.create(recipient=ana, kind="reply", comment=removed)
    Comment.objects.filter(pk=removed.pk).update(status=Comment.Status.REMOVED)
    assert email_member.call(ana.pk, article.discussion_id) == 0
    assert read_mail(settings) == []


def test_at_most_one_email_per_discussion_per_hour_later_replies_fold_in(
    settings, ana, article
):
    settings.TASKS = DUMMY
    t0 = timezone.now()
    mine = comment(article.discussion, author=ana)
    first = comment(article.discussion, parent=mine, author=UserFactory(), body="One")
    Notification.objects.create(recipient=ana, kind="reply", comment=first)
    with clock_at(t0):
        assert email_member.call(ana.pk, article.discussion_id) == 1
    for minutes, body in ((10, "Two"), (50, "Three")):
        later = comment(
            article.discussion, parent=mine, author=UserFactory(), body=body
        )
        Notification.objects.create(recipient=ana, kind="reply", comment=later)
        with clock_at(t0 + timedelta(minutes=minutes)):
            assert email_member.call(ana.pk, article.discussion_id) == 0  # held back
    [deferred, *_] = default_task_backend.results
    assert deferred.task.run_after == t0 + timedelta(hours=1)
    assert len(read_mail(settings)) == 1
    run_due(t0 + timedelta(minutes=59))
    assert len(read_mail(settings)) == 1
    run_due(t0 + timedelta(hours=1))
    assert len(read_mail(settings)) == 2
    second = parsed(read_mail(settings)[-1])
    assert (
        second["Subject"].strip()
        == "[Kindred] 2 new comments on “Tofersen one year on”"
    )
    assert (
        "Two" in parts(second)["text/plain"] and "Three" in parts(second)["text/plain"]
    )


def test_a_failed_send_is_retried_and_loses_nothing(settings, ana, article):
    settings.TASKS = DUMMY
    mine = comment(article.discussion, author=ana)
    answer = comment(article.discussion, parent=mine, author=UserFactory())
    note = Notification.objects.create(recipient=ana, kind="reply", comment=answer)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")
    ):
        with pytest.raises(OSError):
            email_member.call(ana.pk, article.discussion_id)
    note.refresh_from_db()
    assert note.emailed_at is None
    [retry] = default_task_backend.results
    assert retry.args == [ana.pk, article.discussion_id, 2]
    assert retry.task.run_after > timezone.now()
    assert email_member.call(*retry.args) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_an_email_is_marked_sent_before_it_goes_so_it_never_goes_twice(
    settings, ana, article
):
    # A worker killed just after sending (or the database lost before the
    # mark) must not leave it unmarked: the retry would send it again.
    settings.TASKS = DUMMY
    mine = comment(article.discussion, author=ana)
    answer = comment(article.discussion, parent=mine, author=UserFactory())
    note = Notification.objects.create(recipient=ana, kind="reply", comment=answer)
    marked_when_sent = []

    def send(message):
        marked_when_sent.append(Notification.objects.get(pk=note.pk).emailed_at)
        raise SystemExit  # the worker dies with the email gone

    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", send),
        pytest.raises(SystemExit),
    ):
        email_member.call(ana.pk, article.discussion_id)
    assert marked_when_sent[0] is not None
    assert email_member.call(ana.pk, article.discussion_id) == 0
    assert read_mail(settings) == []


def test_followers_are_emailed_only_when_they_asked(
    client, settings, ana, article, django_capture_on_commit_callbacks
):
    Follow.objects.create(member=ana, discussion=article.discussion)
    cal = UserFactory(email="cal@example.org")
    Follow.objects.create(member=cal, discussion=article.discussion)
    client.force_login(cal)
    client.post(
        reverse("accounts:emails"),
        {**ALL_OFF, "reply": "now", "followed": "now"},
    )
    top = comment(article.discussion, author=UserFactory())
    reply(
        client,
        UserFactory(),
        top,
        "News for followers",
        django_capture_on_commit_callbacks,
    )
    emailed = {parsed(mail)["To"] for mail in read_mail(settings)}
    assert "cal@example.org" in emailed and "ana@example.org" not in emailed
    assert Notification.objects.filter(recipient=ana).exists()  # in the site only


def unsubscribe_link(settings):
    header = parsed(read_mail(settings)[-1])["List-Unsubscribe"].strip()
    return re.fullmatch(r"<https://kindred\.example(/\S+)>", header).group(1)


@pytest.mark.parametrize("logged_in_as", [None, "ana", "someone else"])
def test_one_click_unsubscribe_from_the_mail_file(settings, ana, article, logged_in_as):
    settings.TASKS = DUMMY
    mine = comment(article.discussion, author=ana)
    answer = comment(article.discussion, parent=mine, author=UserFactory())
    Notification.objects.create(recipient=ana, kind="reply", comment=answer)
    email_member.call(ana.pk, article.discussion_id)
    link = unsubscribe_link(settings)
    client = Client(enforce_csrf_checks=True)
    if logged_in_as:
        client.force_login(ana if logged_in_as == "ana" else UserFactory())
    page = client.get(link)
    assert page.status_code == 200 and "Stop emails?" in page.content.decode()
    ana.refresh_from_db()
    assert ana.email_choice("reply") == EmailChoice.NOW  # opening it changes nothing
    # What a mail program sends for RFC 8058: a POST, no cookie, no CSRF token.
    done = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    ana.refresh_from_db()
    assert ana.email_choice("reply") == EmailChoice.OFF


def test_a_tampered_unsubscribe_link_is_refused(client, ana):
    token = unsubscribe_token(ana, ["reply"])
    other = UserFactory()
    forged = (
        unsubscribe_token(other, ["reply"]).split(":")[0] + ":" + token.split(":", 1)[1]
    )
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = client.post(reverse("accounts:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    ana.refresh_from_db()
    assert ana.email_choices == {}


def test_email_choices_are_saved_per_kind(client, ana):
    client.force_login(ana)
    page = client.get(reverse("accounts:emails")).content.decode()
    assert "Replies to my comments and topics" in page
    client.post(
        reverse("accounts:emails"),
        {**ALL_OFF, "reply": "digest", "mention": "now"},
    )
    ana.refresh_from_db()
    assert [ana.email_choice(kind) for kind in ("reply", "mention", "followed")] == [
        "digest",
        "now",
        "off",
    ]


def test_a_daily_digest_gathers_what_waits_from_every_discussion(settings, ana):
    settings.TASKS = DUMMY
    ana.email_choices = {"reply": "digest", "followed": "digest"}
    ana.save()
    for title in ("Tofersen news", "Feeding tubes"):
        mine = comment(ArticleFactory(title=title).discussion, author=ana)
        answer = comment(mine.discussion, parent=mine, body=f"Answer on {title}")
        Notification.objects.create(recipient=ana, kind="reply", comment=answer)
    other = UserFactory()  # emailed at once: not in any digest
    Notification.objects.create(recipient=other, kind="reply", comment=answer)
    assert send_digests.call() == 1
    [queued] = default_task_backend.results
    assert queued.args == [ana.pk]
    assert send_digest.call(ana.pk) == 2
    [mail] = read_mail(settings)
    message = parsed(mail)
    assert message["Subject"].strip() == "[Kindred] Your daily digest: 2 new comments"
    text = parts(message)["text/plain"]
    assert "Answer on Tofersen news" in text and "Answer on Feeding tubes" in text
    assert send_digest.call(ana.pk) == 0  # sent once
    assert "reply" in unquote_token(message)


def unquote_token(message):
    """The kinds an email's unsubscribe link stops."""
    link = message["List-Unsubscribe"].strip()[1:-1]
    token = link.rstrip("/").rsplit("/", 1)[1]
    return read_unsubscribe_token(token)[1]


def test_a_decision_is_emailed_to_an_author_who_asked(
    settings, ana, article, django_capture_on_commit_callbacks
):
    ana.email_choices = {"decision": "now"}
    ana.save()
    held = comment(article.discussion, author=ana, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        held.approve(by=UserFactory(is_staff=True))
    [mail] = read_mail(settings)
    subject = parsed(mail)["Subject"].strip()
    assert subject == "[Kindred] Your comment on “Tofersen one year on”: Published"


@pytest.mark.parametrize("decision", ["hold", "remove"])
def test_a_hold_or_removal_is_emailed_to_its_author_without_the_words(
    decision, settings, ana, article, django_capture_on_commit_callbacks
):
    ana.email_choices = {"decision": "now"}
    ana.save()
    said = comment(article.discussion, author=ana, body="Stop your medicine now")
    mod = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "hold":
            said.hold(reason="checking a source", by=mod)
        else:
            reason = RemovalReason.objects.create(label="Medical advice")
            said.remove(by=mod, public_reason=reason)
    [mail] = read_mail(settings)
    message = parsed(mail)
    shown = {
        "hold": "Awaiting moderation",
        "remove": "Removed by a moderator · Medical advice",
    }[decision]
    summary = f"Your comment on “Tofersen one year on”: {shown}"
    assert message["To"] == "ana@example.org"
    assert message["Subject"].strip() == f"[Kindred] {summary}"
    note = Notification.objects.get(recipient=ana)
    assert note.summary == summary and note.emailed_at is not None
    link = f"https://kindred.example{said.get_absolute_url()}"
    text, html = parts(message)["text/plain"], parts(message)["text/html"]
    for body in (text, html):  # the words of the in-site list (ASCII parts)
        assert all(words in body for words in shown.split(" · "))
        assert link in body and "See it on the site" in body
        assert "Stop your medicine" not in body and "Read it and reply" not in body


def test_a_reporter_is_emailed_when_the_comment_they_reported_is_removed(
    settings, ana, article, django_capture_on_commit_callbacks
):
    rosa = UserFactory(email="rosa@example.org", email_choices={"report": "now"})
    said = comment(article.discussion, author=ana, body="Stop your medicine now")
    report_comment(comment=said, reporter=rosa, reason=Report.Reason.MISINFORMATION)
    reason = RemovalReason.objects.create(label="Medical advice")
    with django_capture_on_commit_callbacks(execute=True):
        said.remove(by=UserFactory(is_staff=True), public_reason=reason)
    to_rosa = [parsed(m) for m in read_mail(settings) if "rosa@example.org" in m]
    [message] = to_rosa
    assert message["Subject"].strip() == (
        "[Kindred] The comment you reported on “Tofersen one year on” was reviewed:"
        " Removed by a moderator · Medical advice"
    )
    for body in parts(message).values():
        assert "Removed by a moderator" in body and "Medical advice" in body
        assert "Stop your medicine" not in body
        # Not to the removed comment, which Rosa cannot open any more.
        assert said.get_absolute_url() not in body
        assert f"https://kindred.example{reverse('notifications:list')}" in body
    assert Notification.objects.get(recipient=rosa).emailed_at is not None


def test_a_digest_carries_a_decision_on_a_held_comment_but_no_reply_to_one(
    settings, ana, article
):
    settings.TASKS = DUMMY
    ana.email_choices = {"decision": "digest", "reply": "digest"}
    ana.save()
    mine = comment(article.discussion, author=ana, body="My own held words")
    Notification.objects.create(recipient=ana, kind="decision", comment=mine)
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.PENDING)
    other = comment(article.discussion, author=UserFactory())
    held = comment(article.discussion, parent=other, status=Comment.Status.PENDING)
    Notification.objects.create(recipient=ana, kind="reply", comment=held)
    assert send_digests.call() == 1
    assert send_digest.call(ana.pk) == 1
    [mail] = read_mail(settings)
    text = parts(parsed(mail))["text/plain"]
    assert "Tofersen one year on" in text and "Awaiting moderation" in text
    assert "My own held words" not in text and "Hello there" not in text
    assert Notification.objects.get(kind="reply").emailed_at is None


def test_a_held_reply_still_emails_nobody_whoever_wants_decisions(
    client, settings, ana, article, django_capture_on_commit_callbacks
):
    ana.email_choices = {"reply": "now", "decision": "now", "report": "now"}
    ana.save()
    mine = comment(article.discussion, author=ana)
    ModerationSettings.objects.update(hold_first_comments=True)
    ben = UserFactory(display_name="Ben", email_choices={"decision": "now"})
    held = reply(client, ben, mine, "Held words", django_capture_on_commit_callbacks)
    assert held.status == Comment.Status.PENDING
    # Even a reply notification made before it was held is not emailed.
    Notification.objects.create(recipient=ana, kind="reply", comment=held)
    assert email_member.call(ana.pk, article.discussion_id) == 0
    # Only Ben, who asked for decisions, hears that his own reply is held.
    [mail] = read_mail(settings)
    message = parsed(mail)
    assert message["To"] == ben.email
    assert message["Subject"].strip() == (
        "[Kindred] Your comment on “Tofersen one year on”: Awaiting moderation"
    )
    assert all("Held words" not in body for body in parts(message).values())
    assert send_digests.call() == 0
