"""The benchmarks' template baseline writes the same HTML as the real renderer.

bench/baseline.py is what `make bench` compares the renderer with; a "speedup"
means something only while both write the same page. When the renderer's
markup changes, this fails until bench/templates/baseline/ follows it.
"""

import pytest
from django.utils import timezone

import bench.baseline as baseline
from comments import rendering
from comments.models import Comment, RemovalReason
from tests.comments.make import comment
from tests.comments.make import thread as build_thread
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def both(discussion, **reader):
    """The renderer's page and the baseline's, for the same reader."""
    page = reader.pop("page", 1)
    order = reader.pop("order", "oldest")
    cut = rendering.cut_for(discussion, page=page, order=order, **reader)
    ours = rendering.render_page(discussion, page=page, order=order, **reader).html
    theirs = baseline.page_html(discussion, cut, order=order, **reader)
    return ours, theirs


def assert_same(ours, theirs):
    assert ours, "the renderer wrote nothing"
    assert baseline.normalise(ours) == baseline.normalise(theirs)


@pytest.fixture
def everything(settings):
    """A discussion with every kind of comment a page can show."""
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_MAX_INDENT": 4}
    article = ArticleFactory()
    discussion = article.discussion
    staff = UserFactory(display_name="Dana <Editor>", is_staff=True)
    carer = UserFactory(display_name="Rosa", role="caregiver")
    plain = UserFactory(display_name="Sam O'Neil")
    top = comment(discussion, author=staff, body="Welcome & thanks")
    chain = [top]
    for level in range(6):  # deeper than the cap of 4: a "Continue this thread"
        who = {"author": carer} if level % 2 else {"guest_name": f"Guest {level}"}
        chain.append(comment(parent=chain[-1], body=f"Level {level + 1}", **who))
    deleted = comment(discussion, author=plain, body="Gone soon")
    comment(parent=deleted, author=carer, body="A reply to a deleted comment")
    removed = comment(discussion, guest_name="Troll", body="Rude words")
    comment(parent=removed, author=plain, body="Do not feed it")
    held = comment(parent=top, guest_name="Newcomer", body="My first comment")
    rejected = comment(parent=top, author=plain, body="Rejected words")
    spam = comment(discussion, guest_name="Seller", body="Cheap pills")
    edited = comment(parent=top, author=plain, body="Edited later")
    off_topic, _ = RemovalReason.objects.get_or_create(label="Off-topic")
    Comment.objects.filter(pk=deleted.pk).update(status=Comment.Status.DELETED)
    Comment.objects.filter(pk=removed.pk).update(
        status=Comment.Status.REMOVED,
        public_reason=off_topic,
        author_note="Please keep to the subject.",
        status_reason="Third warning",
    )
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    Comment.objects.filter(pk=rejected.pk).update(
        status=Comment.Status.REJECTED, status_reason="Personal attack"
    )
    Comment.objects.filter(pk=spam.pk).update(status=Comment.Status.SPAM)
    Comment.objects.filter(pk=edited.pk).update(edited_at=timezone.now())
    Comment.objects.filter(pk=top.pk).update(
        reaction_counts={"helpful": 2, "thinking": 1}
    )
    discussion.refresh_from_db()
    return {
        "discussion": discussion,
        "held": held,
        "removed": removed,
        "chain": chain,
    }


def test_an_anonymous_reader_sees_the_same_page(everything):
    ours, theirs = both(everything["discussion"])
    assert_same(ours, theirs)
    # The page has what the comparison is meant to cover.
    assert "Continue this thread (1 reply to" in ours
    assert "Deleted by the author" in ours
    assert "Removed by a moderator · Off-topic" in ours
    assert "Dana &lt;Editor&gt;" in ours and "badge-staff" in ours
    assert "Caregiver" in ours and "Guest 0" in ours
    assert "(edited)" in ours and "<details open" in ours
    assert "In reply to" in ours and "Next<span" in ours
    assert "Show 1 reply" in ours and "<!--tools:" in ours
    assert "1 person: Thinking of you · 2 people: Helpful" in ours
    assert "My first comment" not in ours  # held: not shown to others


def test_the_author_of_a_held_comment_sees_the_same_page(everything):
    held = everything["held"].pk
    ours, theirs = both(everything["discussion"], include={held})
    assert_same(ours, theirs)
    assert "My first comment" in ours and "Awaiting moderation" in ours


def test_a_moderator_sees_the_same_page(everything):
    ours, theirs = both(everything["discussion"], moderator=True)
    assert_same(ours, theirs)
    assert "Third warning" in ours and "Personal attack" in ours
    assert "Please keep to the subject." in ours and "Cheap pills" in ours


def test_newest_first_and_closed_to_replies_give_the_same_page(everything):
    discussion = everything["discussion"]
    assert_same(*both(discussion, order="newest"))
    assert_same(*both(discussion, order="helpful"))
    discussion.is_closed = True
    ours, theirs = both(discussion)
    assert_same(ours, theirs)
    assert ">Reply<" not in ours


def test_every_page_of_a_long_discussion_is_the_same(settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 15}
    article, _people = build_thread(150, seed=3)
    discussion = article.discussion
    continued = []
    for order in ("oldest", "newest", "helpful"):
        count = rendering.cut_for(discussion, order=order).count
        assert count >= 3
        for number in range(1, count + 1):
            assert_same(*both(discussion, page=number, order=order))
            cut = rendering.cut_for(discussion, page=number, order=order)
            continued.append((order, cut.continued))
    # A page that continues a thread brings the comments it replies to along.
    assert ("oldest", True) in continued and ("newest", True) in continued


def test_the_comparison_notices_a_difference(everything):
    ours, theirs = both(everything["discussion"])
    assert baseline.normalise(ours) != baseline.normalise(
        theirs.replace("Permalink", "Link", 1)
    )
