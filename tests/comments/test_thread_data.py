"""Whether a comment has replies and how many threads readers see: stored, and
the same as a recount after every kind of write."""

import pytest

from accounts.member_data import delete_account
from comments.bulk import insert_thread, recount_threads
from comments.models import Comment, Discussion
from comments.posting import Submission, Verdict
from comments.services import store_comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(discussion, parent=None, held=False, author=None):
    """A comment stored as the site stores one (comments.services)."""
    verdict = Verdict("publish")
    if held:
        verdict = Verdict("hold", rule="test", reason="held")
    submission = Submission(
        discussion=Discussion.objects.get(pk=discussion.pk),
        body="Hello there",
        parent=parent,
        author=author,
        guest_name="" if author else "Fran",
        guest_email="" if author else "fran@example.com",
    )
    return store_comment(submission=submission, verdict=verdict)


def stored():
    """What the trigger keeps: each comment's has_replies, each thread count."""
    return (
        dict(Comment.objects.values_list("pk", "has_replies")),
        dict(Discussion.objects.values_list("pk", "thread_count")),
    )


def assert_same_as_recount():
    before = stored()
    recount_threads()
    assert stored() == before


def thread_count(discussion):
    return Discussion.objects.get(pk=discussion.pk).thread_count


def has_replies(comment):
    return Comment.objects.get(pk=comment.pk).has_replies


@pytest.fixture
def discussion():
    return ArticleFactory().discussion


def test_a_post_starts_a_thread_and_a_reply_marks_its_parent(discussion):
    first = post(discussion)
    assert (thread_count(discussion), has_replies(first)) == (1, False)
    reply = post(discussion, parent=first)
    post(discussion, parent=reply)
    assert (thread_count(discussion), has_replies(first)) == (1, True)
    assert has_replies(reply)
    assert_same_as_recount()


def test_a_held_post_is_no_thread_until_approved(discussion):
    held = post(discussion, held=True)
    assert thread_count(discussion) == 0
    assert_same_as_recount()
    held.approve(by=None)
    assert thread_count(discussion) == 1
    assert_same_as_recount()


@pytest.mark.parametrize(
    "take_down",
    [
        lambda c: c.hold(reason="Reported"),
        lambda c: c.remove(by=None, reason="Off topic"),
        lambda c: c.delete_by_author(),
        lambda c: c.mark_spam(by=None),
    ],
    ids=["hold", "remove", "delete", "spam"],
)
def test_a_thread_taken_down_goes_unless_it_has_replies(discussion, take_down):
    alone, answered = post(discussion), post(discussion)
    post(discussion, parent=answered)
    assert thread_count(discussion) == 2
    take_down(Comment.objects.get(pk=alone.pk))
    take_down(Comment.objects.get(pk=answered.pk))
    assert thread_count(discussion) == 1  # the answered one stays, as a placeholder
    assert_same_as_recount()


def test_a_reply_to_a_hidden_comment_brings_its_thread_back(discussion):
    first = post(discussion)
    first.remove(by=None, reason="Off topic")
    assert thread_count(discussion) == 0
    post(discussion, parent=Comment.objects.get(pk=first.pk), held=True)
    assert thread_count(discussion) == 1
    assert_same_as_recount()


def test_a_deleted_account_leaves_tombstones_counted(discussion):
    member = UserFactory()
    alone = post(discussion, author=member)
    answered = post(discussion, author=member)
    post(discussion, parent=answered)
    delete_account(member, keep_posts=False)
    assert Comment.objects.get(pk=alone.pk).status == Comment.Status.DELETED
    assert thread_count(discussion) == 1
    assert_same_as_recount()


def test_bulk_inserts_and_row_deletes_keep_them(discussion):
    made = insert_thread(
        discussion,
        [
            {"body": "one"},
            {"body": "two", "reply_to": 0},
            {"body": "three", "status": Comment.Status.PENDING},
            {"body": "four", "reply_to": 2},
        ],
    )
    assert thread_count(discussion) == 2
    assert [has_replies(c) for c in made] == [True, False, True, False]
    assert_same_as_recount()
    made[3].delete()  # the only reply of a held comment: its thread goes
    assert (thread_count(discussion), has_replies(made[2])) == (1, False)
    assert_same_as_recount()
