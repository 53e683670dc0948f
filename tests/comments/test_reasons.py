"""Reasons: readers see a decision, the author its public reason and a note,
moderators alone the rule and their own words."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments.models import Comment, ModerationRecord, ModerationSettings, RemovalReason
from comments.models.moderation import roughly
from comments.posting import Submission, judge
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory()


def reason(label):
    return RemovalReason.objects.get(label=label)


def thread(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<ol class="thread">') :]


def test_the_six_public_reasons_are_seeded_in_order():
    assert list(RemovalReason.objects.values_list("label", flat=True)) == [
        "Off-topic",
        "Personal attack",
        "Spam",
        "Medical misinformation",
        "Private information",
        "Other",
    ]


def test_readers_see_the_decision_and_its_public_reason_only(client, article):
    removed = comment(article.discussion, body="Off-topic joke")
    comment(parent=removed, body="A reply that stays")
    removed.remove(
        by=UserFactory(),
        public_reason=reason("Off-topic"),
        note="Please keep to the trial here.",
        reason="third joke this week",
    )
    html = thread(client, article)
    assert "Removed by a moderator · Off-topic" in html
    assert "Off-topic joke" not in html
    assert "Please keep to the trial" not in html and "third joke" not in html


def test_the_author_sees_the_public_reason_and_the_note_not_the_internal_reason(
    client, article
):
    author = UserFactory()
    removed = comment(article.discussion, author=author, body="My joke")
    removed.remove(
        by=UserFactory(),
        public_reason=reason("Off-topic"),
        note="Please keep to the trial here.",
        reason="third joke this week",
    )
    client.force_login(author)
    html = thread(client, article)
    assert "My joke" in html
    assert "Removed by a moderator · Off-topic" in html
    assert "Note from the moderators: Please keep to the trial here." in html
    assert "third joke" not in html


def test_moderators_see_the_internal_reason_in_the_thread(client, article):
    from django.contrib.auth.models import Group

    removed = comment(article.discussion, body="My joke")
    removed.remove(
        by=UserFactory(), public_reason=reason("Spam"), reason="third joke this week"
    )
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    html = thread(client, article, moderation="on")
    assert "For moderators: third joke this week" in html


@pytest.mark.parametrize(
    "rule_text",
    [
        "held: first comment from this author",
        "held: watched word “miracle”",
        "held: every comment by this author is held",
    ],
)
def test_a_held_author_reads_awaiting_moderation_and_never_the_rule(
    client, article, rule_text
):
    author = UserFactory()
    comment(
        article.discussion,
        author=author,
        body="Is this allowed?",
        status=Comment.Status.PENDING,
        status_reason=rule_text,
    )
    client.force_login(author)
    html = thread(client, article)
    assert "Is this allowed?" in html and "Awaiting moderation" in html
    assert "held:" not in html and "miracle" not in html


def decided_after(waited, *, now):
    """A held comment that a moderator approved `waited` after it was posted."""
    held = comment(status=Comment.Status.PENDING, created_at=now - waited)
    ModerationRecord.objects.create(
        comment=held,
        actor=UserFactory(),
        from_status=Comment.Status.PENDING,
        to_status=Comment.Status.PUBLISHED,
        created_at=now,
    )


def test_the_usual_wait_is_the_median_of_recent_decisions(client, article):
    now = timezone.now()
    for hours in (1, 2, 2, 3, 40):
        decided_after(timezone.timedelta(hours=hours), now=now)
    # A decision older than 30 days does not count.
    decided_after(timezone.timedelta(days=9), now=now - timezone.timedelta(days=31))
    assert ModerationRecord.objects.usual_wait() == timezone.timedelta(hours=2)
    author = UserFactory()
    comment(article.discussion, author=author, body="Waiting", status="pending")
    client.force_login(author)
    assert "usually reads held comments within about 2 hours" in thread(client, article)


def test_a_held_post_tells_the_author_how_long_it_usually_waits():
    ModerationSettings.objects.create(hold_first_comments=True)
    decided_after(timezone.timedelta(minutes=42), now=timezone.now())
    verdict = judge(
        Submission(
            discussion=ArticleFactory().discussion,
            body="First words here",
            guest_email="new@example.org",
            guest_name="New",
        )
    )
    assert verdict.action == "hold"
    assert "awaiting moderation" in verdict.message
    assert "about 40 minutes" in verdict.message
    assert "first comment" not in verdict.message
    assert verdict.reason == "held: first comment from this author"


def test_without_recent_decisions_the_author_is_told_soon():
    ModerationSettings.objects.create(hold_first_comments=True)
    verdict = judge(
        Submission(
            discussion=ArticleFactory().discussion,
            body="First words here",
            guest_email="new@example.org",
            guest_name="New",
        )
    )
    assert "a moderator will read it soon" in verdict.message


@pytest.mark.parametrize(
    "minutes, words",
    [(3, "about 5 minutes"), (52, "about 50 minutes"), (150, "about 2 hours")],
)
def test_waits_are_said_roughly(minutes, words):
    assert roughly(timezone.timedelta(minutes=minutes)) == words
    assert roughly(timezone.timedelta(days=4)) == "about 4 days"


def test_removing_needs_a_reason():
    target = comment()
    with pytest.raises(ValidationError):
        target.remove(by=UserFactory())
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED


HOSTILE = '<img src=x onerror="alert(1)">'


def test_hostile_names_reasons_and_notes_stay_text_in_a_rendered_thread(
    client, article
):
    hostile_reason = RemovalReason.objects.create(label=f"Rude {HOSTILE}")
    author = UserFactory(display_name=f"Mal {HOSTILE}")
    removed = comment(article.discussion, author=author, body="Words")
    comment(parent=removed, guest_name=f"Guest {HOSTILE}", body="Reply")
    removed.remove(
        by=UserFactory(),
        public_reason=hostile_reason,
        note=f"Note {HOSTILE}",
        reason=f"Internal {HOSTILE}",
    )
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    for reader in (None, author):
        if reader:
            client.force_login(reader)
        html = thread(client, article)
        assert HOSTILE not in html
        assert f"Removed by a moderator · Rude {escaped}" in html
        assert f"Guest {escaped}" in html
    assert f"Note {escaped}" in html and f"Mal {escaped}" in html


def test_moderators_keep_the_list_of_reasons_in_the_admin(client):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_removalreason_add"),
        {"label": "Unsourced claim", "position": 7, "is_active": "on"},
    )
    assert response.status_code == 302
    assert RemovalReason.objects.filter(label="Unsourced claim").exists()
    offtopic = RemovalReason.objects.get(label="Off-topic")
    url = reverse("admin:comments_removalreason_delete", args=[offtopic.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
