"""Anonymous readers' pages are the same bytes for everyone, so a shared cache can
keep them (config/public_cache.py); members' pages are private."""

import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationSettings
from tests.comments.make import comment
from tests.factories import ArticleFactory, TagFactory, UserFactory
from tests.forums import make

pytestmark = pytest.mark.django_db

PAGES = [
    "home",
    "archive",
    "search",
    "section",
    "tag",
    "article",
    "forums",
    "latest",
    "category",
    "topic",
    "profile",
    "about",
    "reply",
    "subthread",
]


@pytest.fixture
def urls():
    ModerationSettings.objects.create(hold_first_comments=False)
    tag = TagFactory()
    article = ArticleFactory(tags=[tag], title="Tofersen trial results")
    first = comment(article.discussion, guest_name="Fran", body="Thinking of you")
    topic = make.topic()
    make.reply(topic)
    return {
        "home": reverse("articles:home"),
        "archive": reverse("articles:archive"),
        "search": reverse("articles:search") + "?q=tofersen",
        "section": article.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "article": article.get_absolute_url(),
        "forums": reverse("forums:index"),
        "latest": reverse("forums:latest"),
        "category": topic.category.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "profile": reverse("accounts:member", args=[topic.author.pk]),
        "about": reverse("pages:about"),
        "reply": reverse("comments:reply", args=[first.pk]),
        "subthread": reverse("comments:thread", args=[first.pk]),
    }


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_page_can_be_shared(urls, page):
    reader = Client()
    first = reader.get(urls[page])
    second = reader.get(urls[page])
    assert first.status_code == second.status_code == 200
    assert not first.cookies and not second.cookies
    assert "nonce" not in first["Content-Security-Policy"]
    assert b"nonce" not in first.content
    assert first.content == second.content
    assert first["Cache-Control"] == "public, max-age=1"
    assert [v.strip() for v in first["Vary"].split(",")] == [
        "Cookie",
        "Accept-Encoding",
    ]
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]


@pytest.mark.parametrize("page", PAGES)
def test_an_unchanged_anonymous_page_is_answered_304(urls, page):
    reader = Client()
    first = reader.get(urls[page])
    tagged = reader.get(urls[page], headers={"If-None-Match": first["ETag"]})
    assert tagged.status_code == 304 and tagged.content == b""
    assert tagged["ETag"] == first["ETag"]
    dated = reader.get(
        urls[page], headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert dated.status_code == 304


@pytest.mark.parametrize("page", PAGES)
def test_a_members_copy_is_private(urls, page):
    member = Client()
    member.force_login(UserFactory())
    response = member.get(urls[page])
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert not response.has_header("ETag")


def test_a_csrf_cookie_alone_keeps_the_page_shared(urls):
    reader = Client()
    reader.cookies["csrftoken"] = "a" * 32
    assert reader.get(urls["article"])["Cache-Control"] == "public, max-age=1"


def test_a_guest_who_posted_gets_private_pages(urls):
    guest = Client()
    article = Comment.objects.first().discussion
    guest.post(
        reverse("comments:post", args=[article.pk]),
        {"body": "My own words", "name": "Rosa", "email": "rosa@example.org"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    response = guest.get(urls["article"])
    assert "My own words" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


def test_a_new_comment_reaches_the_next_anonymous_reader(urls):
    reader = Client()
    before = reader.get(urls["article"])
    discussion = Comment.objects.first().discussion
    Client().post(
        reverse("comments:post", args=[discussion.pk]),
        {"body": "Just posted", "name": "Rosa", "email": "rosa@example.org"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    after = reader.get(urls["article"], headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert "Just posted" in after.content.decode()
    # Changed within the same second or not, the new bytes are dated later.
    assert after["Last-Modified"] != before["Last-Modified"]
    dated = reader.get(
        urls["article"], headers={"If-Modified-Since": before["Last-Modified"]}
    )
    assert dated.status_code == 200


def test_a_removed_comment_leaves_the_next_anonymous_page(urls):
    reader = Client()
    shown = reader.get(urls["article"])
    assert "Thinking of you" in shown.content.decode()
    Comment.objects.get(body="Thinking of you").remove(
        by=UserFactory(), reason="off topic"
    )
    after = reader.get(urls["article"], headers={"If-None-Match": shown["ETag"]})
    assert after.status_code == 200
    assert "Thinking of you" not in after.content.decode()


def test_errors_and_posts_are_not_shared(urls):
    reader = Client()
    missing = reader.get(reverse("articles:detail", args=["no-such-article"]))
    assert missing.status_code == 404 and "public" not in missing.get(
        "Cache-Control", ""
    )
    assert not missing.has_header("ETag")
    posted = reader.post(
        reverse("comments:post", args=[Comment.objects.first().discussion_id]),
        {"body": "A post", "name": "Rosa", "email": "rosa@example.org"},
    )
    assert "public" not in posted.get("Cache-Control", "")


def test_a_page_not_marked_public_is_not_shared():
    response = Client().get(reverse("account_login"))
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag")


def test_a_very_long_address_is_shared_like_any_other(urls):
    long_search = reverse("articles:search") + "?q=" + "x" * 10_000
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # too long for some caches
        response = Client().get(long_search)
    assert response["Cache-Control"] == "public, max-age=1"
