"""A moderator's decision reaches the author of the content, through the views
moderators really use: the admin's queues and actions for comments, the topic
page's tools for a whole forum topic. The notification names the decision and
its public reason; an email goes only to an author who chose email for
decisions, and never quotes what is not public."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from comments.models import Comment, ModerationSettings
from comments.models.transitions import BY_VERB
from tests.accounts.queue import DUMMY, run_due
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make as forums_make

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WORDS = "Stop your medicine now"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE
    settings.SITE_DOMAIN = "kindred.example"
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def moderator(client):
    person = forums_make.in_group("Moderators", display_name="Sam")
    client.force_login(person)
    return person


def author(wants_email):
    choices = {"decision": "now"} if wants_email else {}
    return UserFactory(
        display_name="Ana", email="ana@example.org", email_choices=choices
    )


def mail_to_ana(settings):
    found = [
        email.message_from_bytes(text.encode(), policy=email.policy.default)
        for text in read_mail(settings)
    ]
    return [message for message in found if message["To"] == "ana@example.org"]


def told(settings, ana, summary, wants_email):
    """Ana's one notification says `summary`; she is emailed it only if she
    asked, in its words and without the comment's."""
    note = Notification.objects.get(recipient=ana)
    assert (note.kind, note.read_at) == (Notification.Kind.DECISION, None)
    assert note.summary == summary
    sent = mail_to_ana(settings)
    if not wants_email:
        assert sent == [] and note.emailed_at is None
        return
    [message] = sent
    assert message["Subject"].strip() == f"[Kindred] {summary}"
    text = message.get_body(("plain",)).get_content()
    assert summary.split(": ", 1)[1] in text
    assert note.emailed_at is not None
    if "Published" not in summary:
        assert WORDS not in message.as_string()


def admin_decide(client, target, decision, queue="pendingcomment", **data):
    url = reverse(f"admin:comments_{queue}_decide", args=[target.pk])
    return client.post(f"{url}?seen={target.status}", {"decision": decision, **data})


ROW_DECISIONS = {
    # decision: (status before, the row's reason fields, the words Ana reads)
    "approve": ("pending", {}, "Published"),
    "reject": ("pending", {"reason": "Spam"}, "Rejected · Spam"),
    "mark_spam": ("published", {}, "Spam"),
    "remove": (
        "published",
        {"reason": "Medical misinformation", "note": "Ask your clinic."},
        "Removed by a moderator · Medical misinformation",
    ),
}


@pytest.mark.parametrize("wants_email", [False, True], ids=["default", "email"])
@pytest.mark.parametrize("decision", ROW_DECISIONS)
def test_a_decision_from_the_admin_queue_tells_the_author_with_its_reason(
    decision,
    wants_email,
    client,
    settings,
    moderator,
    django_capture_on_commit_callbacks,
):
    ana = author(wants_email)
    article = ArticleFactory(title="Tofersen news")
    status, fields, words = ROW_DECISIONS[decision]
    target = comment(article.discussion, author=ana, body=WORDS, status=status)
    row = {f"{name}-{target.pk}": value for name, value in fields.items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_decide(client, target, decision, **row)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == BY_VERB[decision].to
    assert target.moderation_records.get().actor == moderator
    told(settings, ana, f"Your comment on “Tofersen news”: {words}", wants_email)
    client.force_login(ana)  # and on the site
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"Your comment on “Tofersen news”: {words}" in page


@pytest.mark.parametrize("wants_email", [False, True], ids=["default", "email"])
def test_a_batch_removal_with_one_reason_tells_each_author(
    wants_email, client, settings, moderator, django_capture_on_commit_callbacks
):
    ana, ben = author(wants_email), UserFactory()
    article = ArticleFactory(title="Tofersen news")
    targets = [
        comment(article.discussion, author=person, body=WORDS) for person in (ana, ben)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:comments_comment_changelist"),
            {
                "action": "remove",
                "_selected_action": [target.pk for target in targets],
                "apply": "1",
                "reason": "Personal attack",
            },
        )
    assert set(Comment.objects.values_list("status", flat=True)) == {"removed"}
    summary = (
        "Your comment on “Tofersen news”: Removed by a moderator · Personal attack"
    )
    told(settings, ana, summary, wants_email)
    assert Notification.objects.get(recipient=ben).summary == summary


@pytest.mark.parametrize("wants_email", [False, True], ids=["default", "email"])
def test_removing_a_topic_from_its_page_tells_its_author_why_and_restoring_it_too(
    wants_email, client, settings, moderator, django_capture_on_commit_callbacks
):
    ana = author(wants_email)
    topic = forums_make.topic(author=ana, title="Dosing tips", body=WORDS)
    url = reverse("forums:moderate", args=[topic.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "remove", "reason": "Unsafe advice"})
    assert response.status_code == 302
    summary = "Your topic “Dosing tips”: Removed by a moderator · Unsafe advice"
    told(settings, ana, summary, wants_email)
    client.force_login(ana)
    page = client.get(reverse("notifications:list")).content.decode()
    assert summary in page and WORDS in page  # her own words, to her only
    client.force_login(moderator)
    settings.TASKS = DUMMY  # keeps the email deferred by the hour (run_due)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "restore"})
    run_due(timezone.now())
    note = Notification.objects.get(recipient=ana)  # the same one, brought back
    assert note.summary == "Your topic “Dosing tips”: Published"
    assert note.read_at is None
    # Each decision is news of its own, to an author who asked: the second, in
    # the hour of the first email about the topic, goes when the hour is up.
    assert len(mail_to_ana(settings)) == (1 if wants_email else 0)
    run_due(timezone.now() + timedelta(hours=1))
    assert len(mail_to_ana(settings)) == (2 if wants_email else 0)


def test_a_topic_removal_without_a_reason_tells_nobody(
    client, moderator, django_capture_on_commit_callbacks
):
    ana = author(True)
    topic = forums_make.topic(author=ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:moderate", args=[topic.pk]), {"action": "remove"}
        )
    assert response.status_code == 400
    assert "Give a reason: the author will see it." in response.content.decode()
    assert not Notification.objects.exists()
