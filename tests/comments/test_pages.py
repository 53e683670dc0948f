"""The pages of a discussion are stored and kept by every write (migration
comments/0013): each comment a page counts is on exactly one page, whatever
the writes did, and the first page costs the same whatever the discussion's size."""

import random
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Section
from comments import paging
from comments.bulk import insert_thread
from comments.models import Comment, DiscussionPage
from tests.comments.make import comment
from tests.comments.make import thread as build_thread
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELDS = {"oldest": "path", "newest": "newest_key"}


def counted(discussion, field, cap):
    """The keys of the comments a page counts, in their order."""
    rows = discussion.comments.filter(depth__lt=cap).filter(
        Q(status=Comment.Status.PUBLISHED) | Q(has_replies=True)
    )
    return list(rows.order_by(field).values_list(field, flat=True))


def pages_of(discussion, order):
    stored = DiscussionPage.objects.filter(discussion=discussion, sort=order)
    return list(stored.order_by("start").values_list("start", "size"))


def assert_pages_hold_each_comment_once(discussion, settings):
    """The ranges of the pages tile the discussion from "", each counts what its
    range holds, none past 1.5 pages' worth: each counted comment is on one page."""
    per_page = settings.KINDRED["COMMENTS_PER_PAGE"]
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    for order, field in FIELDS.items():
        keys = counted(discussion, field, cap)
        pages = pages_of(discussion, order)
        if not pages:
            assert not keys
            continue
        assert pages[0][0] == ""
        ends = [start for start, _size in pages[1:]] + [None]
        for (start, size), end in zip(pages, ends, strict=True):
            held = [key for key in keys if key >= start and (end is None or key < end)]
            assert len(held) == size, (order, start)
            assert size <= per_page + per_page // 2
        assert sum(size for _start, size in pages) == len(keys)
        if len(pages) > 1:  # an emptied page merged with a neighbour
            assert all(size for _start, size in pages)


@pytest.fixture
def small_pages(settings):
    settings.KINDRED = {
        **settings.KINDRED,
        "COMMENTS_PER_PAGE": 4,
        "COMMENTS_MAX_INDENT": 3,
    }
    return settings


def test_pages_split_and_merge_and_keep_every_comment_on_one_page(small_pages):
    discussion = ArticleFactory().discussion
    rng = random.Random(11)
    made = []
    for step in range(240):
        choice = rng.random()
        live = [c for c in made if c.status == Comment.Status.PUBLISHED]
        if choice < 0.3 or not made:
            made.append(comment(discussion, body=f"thread {step}"))
        elif choice < 0.65:
            made.append(comment(parent=rng.choice(made), body=f"reply {step}"))
        elif choice < 0.75 and live:
            target = rng.choice(live)
            target.refresh_from_db()
            target.remove(by=None, reason="Off topic")
        elif choice < 0.8 and live:
            target = rng.choice(live)
            target.refresh_from_db()
            target.delete_by_author()
        elif choice < 0.85:
            target = rng.choice(made)
            target.refresh_from_db()
            if target.can("restore"):
                target.restore(by=None)
        elif choice < 0.9:
            target = made.pop(rng.randrange(len(made)))
            Comment.objects.filter(pk=target.pk).delete()  # and its replies
            made = [c for c in made if Comment.objects.filter(pk=c.pk).exists()]
        else:
            made.append(
                comment(discussion, body=f"held {step}", status=Comment.Status.PENDING)
            )
        for each in made:
            each.refresh_from_db(fields=["status"])
        if step % 8 == 7:
            assert_pages_hold_each_comment_once(discussion, small_pages)
    assert_pages_hold_each_comment_once(discussion, small_pages)
    assert len(pages_of(discussion, "oldest")) > 3
    before = {order: pages_of(discussion, order) for order in FIELDS}
    paging.rebuild([discussion.pk])  # what a data migration or a bulk load cuts
    assert_pages_hold_each_comment_once(discussion, small_pages)
    assert {order: pages_of(discussion, order) for order in FIELDS} != before


def test_every_comment_is_on_the_page_its_permalink_opens(client, small_pages):
    article = ArticleFactory()
    rng = random.Random(5)
    made = []
    for step in range(40):
        parent = rng.choice(made) if made and rng.random() < 0.6 else None
        made.append(comment(article.discussion, parent=parent, body=f"c{step}"))
    for order in ("oldest", "newest"):
        for each in made:
            if each.depth >= 3:  # past the cap: on its thread's own page
                continue
            response = client.get(
                reverse("comments:permalink", args=[each.pk]), {"order": order}
            )
            html = client.get(response["Location"].split("#")[0]).content.decode()
            assert f'id="comment-{each.pk}"' in html, (order, each.body)


