"""Two moderators deciding on the same comments at the same moment, in real
threads with their own database connections."""

import threading

import pytest
from django.db import connection

from comments.models import Comment, Discussion, ModerationRecord, RemovalReason
from tests.comments.make import comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
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
