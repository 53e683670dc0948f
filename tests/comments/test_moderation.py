"""Transitions, their records, reports, restrictions and the moderation posting."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments import posting
from comments.models import (
    Comment,
    Discussion,
    ModerationRecord,
    ModerationSettings,
    ModerationWord,
    Report,
    Restriction,
)
from comments.posting import Submission
from comments.services import report_comment
from tests.comments.make import comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def submission(body="A kind word", **fields):
    fields.setdefault("discussion", Discussion.objects.create())
    fields.setdefault("guest_email", "new@example.com")
    return Submission(body=body, **fields)


def test_remove_records_who_when_why_and_keeps_replies():
    moderator = UserFactory()
    parent = comment()
    reply = comment(parent=parent)
    assert parent.remove(by=moderator, reason="Personal attack")
    parent.refresh_from_db()
    assert parent.status == Comment.Status.REMOVED
    assert parent.status_reason == "Personal attack"
    record = ModerationRecord.objects.get(comment=parent)
    assert (record.actor, record.from_status, record.to_status, record.reason) == (
        moderator,
        "published",
        "removed",
        "Personal attack",
    )
    assert record.created_at <= timezone.now()
    assert Comment.objects.filter(pk=reply.pk, parent=parent).exists()
    parent.discussion.refresh_from_db()
    assert parent.discussion.comment_count == 1


@pytest.mark.parametrize(
    "start, verb, kwargs, end",
    [
        ("pending", "approve", {}, "published"),
        ("pending", "reject", {"reason": "Off topic"}, "rejected"),
        ("pending", "mark_spam", {}, "spam"),
        ("published", "mark_spam", {}, "spam"),
        ("published", "remove", {"reason": "Abuse"}, "removed"),
        ("removed", "restore", {}, "published"),
        ("spam", "restore", {}, "published"),
        ("rejected", "approve", {}, "published"),
    ],
)
def test_each_transition_moves_the_status_and_is_recorded(start, verb, kwargs, end):
    moderator = UserFactory()
    target = comment(status=start)
    before = target.discussion.comment_count
    target.discussion.refresh_from_db()
    before = target.discussion.comment_count
    assert getattr(target, verb)(by=moderator, **kwargs)
    target.refresh_from_db()
    assert target.status == end
    record = target.moderation_records.get()
    assert (record.from_status, record.to_status, record.actor) == (
        start,
        end,
        moderator,
    )
    target.discussion.refresh_from_db()
    delta = (end == "published") - (start == "published")
    assert target.discussion.comment_count == before + delta


def test_approving_or_restoring_clears_the_reason():
    target = comment()
    target.remove(by=UserFactory(), reason="Abuse")
    target.restore(by=UserFactory())
    target.refresh_from_db()
    assert target.status_reason == ""


def test_a_transition_that_does_not_apply_changes_nothing():
    target = comment(status=Comment.Status.DELETED)
    assert not target.approve(by=UserFactory())
    assert not target.remove(by=UserFactory(), reason="x")
    target.refresh_from_db()
    assert target.status == Comment.Status.DELETED
    assert not ModerationRecord.objects.exists()


def test_reject_and_remove_need_a_reason():
    target = comment()
    with pytest.raises(ValidationError):
        target.remove(by=UserFactory(), reason="  ")
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED


def test_reports_are_once_per_member_and_hold_at_the_threshold():
    target = comment()
    members = [UserFactory() for _ in range(3)]
    assert report_comment(
        comment=target, reporter=members[0], reason=Report.Reason.SPAM
    )
    assert (
        report_comment(comment=target, reporter=members[0], reason=Report.Reason.SPAM)
        is None
    )
    assert report_comment(
        comment=target, reporter=members[1], reason=Report.Reason.ABUSIVE
    )
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED
    report_comment(
        comment=target, reporter=members[2], reason=Report.Reason.OTHER, note="Rude"
    )
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING
    assert target.status_reason == "held: reported by 3 members"
    assert target.moderation_records.get().rule == "reports"
    assert Report.objects.filter(comment=target).count() == 3


def test_report_threshold_is_a_setting():
    ModerationSettings.objects.create(reports_to_hold=1)
    target = comment()
    report_comment(comment=target, reporter=UserFactory(), reason=Report.Reason.SPAM)
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING


# Rules, each alone -------------------------------------------------------------


def test_banned_member_is_refused_with_the_reason():
    member = UserFactory()
    Restriction.objects.create(kind="ban", member=member, reason="Repeated abuse")
    verdict = posting.restricted(submission(author=member, guest_email=""))
    assert verdict.action == "refuse" and verdict.rule == "banned"
    assert "Repeated abuse" in verdict.message


def test_suspended_member_is_told_until_when_and_then_may_post_again():
    member = UserFactory()
    until = timezone.now() + timezone.timedelta(days=3)
    Restriction.objects.create(
        kind="suspend", member=member, until=until, reason="Cool off"
    )
    verdict = posting.restricted(submission(author=member, guest_email=""))
    assert verdict.action == "refuse" and verdict.rule == "suspended"
    assert "until" in verdict.message and "Cool off" in verdict.message
    later = submission(
        author=member, guest_email="", now=until + timezone.timedelta(seconds=1)
    )
    assert posting.restricted(later) is None


def test_blocked_guest_email_and_ip_are_refused():
    Restriction.objects.create(
        kind="ban", guest_email="spam@example.com", reason="Spam"
    )
    Restriction.objects.create(kind="ban", ip_address="203.0.113.9", reason="Spam")
    assert (
        posting.restricted(submission(guest_email="SPAM@example.com")).action
        == "refuse"
    )
    assert posting.restricted(submission(ip_address="203.0.113.9")).action == "refuse"
    assert posting.restricted(submission(ip_address="203.0.113.10")) is None


def test_hold_all_restriction_holds():
    member = UserFactory()
    Restriction.objects.create(kind="hold", member=member, reason="Watch")
    assert posting.restricted(submission(author=member)).action == "hold"


def test_blocked_words_match_whole_words_case_and_accents_folded():
    ModerationWord.objects.create(word="crétin", kind="blocked")
    verdict = posting.blocked_words(submission("You CRETIN."))
    assert verdict.action == "refuse" and verdict.reason == "refused: blocked word"
    assert posting.blocked_words(submission("cretinous is another word")) is None


def test_watched_words_hold_and_take_effect_without_a_restart():
    assert posting.watched_words(submission("Buy miracle cure now")) is None
    ModerationWord.objects.create(word="miracle cure", kind="watched")
    verdict = posting.watched_words(submission("Buy Miracle\n cure now"))
    assert verdict.action == "hold" and "miracle cure" in verdict.reason


def test_two_links_hold_one_does_not():
    assert posting.links(submission("see https://example.org")) is None
    verdict = posting.links(
        submission(
            "https://a.example.org https://b.example.org [c](https://c.example.org)"
        )
    )
    assert verdict.action == "hold" and verdict.reason == "held: 3 links"


def test_first_comment_is_held_until_one_is_approved():
    ModerationSettings.objects.create(hold_first_comments=True)
    member = UserFactory()
    verdict = posting.first_time_author(submission(author=member))
    assert verdict.action == "hold"
    assert verdict.reason == "held: first comment from this author"
    comment(author=member)
    assert posting.first_time_author(submission(author=member)) is None
    approved = comment(guest_email="fran@example.com")
    # A guest shows an approved comment to be theirs by this browser session.
    assert posting.first_time_author(submission(guest_comments=(approved.pk,))) is None
    assert posting.first_time_author(submission(guest_email="fran@example.com"))


def test_first_comment_rule_can_be_switched_off():
    ModerationSettings.objects.create(hold_first_comments=False)
    assert posting.first_time_author(submission()) is None


# The thread cache under odd page numbers --------------------------------------


def test_a_page_past_the_end_is_cached_once_under_the_last_page(client):
    from django.core.cache import cache

    from comments.rendering import cache_key
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    comment(article.discussion, body="Only page")
    discussion = article.discussion
    for number in (99999, 5000, 2, 1, 99999):
        response = client.get(article.get_absolute_url(), {"page": number})
        assert response.status_code == 200
        assert "Only page" in response.content.decode()
    discussion.refresh_from_db()
    assert cache.get(cache_key(discussion, 1, "oldest")) is not None
    for number in (99999, 5000, 2):
        assert cache.get(cache_key(discussion, number, "oldest")) is None
    thread_keys = [k for k in cache._cache if f"thread:{discussion.pk}:" in k]
    assert len(thread_keys) == 1  # page 1 only: the pages are stored, not cached
