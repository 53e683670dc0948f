"""Reading a discussion: the shape of the thread, paging, order, caching, cost."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Section
from comments.models import Comment, RemovalReason
from tests.comments.make import comment
from tests.comments.make import thread as build_thread
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory()


def page(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def thread_html(html):
    return html[html.index('<ol class="thread">') : html.index("</section>")]


def test_thread_is_nested_ordered_lists_with_every_link(client, article):
    fran = UserFactory(display_name="Fran")
    top = comment(article.discussion, author=fran, body="Top")
    reply = comment(parent=top, guest_name="Sam", guest_email="sam@x.org", body="Reply")
    deeper = comment(
        parent=reply, body="Deeper", guest_name="Ana", guest_email="ana@x.org"
    )
    second = comment(
        article.discussion, body="Second", guest_name="Bo", guest_email="bo@x.org"
    )
    html = thread_html(page(client, article))
    # The shape: top > reply > deeper; then second at the top level.
    ids = re.findall(r'<li id="comment-(\d+)"|(</ol>)', html)
    opened = [int(i) for i, _ in ids if i]
    assert opened == [top.pk, reply.pk, deeper.pk, second.pk]
    assert html.count("<ol") == 3 and html.count("</ol>") == 3
    assert re.search(
        rf'id="comment-{reply.pk}".*<ol>.*id="comment-{deeper.pk}"', html, re.S
    )
    assert f'href="{fran.get_absolute_url()}">Fran</a>' in html
    assert "<time datetime=" in html
    assert f'href="{reverse("comments:reply", args=[reply.pk])}"' in html
    assert f'href="{reverse("comments:permalink", args=[reply.pk])}"' in html
    assert f'<a href="#comment-{top.pk}">In reply to Fran</a>' in html
    assert "replying to Sam" in html  # read by screen readers on the deeper reply
    # "Next" on the top comment skips its replies.
    top_item = html[html.index(f'id="comment-{top.pk}"') : html.index("<details")]
    assert f'href="#comment-{second.pk}">Next' in top_item
    assert 'Show 2 replies<span class="visually-hidden"> to Fran</span>' in html
    assert "Hide replies" in html  # the <details> summary says what it does
    assert "sam@x.org" not in html


def test_deleted_comment_with_replies_keeps_its_place(client, article):
    top = comment(article.discussion, body="Original words")
    reply = comment(parent=top, body="A reply")
    lonely = comment(article.discussion, body="Nobody answered")
    top.delete_by_author()
    lonely.delete_by_author()
    html = thread_html(page(client, article))
    assert "Original words" not in html and "Nobody answered" not in html
    assert f'id="comment-{top.pk}"' in html and "Deleted by the author" in html
    assert f'id="comment-{lonely.pk}"' not in html
    assert re.search(
        rf'id="comment-{top.pk}".*<ol>.*id="comment-{reply.pk}"', html, re.S
    )
    assert Comment.objects.count() == 3  # nothing left the database


def test_removed_comment_shows_the_reason_and_keeps_replies(client, article):
    top = comment(article.discussion, body="Harsh words")
    comment(parent=top, body="A calm reply")
    attack = RemovalReason.objects.get(label="Personal attack")
    top.remove(by=UserFactory(), public_reason=attack, reason="rude to Lena again")
    html = thread_html(page(client, article))
    assert "Removed by a moderator · Personal attack" in html
    assert "rude to Lena" not in html  # the moderators' own words stay theirs
    assert "Harsh words" not in html and "A calm reply" in html


def test_pending_comment_is_shown_to_its_author_only(client, article):
    author = UserFactory()
    comment(
        article.discussion,
        author=author,
        body="Please approve me",
        status=Comment.Status.PENDING,
    )
    assert "Please approve me" not in page(client, article)
    client.force_login(UserFactory())
    assert "Please approve me" not in page(client, article)
    client.force_login(author)
    html = page(client, article)
    assert "Please approve me" in html and "Awaiting moderation" in html


def test_indentation_stops_at_the_cap_and_the_thread_continues(
    client, article, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_MAX_INDENT": 3}
    chain = [comment(article.discussion, body="level 0")]
    for level in range(1, 6):
        chain.append(comment(parent=chain[-1], body=f"level {level}"))
    html = page(client, article)
    assert "level 2" in html and "level 3" not in html
    continue_url = reverse("comments:thread", args=[chain[2].pk])
    assert f'href="{continue_url}">Continue this thread (1 reply to Fran)' in html
    sub = client.get(continue_url).content.decode()
    assert "level 3" in sub and "level 5" not in sub  # capped again, relative
    assert reverse("comments:permalink", args=[chain[2].pk]) in sub
    assert sub.count("<h1") == 1


def test_a_permalink_past_the_cap_opens_the_thread_page_that_shows_it(
    client, article, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_MAX_INDENT": 3}
    chain = [comment(article.discussion, body="level 0")]
    for level in range(1, 8):
        chain.append(comment(parent=chain[-1], body=f"level {level}"))
    # Shown on the article up to level 2; each thread page indents three levels
    # from its first comment: levels 2-4 on the page of level 2, 4-6, then 6-7.
    expected_page = {0: None, 2: None, 3: 2, 4: 2, 5: 4, 6: 4, 7: 6}
    for level, root in expected_page.items():
        target = chain[level]
        landing = client.get(reverse("comments:permalink", args=[target.pk]))
        url, anchor = landing["Location"].split("#")
        assert anchor == f"comment-{target.pk}"
        if root is None:
            assert url == article.get_absolute_url()
        else:
            assert url == reverse("comments:thread", args=[chain[root].pk])
        html = client.get(url).content.decode()
        assert f'id="comment-{target.pk}"' in html  # shown, so the anchor lands


def test_an_editor_previews_a_drafts_thread_page_without_reply_links(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    root = comment(draft.discussion, body="Kept from before it was taken back")
    comment(parent=root, body="A reply to it")
    url = reverse("comments:thread", args=[root.pk])
    assert client.get(url).status_code == 404
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert "A reply to it" in html
    assert reverse("comments:reply", args=[root.pk]) not in html


def test_threads_are_paged_and_permalinks_find_the_page(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 2}
    tops = [comment(article.discussion, body=f"thread {n}") for n in range(5)]
    reply = comment(parent=tops[4], body="reply on the last page")
    first = page(client, article)
    assert "thread 0" in first and "thread 2" not in first
    assert "Page 1 of 3" in first
    third = page(client, article, page=3)
    assert "thread 4" in third and "reply on the last page" in third
    response = client.get(reverse("comments:permalink", args=[reply.pk]))
    assert response["Location"] == (
        f"{article.get_absolute_url()}?page=3#comment-{reply.pk}"
    )


def test_newest_first_survives_paging(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 2}
    for n in range(5):
        comment(article.discussion, body=f"thread {n}")
    newest = page(client, article, order="newest")
    assert newest.index("thread 4") < newest.index("thread 3")
    assert "thread 0" not in newest
    assert "page=2&amp;order=newest" in newest
    assert "thread 0" in page(client, article, order="newest", page=3)


def test_the_thread_is_cached_until_it_changes(client, article):
    top = comment(article.discussion, body="First version")
    page(client, article)
    with CaptureQueriesContext(connection) as cached:
        page(client, article)
    assert not any("comments_comment" in q["sql"] for q in cached.captured_queries)
    comment(parent=top, body="A new reply")  # bumps the discussion's version
    assert "A new reply" in page(client, article)


@pytest.mark.parametrize("size", [10, 1000])
def test_anonymous_article_page_costs_five_queries_whatever_the_thread(client, size):
    article, _ = build_thread(size)
    cache.clear()
    Section.navigation()
    # The article, the page's bounds, the page's rows, and the sidebar's latest forum
    # topics (read only when the cached sidebar is rendered afresh, as here).
    with CaptureQueriesContext(connection) as queries:
        html = page(client, article)
    assert len(queries.captured_queries) == 5
    assert html.count('<li id="comment-') >= min(size, 50)


def test_member_page_query_count_is_the_same_for_10_and_1000(client):
    counts = []
    for size in (10, 1000):
        article, people = build_thread(size, seed=size)
        client.force_login(people[0])
        cache.clear()
        Section.navigation()
        with CaptureQueriesContext(connection) as queries:
            page(client, article)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_comments_by_the_site_team_are_marked(client, article):
    editor = UserFactory(display_name="Dana Okafor", is_staff=True)
    reader = UserFactory(display_name="Fran")
    comment(article.discussion, author=reader, body="Where can I read the paper?")
    comment(article.discussion, author=editor, body="The link is under the summary.")
    html = thread_html(page(client, article))
    assert html.count("Kindred team") == 1
    answer = html[html.index("Dana Okafor") :]
    assert answer.index("Kindred team") < answer.index("The link is under")


@pytest.mark.parametrize("size", [1000, 20_000])
def test_a_page_holds_about_a_hundred_comments_at_the_same_cost(
    client, size, django_assert_num_queries
):
    article, _ = build_thread(size)
    cache.clear()
    Section.navigation()
    # The article, its discussion's stored page, the page's rows, and the sidebar's
    # latest forum topics (cached with the article for ten minutes after this).
    with django_assert_num_queries(5):
        html = page(client, article)
    shown = html.count('<li id="comment-')
    assert 90 <= shown <= 100 + 6  # a continued thread brings its ancestors
    # Deeper replies continue on their thread's own page, and pages end
    # between threads where they can: about size / 100 pages.
    pages = int(re.search(r"page 1 of (\d+)", html)[1])
    assert size // 150 <= pages <= size // 60


def test_a_thread_longer_than_a_page_continues_on_the_next(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 4}
    small = comment(article.discussion, body="a small thread")
    big = comment(article.discussion, body="a big thread")
    replies = [comment(parent=big, body=f"reply {n}") for n in range(8)]
    # A page splits in two past 1.5 pages' worth: first where the threads
    # meet, then within the one long thread, which goes on on the next page.
    first = page(client, article)
    assert "a small thread" in first and "a big thread" not in first
    second = page(client, article, page=2)
    assert "a big thread" in second and "reply 1" in second
    assert "reply 2" not in second
    assert "This thread continues on page 3" in second
    third = page(client, article, page=3)
    assert "continues from page 2" in third
    assert third.index("a big thread") < third.index("reply 2")  # its context
    assert "reply 7" in third and "a small thread" not in third
    assert re.search(r"<title>[^<]* \(comments, page 3 of 3\) · [^<]*</title>", third)
    response = client.get(reverse("comments:permalink", args=[replies[7].pk]))
    assert response["Location"] == (
        f"{article.get_absolute_url()}?page=3#comment-{replies[7].pk}"
    )
    response = client.get(reverse("comments:permalink", args=[small.pk]))
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{small.pk}"


def test_page_links_sit_above_and_below_the_thread(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 1}
    for n in range(3):
        comment(article.discussion, body=f"thread {n}")
    html = page(client, article, page=2)
    assert html.count("Page 2 of 3") == 2
    top = html.index('aria-label="Pages of comments, top"')
    bottom = html.index('aria-label="Pages of comments, bottom"')
    assert top < html.index("thread 1") < bottom
    assert "3 comments<span" in html and "page 2 of 3</span>" in html


def test_a_deleted_comments_placeholder_reads_well(client, article):
    gone = comment(article.discussion, status=Comment.Status.DELETED, body="Gone")
    comment(parent=gone, body="Still here")
    html = thread_html(page(client, article))
    assert 'Permalink<span class="visually-hidden"> to this deleted comment' in html
    assert "by a deleted comment" not in html


def test_a_continued_thread_page_quotes_the_comment_it_continues_from(
    client, article, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_MAX_INDENT": 3}
    chain = [comment(article.discussion, body="level 0")]
    for level in range(1, 5):
        chain.append(comment(parent=chain[-1], body=f"level {level}"))
    sub = client.get(reverse("comments:thread", args=[chain[2].pk])).content.decode()
    quoted = sub[sub.index('<figure class="replying-to">') : sub.index("</figure>")]
    assert "which it replies to" in quoted and "level 1" in quoted
    assert sub.index("</figure>") < sub.index(f'id="comment-{chain[2].pk}"')


def test_newest_first_continues_a_long_thread_too(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 3}
    older = comment(article.discussion, body="the older thread")
    newer = comment(article.discussion, body="the newer thread")
    replies = [comment(parent=newer, body=f"answer {n}") for n in range(4)]
    # Newest first, the newer thread comes first and is split within itself
    # (past 1.5 pages' worth), in its own order; the older thread comes last.
    first = page(client, article, order="newest")
    assert first.index("the newer thread") < first.index("answer 0")
    assert "answer 1" not in first and "the older thread" not in first
    assert "This thread continues on page 2" in first
    second = page(client, article, order="newest", page=2)
    order = [
        second.index(text) for text in ("the newer thread", "answer 1", "answer 3")
    ]
    assert order == sorted(order)  # the thread's first comment as context
    assert "answer 0" not in second and "the older thread" not in second
    assert "the older thread" in page(client, article, order="newest", page=3)
    response = client.get(
        reverse("comments:permalink", args=[replies[3].pk]), {"order": "newest"}
    )
    assert "page=2&order=newest" in response["Location"]
    response = client.get(
        reverse("comments:permalink", args=[older.pk]), {"order": "newest"}
    )
    assert "page=3&order=newest" in response["Location"]
