"""Reactions: four words a member leaves on a comment without typing."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Section
from comments import rendering
from comments.models import Comment, Reaction
from tests.comments.make import comment
from tests.comments.make import thread as build_thread
from tests.factories import ArticleFactory, UserFactory
from tests.forums.make import publish_first_posts, topic, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory()


@pytest.fixture
def post(article):
    return comment(article.discussion, author=UserFactory(display_name="Ana"))


def react(client, post, kind, take_back=False, **headers):
    """Press a reaction button: an unpressed one sends kind=, the member's own
    (pressed) one take_back=."""
    data = {"take_back" if take_back else "kind": kind}
    return client.post(reverse("comments:react", args=[post.pk]), data, **headers)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def form_of(html, post):
    action = reverse("comments:react", args=[post.pk])
    start = html.index(f'action="{action}"')
    return html[start : html.index("</form>", start)]


def test_a_member_reacts_without_javascript_and_lands_back_at_the_comment(
    client, article, post
):
    member = UserFactory()
    client.force_login(member)
    page(client, article.get_absolute_url())  # the thread is cached now
    response = react(client, post, "thinking")
    assert response.status_code == 302
    assert response.url == reverse("comments:permalink", args=[post.pk])
    assert Reaction.objects.get(comment=post).member == member
    post.refresh_from_db()
    assert post.reaction_counts == {"thinking": 1}
    html = page(client, article.get_absolute_url())
    assert "1 person: Thinking of you" in html
    assert "Your reaction: Thinking of you." in html  # beside the comment
    buttons = form_of(html, post)
    assert re.search(r'value="thinking" aria-pressed="true"', buttons)
    assert buttons.count('aria-pressed="false"') == 3


def test_a_reaction_is_changed_and_taken_back(client, post):
    client.force_login(UserFactory())
    react(client, post, "thinking")
    react(client, post, "helpful")
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["helpful"]
    post.refresh_from_db()
    assert post.reaction_counts == {"helpful": 1}
    react(client, post, "helpful", take_back=True)  # pressing one's own again
    assert not Reaction.objects.exists()
    post.refresh_from_db()
    assert post.reaction_counts == {}
    html = page(client, post.discussion.get_absolute_url())
    assert "Your reaction was taken back." in html
    assert "1 person: Helpful" not in html


def test_counts_are_words_for_each_kind(client, article, post):
    for kind in ["thinking", "thinking", "thinking", "helpful"]:
        client.force_login(UserFactory())
        react(client, post, kind)
    client.logout()
    html = page(client, article.get_absolute_url())
    assert "3 people: Thinking of you · 1 person: Helpful" in html


def test_guests_see_the_counts_and_no_buttons(client, article, post):
    client.force_login(UserFactory())
    react(client, post, "same")
    client.logout()
    html = page(client, article.get_absolute_url())
    assert "1 person: Same here" in html
    assert reverse("comments:react", args=[post.pk]) not in html
    response = react(client, post, "same")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Reaction.objects.count() == 1


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.REMOVED, Comment.Status.DELETED]
)
def test_only_published_comments_take_reactions(client, article, status):
    hidden = comment(article.discussion, status=status, author=UserFactory())
    client.force_login(hidden.author)
    assert react(client, hidden, "helpful").status_code == 404
    assert reverse("comments:react", args=[hidden.pk]) not in page(
        client, article.get_absolute_url()
    )
    assert not Reaction.objects.exists()


def test_a_drafts_comments_are_not_found(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    hidden = comment(draft.discussion)
    client.force_login(UserFactory())
    assert react(client, hidden, "helpful").status_code == 404


def test_an_unknown_reaction_is_refused_with_a_message(client, article, post):
    client.force_login(UserFactory())
    response = react(client, post, "<b>love</b>")
    assert response.status_code == 302
    assert "Choose one of the reactions." in page(client, article.get_absolute_url())
    assert not Reaction.objects.exists()


def test_a_closed_discussion_takes_no_reactions(client, article, post):
    article.discussion.is_closed = True
    article.discussion.save()
    client.force_login(UserFactory())
    react(client, post, "helpful")
    html = page(client, article.get_absolute_url())
    assert not Reaction.objects.exists()
    assert "closed" in html.lower()
    assert reverse("comments:react", args=[post.pk]) not in html


def test_with_javascript_the_answer_is_the_new_counts(client, post):
    client.force_login(UserFactory())
    response = react(client, post, "thanks", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "thanks",
        "counts": "1 person: Thanks for sharing",
        "message": "Your reaction: Thanks for sharing.",
    }
    response = react(
        client, post, "thanks", take_back=True, HTTP_ACCEPT="application/json"
    )
    assert response.json()["kind"] is None
    assert response.json()["counts"] == ""
    bad = react(client, post, "nope", HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"message": "Choose one of the reactions."}


def test_the_form_carries_a_working_csrf_token(article, post):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    html = page(browser, article.get_absolute_url())
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', form_of(html, post)
    )
    response = browser.post(
        reverse("comments:react", args=[post.pk]),
        {"kind": "same", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert Reaction.objects.get().kind == "same"
    assert (
        browser.post(
            reverse("comments:react", args=[post.pk]), {"kind": "same"}
        ).status_code
        == 403
    )


def test_the_cached_thread_holds_no_members_state(client, article, post):
    member = UserFactory()
    client.force_login(member)
    react(client, post, "helpful")
    page(client, article.get_absolute_url())
    cached = rendering.render_page(article.discussion).html
    assert "1 person: Helpful" in cached
    assert "aria-pressed" not in cached and "csrfmiddlewaretoken" not in cached


def test_a_thread_reads_no_reactions_and_a_member_one_query(client):
    article, people = build_thread(60)
    for row in Comment.objects.filter(discussion=article.discussion)[:30]:
        Reaction.objects.create(comment=row, member=people[1], kind="helpful")
        Comment.objects.filter(pk=row.pk).update(reaction_counts={"helpful": 1})
    article.discussion.record_change()
    Section.navigation()
    with CaptureQueriesContext(connection) as anonymous:
        html = page(client, article.get_absolute_url())
    assert html.count("1 person: Helpful") == 30
    assert not [
        q for q in anonymous.captured_queries if "comments_reaction" in q["sql"]
    ]
    client.force_login(people[1])
    cache.clear()
    Section.navigation()
    with CaptureQueriesContext(connection) as member:
        html = page(client, article.get_absolute_url())
    reads = [q for q in member.captured_queries if "comments_reaction" in q["sql"]]
    assert len(reads) == 1
    assert html.count('value="helpful" aria-pressed="true"') == 30


def test_a_topics_first_post_takes_reactions(client):
    publish_first_posts()
    opened = topic(author=verified(display_name="Ben"))
    first = opened.opening_post
    client.force_login(UserFactory())
    assert react(client, first, "thinking").status_code == 302
    html = page(client, opened.get_absolute_url())
    assert "1 person: Thinking of you" in html
    assert 'value="thinking" aria-pressed="true"' in form_of(html, first)


def helpful(post, number):
    Comment.objects.filter(pk=post.pk).update(reaction_counts={"helpful": number})
    post.discussion.record_change()


def test_most_helpful_puts_the_threads_most_found_helpful_first(client, article):
    old = comment(article.discussion, body="Oldest thread")
    answer = comment(parent=old, body="A reply to the oldest")
    useful = comment(article.discussion, body="The useful one")
    useful_reply = comment(parent=useful, body="A reply to the useful one")
    plain = comment(article.discussion, body="Newest thread")
    helpful(answer, 9)  # a reply's count does not move its thread
    helpful(useful, 3)
    html = page(client, article.get_absolute_url() + "?order=helpful")
    shown = [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]
    assert shown == [useful.pk, useful_reply.pk, old.pk, answer.pk, plain.pk]
    assert '<a href="?order=helpful#comments" aria-current="true">Most helpful' in html


def test_most_helpful_is_paged_and_a_permalink_finds_its_page(
    client, article, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 2}
    posts = [comment(article.discussion, body=f"Thread {n}") for n in range(5)]
    helpful(posts[3], 5)
    helpful(posts[1], 2)
    first = page(client, article.get_absolute_url() + "?order=helpful")
    assert first.index("Thread 3") < first.index("Thread 1")
    assert "Thread 0" not in first
    second = page(client, article.get_absolute_url() + "?order=helpful&page=2")
    assert second.index("Thread 0") < second.index("Thread 2")
    response = client.get(
        reverse("comments:permalink", args=[posts[4].pk]), {"order": "helpful"}
    )
    assert response.url.endswith(f"?page=3&order=helpful#comment-{posts[4].pk}")


def test_most_helpful_costs_what_oldest_first_costs(client):
    article, _ = build_thread(200)
    costs = {}
    for order in ("oldest", "helpful"):
        cache.clear()
        Section.navigation()
        with CaptureQueriesContext(connection) as queries:
            page(client, article.get_absolute_url() + f"?order={order}")
        costs[order] = len(queries.captured_queries)
    assert costs["helpful"] == costs["oldest"]


def test_without_javascript_the_member_lands_back_in_the_order_they_read(
    client, article, settings
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 1}
    posts = [comment(article.discussion, body=f"Thread {n}") for n in range(3)]
    helpful(posts[2], 4)
    client.force_login(UserFactory())
    html = page(client, article.get_absolute_url() + "?order=helpful")
    action = reverse("comments:react", args=[posts[2].pk]) + "?order=helpful"
    assert f'action="{action}"' in html
    response = client.post(action, {"kind": "helpful"})
    assert response.url == (
        reverse("comments:permalink", args=[posts[2].pk]) + "?order=helpful"
    )
    landed = client.get(response.url)
    assert landed.url.endswith(f"?order=helpful#comment-{posts[2].pk}")  # page 1


def test_a_continued_thread_page_takes_reactions(client, article, settings):
    cap = settings.KINDRED["COMMENTS_MAX_INDENT"]
    deepest = comment(article.discussion, body="Level 0")
    for depth in range(1, cap + 2):
        deepest = comment(parent=deepest, body=f"Level {depth}")
    client.force_login(UserFactory())
    react(client, deepest, "same")
    response = client.get(reverse("comments:permalink", args=[deepest.pk]))
    assert "/thread/" in response.url
    html = page(client, response.url.split("#")[0])
    assert "1 person: Same here" in html
    assert 'value="same" aria-pressed="true"' in form_of(html, deepest)


def test_a_form_sent_twice_leaves_one_reaction_and_takes_back_once(client, post):
    member = UserFactory()
    client.force_login(member)
    for _ in range(2):  # a double click, or a retry on a slow line
        react(client, post, "same")
    assert list(Reaction.objects.values_list("member", "kind")) == [(member.pk, "same")]
    post.refresh_from_db()
    assert post.reaction_counts == {"same": 1}
    html = page(client, post.discussion.get_absolute_url())
    assert 'name="take_back" value="same" aria-pressed="true"' in form_of(html, post)
    for _ in range(2):
        react(client, post, "same", take_back=True)
    assert not Reaction.objects.exists()
    react(client, post, "helpful")
    react(client, post, "same", take_back=True)  # sent from an older page
    assert Reaction.objects.get().kind == "helpful"


def test_a_member_changing_reactions_too_often_is_asked_to_wait(
    client, article, post, settings
):
    settings.KINDRED = {**settings.KINDRED, "REACTIONS_PER_MINUTE": 3}
    client.force_login(UserFactory())
    minute = 1_800_000_000 // 60 * 60
    with mock.patch("time.time", return_value=minute + 5):
        for kind in ["same", "helpful", "thanks"]:
            react(client, post, kind)
        refused = react(client, post, "thinking", HTTP_ACCEPT="application/json")
        assert refused.status_code == 429
        assert "please wait a minute" in refused.json()["message"]
        react(client, post, "thinking")  # without JavaScript: said beside it
        html = page(client, article.get_absolute_url())
        assert "please wait a minute" in html
    assert Reaction.objects.get().kind == "thanks"
    with mock.patch("time.time", return_value=minute + 65):
        react(client, post, "thinking")
    assert Reaction.objects.get().kind == "thinking"