def test_a_page_left_small_merges_and_splits_again(small_pages):
    discussion = ArticleFactory().discussion
    tops = [comment(discussion, body=f"thread {n}") for n in range(7)]
    # Past 6 (1.5 pages of 4) the page split where the threads meet, mid-way.
    assert [size for _start, size in pages_of(discussion, "oldest")] == [3, 4]
    assert [size for _start, size in pages_of(discussion, "newest")] == [3, 4]
    for each in tops[4:]:
        each.remove(by=None, reason="Off topic")
    # Under half a page, the second page joined the first, which it fits beside.
    assert pages_of(discussion, "oldest") == [("", 4)]
    assert pages_of(discussion, "newest") == [("", 4)]
    for each in tops[4:]:
        Comment.objects.get(pk=each.pk).restore(by=None)
    assert [size for _start, size in pages_of(discussion, "oldest")] == [3, 4]
    assert_pages_hold_each_comment_once(discussion, small_pages)


def test_removing_and_restoring_keep_the_counts(settings):
    discussion = ArticleFactory().discussion
    tops = [comment(discussion, body=f"thread {n}") for n in range(10)]
    answered = tops[0]
    comment(parent=answered, body="an answer")

    def total(order="oldest"):
        return sum(size for _start, size in pages_of(discussion, order))

    assert total() == total("newest") == 11
    for each in tops[:4]:
        each.remove(by=None, reason="Off topic")
    # The answered one stays, as a placeholder with its reply.
    assert total() == total("newest") == 8
    for each in tops[1:4]:
        Comment.objects.get(pk=each.pk).restore(by=None)
    assert total() == total("newest") == 11
    assert_pages_hold_each_comment_once(discussion, settings)


def test_a_bulk_load_cuts_whole_threads_while_they_fit(settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 5}
    discussion = ArticleFactory().discussion
    rows = []
    for size in (3, 3, 2, 8, 1):  # the 8-comment thread fills a page and goes on
        rows.append({"body": "top"})
        top = len(rows) - 1
        rows.extend({"body": "reply", "reply_to": top} for _ in range(size - 1))
    insert_thread(discussion, rows)
    assert [size for _start, size in pages_of(discussion, "oldest")] == [3, 5, 5, 4]
    assert [size for _start, size in pages_of(discussion, "newest")] == [5, 4, 5, 3]
    assert_pages_hold_each_comment_once(discussion, settings)


def test_a_held_comment_shows_to_its_author_and_moderators_within_the_pages(
    client, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 2}
    article = ArticleFactory()
    author = UserFactory()
    for n in range(6):
        comment(article.discussion, body=f"thread {n}")
    held = comment(
        article.discussion,
        author=author,
        body="my held words",
        status=Comment.Status.PENDING,
    )
    client.force_login(author)
    response = client.get(reverse("comments:permalink", args=[held.pk]))
    last = int(re.search(r"page=(\d+)", response["Location"])[1])
    assert last == len(pages_of(article.discussion, "oldest"))
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert "my held words" in html
    client.logout()
    assert "my held words" not in client.get(response["Location"]).content.decode()


def test_a_discussion_goes_with_its_pages(settings):
    article = ArticleFactory()
    top = comment(article.discussion, body="top")
    comment(parent=top, body="reply")
    assert DiscussionPage.objects.filter(discussion=article.discussion).exists()
    discussion = article.discussion
    article.delete()
    discussion.delete()
    assert not DiscussionPage.objects.exists()


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_the_first_page_costs_the_same_queries_at_100_and_3000_comments(client, order):
    counts, pages = [], []
    for size in (100, 3000):
        article, _ = build_thread(size, seed=size)
        cache.clear()
        Section.navigation()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url(), {"order": order})
        html = response.content.decode()
        counts.append(len(queries.captured_queries))
        pages.append(len(pages_of(article.discussion, order)))
        assert html.count('<li id="comment-') >= 50
        # No query reads the comments beyond the page's own range.
        reads = [
            q["sql"] for q in queries.captured_queries if "comments_comment" in q["sql"]
        ]
        assert len(reads) <= 1
    assert counts[0] == counts[1]
    assert pages[0] == 1 and pages[1] >= 20
