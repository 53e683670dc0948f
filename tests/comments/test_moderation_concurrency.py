"""Two moderators deciding on the same comments at the same moment, in real
threads with their own database connections."""

import threading

import pytest
from django.db import connection

from comments.models import Comment, Discussion, ModerationRecord, RemovalReason
from tests.comments.make import comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROUNDS = 20


def both_at_once(moderators, pks, decide):
    """Each moderator takes every comment in turn, both starting on a comment
    together (a barrier), each from their own copy read before the other acts.
    Returns, per moderator, what each decision answered: (changed, seen, now)."""
    barrier = threading.Barrier(len(moderators))
    answers = {moderator.pk: [] for moderator in moderators}
    errors = []

    def work(moderator):
        try:
            for pk in pks:
                mine = Comment.objects.select_related("discussion").get(pk=pk)
                seen = mine.status
                barrier.wait(timeout=30)
                changed = decide(mine, moderator)
                answers[moderator.pk].append((changed, seen, mine.status))
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return answers


def test_two_moderators_twenty_rounds_one_record_per_change_and_a_true_count():
    discussion = Discussion.objects.create()
    comment(discussion, body="Already published")  # the count starts at 1
    pks = [comment(discussion, status=Comment.Status.PENDING).pk for _ in range(ROUNDS)]
    moderators = [UserFactory(), UserFactory()]
    off_topic, _ = RemovalReason.objects.get_or_create(label="Off-topic")

    approvals = both_at_once(moderators, pks, lambda mine, by: mine.approve(by=by))
    removals = both_at_once(
        moderators,
        pks,
        lambda mine, by: mine.remove(by=by, public_reason=off_topic),
    )

    for answers in (approvals, removals):
        made = [changed for each in answers.values() for changed, _, _ in each]
        assert made.count(True) == ROUNDS  # exactly one moderator per comment
        # The other was told it was already decided: the row had moved on from
        # the status they saw.
        for each in answers.values():
            for changed, seen, now in each:
                assert changed or now != seen
    for pk in pks:
        changes = list(
            ModerationRecord.objects.filter(comment_id=pk)
            .order_by("pk")
            .values_list("from_status", "to_status")
        )
        assert changes == [("pending", "published"), ("published", "removed")]
    discussion.refresh_from_db()
    published = Comment.objects.filter(
        discussion=discussion, status=Comment.Status.PUBLISHED
    ).count()
    assert discussion.comment_count == published == 1
    told = sum(
        not changed
        for a in (approvals, removals)
        for each in a.values()
        for changed, _, _ in each
    )
    print(
        f"{ROUNDS} rounds x 2 moderators x (approve, remove): "
        f"{ModerationRecord.objects.filter(comment_id__in=pks).count()} records, "
        f"{told} decisions told 'already decided', comment_count "
        f"{discussion.comment_count} = published rows {published}"
    )


def test_two_admin_sessions_deciding_at_once_are_told_and_counted_once():
    from django.test import Client
    from django.urls import reverse

    discussion = Discussion.objects.create()
    pks = [comment(discussion, status=Comment.Status.PENDING).pk for _ in range(ROUNDS)]
    RemovalReason.objects.get_or_create(label="Off-topic")
    moderators = [UserFactory(is_staff=True, is_superuser=True) for _ in range(2)]
    sessions = {}
    for moderator in moderators:
        sessions[moderator.pk] = Client()
        sessions[moderator.pk].force_login(moderator)

    def through_the_admin(decision):
        def decide(mine, moderator):
            url = reverse("admin:comments_pendingcomment_decide", args=[mine.pk])
            response = sessions[moderator.pk].post(
                f"{url}?seen={mine.status}",
                {"decision": decision, f"reason-{mine.pk}": "Off-topic"},
                follow=True,
            )
            assert response.status_code == 200
            return "already decided" not in response.content.decode()

        return decide

    for decision in ("approve", "remove"):
        answers = both_at_once(moderators, pks, through_the_admin(decision))
        made = [changed for each in answers.values() for changed, _, _ in each]
        assert made.count(True) == made.count(False) == ROUNDS
    assert ModerationRecord.objects.filter(comment_id__in=pks).count() == 2 * ROUNDS
    discussion.refresh_from_db()
    assert discussion.comment_count == 0 == discussion.comments.published().count()
