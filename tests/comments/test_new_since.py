"""New since your last visit: marks on a discussion page for one member."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Visit
from comments.views import reading
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory
from tests.forums import make

pytestmark = pytest.mark.django_db


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def read(client, url, moment=None):
    with at(moment or timezone.now()):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def card(html, pk):
    """The comment's own card: from its <li> to the end of its <article>."""
    start = html.index(f'<li id="comment-{pk}"')
    return html[start : html.index("</article>", start)]


@pytest.fixture
def setting():
    """An article, a member who reads it, and the moment of their first visit."""
    now = timezone.now()
    article = ArticleFactory(published_at=now - timedelta(days=10))
    member = UserFactory(display_name="Rosa")
    return article, member, now


def test_a_first_visit_marks_nothing_and_records_the_visit(client, setting):
    article, member, now = setting
    comment(article.discussion, body="Earlier words", created_at=now - timedelta(1))
    client.force_login(member)
    html = read(client, article.get_absolute_url(), now)
    assert "Earlier words" in html
    assert "badge-new" not in html and "new-comments" not in html
    visit = Visit.objects.get(member=member, discussion=article.discussion)
    assert visit.seen_at == now and visit.since is None


def test_comments_posted_by_others_since_the_last_visit_are_marked_new(client, setting):
    article, member, now = setting
    discussion = article.discussion
    before = comment(discussion, body="Old news", created_at=now - timedelta(days=1))
    client.force_login(member)
    read(client, article.get_absolute_url(), now - timedelta(hours=2))
    ana = UserFactory(display_name="Ana")
    first = comment(
        discussion, author=ana, body="First new", created_at=now - timedelta(hours=1)
    )
    own = comment(
        discussion, author=member, body="Mine", created_at=now - timedelta(minutes=50)
    )
    reply = comment(
        parent=before, body="A guest's reply", created_at=now - timedelta(minutes=40)
    )
    html = read(client, article.get_absolute_url(), now)
    # "New" in words beside the author's name, not only a colour.
    assert '<strong class="badge badge-new">New</strong>' in card(html, first.pk)
    assert "is-new" in card(html, reply.pk) and "New</strong>" in card(html, reply.pk)
    assert "New</strong>" not in card(html, before.pk)
    assert "New</strong>" not in card(html, own.pk)  # one's own words are not news
    # In display order the reply (under the old comment) comes first; each new
    # comment links to the next, and the top of the discussion to the first.
    top = html[html.index('id="new-comments"') :]
    assert "2 new comments on this page since your last visit." in top
    assert top.index(f'href="#comment-{reply.pk}">Next new comment') < top.index("</p>")
    assert f'href="#comment-{first.pk}">Next new comment' in card(html, reply.pk)
    assert "Next new comment" not in card(html, first.pk)  # the last one
    assert html.index('id="new-comments"') < html.index('<ol class="thread">')


def test_the_marks_stay_for_a_sitting_and_go_at_the_next(client, setting):
    article, member, now = setting
    client.force_login(member)
    read(client, article.get_absolute_url(), now - timedelta(hours=3))
    new = comment(article.discussion, body="News", created_at=now - timedelta(hours=2))
    url = article.get_absolute_url()
    assert "New</strong>" in card(read(client, url, now - timedelta(hours=1)), new.pk)
    # Twenty minutes later (page 2, or back from a reply) it is still marked.
    later = now - timedelta(minutes=40)
    assert "New</strong>" in card(read(client, url, later), new.pk)
    # A visit after a break of more than half an hour starts from the last one.
    html = read(client, url, now)
    assert "New</strong>" not in card(html, new.pk)
    visit = Visit.objects.get(member=member)
    assert visit.since == later and visit.seen_at == now


def test_guests_see_no_marks_and_leave_no_visit(client, setting):
    article, _member, now = setting
    comment(article.discussion, body="Hello", created_at=now)
    read(client, article.get_absolute_url())
    assert not Visit.objects.exists()


def test_the_shared_cached_thread_never_holds_a_members_marks(client, setting):
    article, member, now = setting
    client.force_login(member)
    read(client, article.get_absolute_url(), now - timedelta(hours=2))
    comment(article.discussion, body="News", created_at=now - timedelta(hours=1))
    assert "is-new" in read(client, article.get_absolute_url(), now)
    client.logout()
    html = read(client, article.get_absolute_url(), now)
    assert "is-new" not in html and "New</strong>" not in html


def test_the_marks_cost_the_page_one_query(client, setting, monkeypatch):
    article, member, now = setting
    author = UserFactory()
    for n in range(30):
        comment(
            article.discussion,
            author=author,
            body=f"Comment {n}",
            created_at=now - timedelta(minutes=n),
        )
    client.force_login(member)
    read(client, article.get_absolute_url(), now - timedelta(hours=2))

    passes = list(reading.READER_PASSES)

    def count(passes):
        monkeypatch.setattr(reading, "READER_PASSES", passes)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            html = read(client, article.get_absolute_url(), now)
        return len(queries.captured_queries), html

    without, plain = count([p for p in passes if p.__name__ != "mark_new"])
    with_marks, marked = count(passes)
    assert "New</strong>" not in plain
    assert marked.count("New</strong>") == 30
    assert with_marks == without + 1


def test_a_topic_marks_new_replies_too(client):
    make.publish_first_posts()
    now = timezone.now()
    member = make.verified(display_name="Rosa")
    topic = make.topic()
    client.force_login(member)
    read(client, topic.get_absolute_url(), now - timedelta(hours=1))
    with at(now - timedelta(minutes=30)):
        answer = make.reply(topic, body="Welcome, Rosa")
    html = read(client, topic.get_absolute_url(), now)
    assert "New</strong>" in card(html, answer.pk)
    assert "New</strong>" not in card(html, topic.opening_post_id)
    assert re.search(r"1 new comment on this page since your last visit", html)
