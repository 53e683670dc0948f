"""At most one email per discussion per hour per member, whatever the kind of
notification, and nothing sent about content that stopped being public before
its email went. The clock is moved and the queued tasks run when they are due
(tests/accounts/queue.py)."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.emails import send_digest
from accounts.models import Mute, Notification
from comments.models import Comment, ModerationSettings, RemovalReason, Report
from comments.posting import Submission, Verdict
from comments.services import react_to_comment, report_comment, store_comment
from tests.accounts.queue import DUMMY, clock_at, run_due
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make as forums_make

pytestmark = pytest.mark.django_db
EVERY_KIND_AT_ONCE = dict.fromkeys(Notification.Kind.values, "now")


@pytest.fixture(autouse=True)
def queue(settings):
    settings.TASKS = DUMMY
    settings.SITE_DOMAIN = "kindred.example"
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def t0():
    return timezone.now()


@pytest.fixture
def ana():
    return forums_make.verified(
        display_name="Ana", email="ana@example.org", email_choices=EVERY_KIND_AT_ONCE
    )


@pytest.fixture
def mod():
    return forums_make.in_group("Moderators", display_name="Sam")


def mail_to_ana(settings):
    found = [
        email.message_from_string(text, policy=email.policy.default)
        for text in read_mail(settings)
    ]
    return [message for message in found if message["To"] == "ana@example.org"]


def subjects(settings):
    return [message["Subject"].strip() for message in mail_to_ana(settings)]


def answer(capture, at, parent, body, author=None, discussion=None):
    """A published reply stored as the site stores one, at `at`, its tasks run."""
    submission = Submission(
        discussion=discussion or parent.discussion,
        body=body,
        author=author or UserFactory(display_name="Ben"),
        parent=parent,
    )
    with clock_at(at), capture(execute=True):
        made = store_comment(submission=submission, verdict=Verdict("publish"))
    run_due(at)
    return made


def act(capture, at, action):
    """`action` (a moderator's or a member's) done at `at`, its tasks run."""
    with clock_at(at), capture(execute=True):
        action()
    run_due(at)


# Each: what happens to Ana's things in the discussion after a reply emailed
# her; the notification it makes.
def approve(world):
    return lambda: world["held"].approve(by=world["mod"])


def hold(world):
    return lambda: world["mine"].hold(reason="checking a source", by=world["mod"])


def remove(world):
    reason = RemovalReason.objects.create(label="Medical advice")
    return lambda: world["mine"].remove(by=world["mod"], public_reason=reason)


def react(world):
    return lambda: react_to_comment(
        comment=world["mine"], member=UserFactory(), kind="thinking"
    )


def review_report(world):
    report_comment(
        comment=world["other"], reporter=world["ana"], reason=Report.Reason.OTHER
    )
    return lambda: world["other"].remove(by=world["mod"], reason="Spam")


LATER = {
    "approved": (approve, Notification.Kind.DECISION),
    "held": (hold, Notification.Kind.DECISION),
    "removed with its reason": (remove, Notification.Kind.DECISION),
    "reaction": (react, Notification.Kind.REACTION),
    "report reviewed": (review_report, Notification.Kind.REPORT),
}


@pytest.mark.parametrize("later", LATER)
def test_any_later_email_about_the_discussion_waits_for_the_hour(
    later, settings, ana, mod, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    article = ArticleFactory(title="Tofersen news")
    world = {
        "ana": ana,
        "mod": mod,
        "mine": comment(article.discussion, author=ana, body="Our clinic"),
        "held": comment(article.discussion, author=ana, status=Comment.Status.PENDING),
        "other": comment(article.discussion, author=UserFactory()),
    }
    answer(capture, t0, world["mine"], "Which clinic?")
    assert subjects(settings) == ["[Kindred] Ben replied to you on “Tofersen news”"]
    make, kind = LATER[later]
    act(capture, t0 + timedelta(minutes=10), make(world))
    note = Notification.objects.get(recipient=ana, kind=kind)  # in the site at once
    assert note.emailed_at is None and len(mail_to_ana(settings)) == 1
    run_due(t0 + timedelta(minutes=59))
    assert len(mail_to_ana(settings)) == 1
    run_due(t0 + timedelta(minutes=60))
    assert subjects(settings)[1:] == [f"[Kindred] {note.summary}"]
    note.refresh_from_db()
    assert note.emailed_at == t0 + timedelta(minutes=60)


def test_a_second_decision_on_one_comment_waits_for_the_hour_of_the_first(
    settings, ana, mod, t0, django_capture_on_commit_callbacks
):
    # One notification per comment for decisions, brought back by each: it
    # once made the hour forget the first email.
    capture = django_capture_on_commit_callbacks
    mine = comment(ArticleFactory(title="Tofersen news").discussion, author=ana)
    act(capture, t0, lambda: mine.hold(reason="a link", by=mod))
    act(capture, t0 + timedelta(minutes=5), lambda: mine.approve(by=mod))
    act(capture, t0 + timedelta(minutes=50), lambda: mine.hold(reason="again", by=mod))
    assert subjects(settings) == [
        "[Kindred] Your comment on “Tofersen news”: Awaiting moderation"
    ]
    run_due(t0 + timedelta(minutes=60))
    assert subjects(settings)[1:] == [
        "[Kindred] Your comment on “Tofersen news”: Awaiting moderation"
    ]
    assert len(mail_to_ana(settings)) == 2


def test_removing_and_restoring_a_topic_within_the_hour_is_one_more_email(
    settings, ana, mod, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    topic = forums_make.topic(author=ana, title="Dosing tips")
    answer(capture, t0, topic.opening_post, "Thank you", discussion=topic.discussion)
    act(
        capture,
        t0 + timedelta(minutes=10),
        lambda: topic.remove(by=mod, reason="Unsafe advice"),
    )
    act(capture, t0 + timedelta(minutes=20), lambda: topic.restore(by=mod))
    assert subjects(settings) == ["[Kindred] Ben replied to you on “Dosing tips”"]
    run_due(t0 + timedelta(minutes=61))
    assert subjects(settings)[1:] == ["[Kindred] Your topic “Dosing tips”: Published"]


def test_replies_and_a_decision_of_one_hour_fold_into_one_email(
    settings, ana, mod, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    article = ArticleFactory(title="Tofersen news")
    mine = comment(article.discussion, author=ana)
    answer(capture, t0, mine, "First answer")
    answer(capture, t0 + timedelta(minutes=5), mine, "Second answer")
    act(capture, t0 + timedelta(minutes=9), lambda: mine.hold(reason="x", by=mod))
    run_due(t0 + timedelta(minutes=60))
    [first, folded] = mail_to_ana(settings)
    assert folded["Subject"].strip() == (
        "[Kindred] 2 notifications about “Tofersen news”"
    )
    text = folded.get_body(("plain",)).get_content()
    assert "Second answer" in text and "Awaiting moderation" in text


def test_a_digest_starts_the_hour_of_each_discussion_it_told_of(
    settings, ana, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ana.email_choices = {"reply": "now", "mention": "digest"}
    ana.save()
    article = ArticleFactory(title="Tofersen news")
    mine = comment(article.discussion, author=ana)
    named = comment(article.discussion, author=UserFactory(), body="Ask @Ana")
    Notification.objects.create(recipient=ana, kind="mention", comment=named)
    with clock_at(t0):
        assert send_digest.call(ana.pk) == 1
    answer(capture, t0 + timedelta(minutes=30), mine, "Which clinic?")
    assert subjects(settings) == ["[Kindred] Your daily digest: 1 new comment"]
    run_due(t0 + timedelta(minutes=60))
    assert subjects(settings)[1:] == ["[Kindred] Ben replied to you on “Tofersen news”"]


# What may change in the hour an email waits: it is then not sent (and stays
# in the notification list).
def reply_removed(world):
    world["reply"].remove(by=world["mod"], reason="Spam")


def reply_held(world):
    world["reply"].hold(reason="checking", by=world["mod"])


def topic_removed(world):
    world["topic"].remove(by=world["mod"], reason="Off topic")


def article_unpublished(world):
    world["article"].status = "draft"
    world["article"].save()


def ana_stopped_these_emails(world):
    world["ana"].email_choices = {"followed": "off"}
    world["ana"].save()


def ana_muted_the_author(world):
    Mute.objects.create(muter=world["ana"], muted=world["reply"].author)


def ana_left(world):
    world["ana"].is_active = False
    world["ana"].save()


ON_BOTH = [
    reply_removed,
    reply_held,
    ana_stopped_these_emails,
    ana_muted_the_author,
    ana_left,
]
GONE = [
    *[(where, change) for where in ("topic", "article") for change in ON_BOTH],
    ("topic", topic_removed),
    ("article", article_unpublished),
]


@pytest.mark.parametrize(
    "where, change", GONE, ids=[f"{w}-{c.__name__}" for w, c in GONE]
)
def test_a_waiting_email_is_not_sent_once_it_may_not_go(
    change, where, settings, ana, mod, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    topic = forums_make.topic(title="Dosing tips")
    article = ArticleFactory(title="Dosing tips")
    discussion = (topic if where == "topic" else article).discussion
    ana.follows.create(discussion=discussion)
    top = comment(discussion, author=UserFactory())
    answer(capture, t0, top, "First news", author=UserFactory(display_name="Cal"))
    later = answer(capture, t0 + timedelta(minutes=5), top, "Later news")
    world = {
        "ana": ana,
        "mod": mod,
        "topic": topic,
        "article": article,
        "reply": later,
    }
    act(capture, t0 + timedelta(minutes=10), lambda: change(world))
    run_due(t0 + timedelta(minutes=61))
    assert subjects(settings) == [
        "[Kindred] Cal commented on “Dosing tips”, which you follow"
    ]
    assert Notification.objects.filter(recipient=ana, comment=later).exists()


def test_a_waiting_email_goes_when_the_topic_was_restored_in_the_hour(
    settings, ana, mod, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    topic = forums_make.topic(title="Dosing tips")
    ana.follows.create(discussion=topic.discussion)
    top = topic.opening_post
    answer(capture, t0, top, "First news")
    answer(capture, t0 + timedelta(minutes=5), top, "Later news")
    act(capture, t0 + timedelta(minutes=10), lambda: topic.remove(by=mod, reason="x"))
    act(capture, t0 + timedelta(minutes=20), lambda: topic.restore(by=mod))
    run_due(t0 + timedelta(minutes=61))
    assert len(mail_to_ana(settings)) == 2
    assert "Later news" in mail_to_ana(settings)[1].as_string()


def test_the_list_does_not_send_anyone_to_content_taken_down(
    client, ana, mod, t0, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    topic = forums_make.topic(title="Dosing tips")
    article = ArticleFactory(title="Tofersen news")
    mine = comment(article.discussion, author=ana, body="Mine")
    removed = answer(capture, t0, mine, "Words removed later")
    kept = answer(capture, t0, mine, "Words that stay")
    in_topic = answer(
        capture,
        t0,
        topic.opening_post,
        "Words in a topic removed later @Ana",
        discussion=topic.discussion,
    )
    removed.remove(by=mod, reason="Spam")
    topic.remove(by=mod, reason="Off topic")
    client.force_login(ana)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Words that stay" in page
    assert "Words removed later" not in page and "Words in a topic" not in page
    assert page.count("This comment is no longer public.") == 2
    assert page.count("Open the comment") == 1
    for gone in (removed, in_topic):
        note = Notification.objects.get(recipient=ana, comment=gone)
        response = client.get(note.get_absolute_url(), follow=True)
        assert response.redirect_chain[0][0] == reverse("notifications:list")
        assert "This comment is no longer public." in response.content.decode()
        note.refresh_from_db()
        assert note.read_at is not None
    note = Notification.objects.get(recipient=ana, comment=kept)
    assert client.get(note.get_absolute_url())["Location"] == kept.get_absolute_url()
