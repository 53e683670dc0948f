"""The demo forum that `seed_demo` loads."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Max

from comments.models import Comment
from forums.bulk import recount
from forums.models import Category, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_a_real_looking_forum(seeded):
    assert 5 <= Category.objects.count() <= 7
    assert 38 <= Topic.objects.count() <= 46
    assert Category.objects.filter(who_may_start="staff").exists()
    assert Topic.objects.filter(is_pinned=True).count() >= 2
    assert Topic.objects.filter(is_locked=True).count() == 1
    deepest = Comment.objects.filter(discussion__topic__isnull=False).aggregate(
        Max("depth")
    )
    assert deepest["depth__max"] >= 3
    linked = Topic.objects.get(article__isnull=False)
    assert "neurofilament" in linked.title.lower()
    assert linked.article.is_published


def test_demo_topics_are_found_by_search(seeded, client):
    response = client.get("/search/", {"q": "neurofilament"})
    kinds = {result.kind for result in response.context["page_obj"]}
    assert kinds == {"article", "topic"}


def test_one_category_has_more_than_a_page(seeded, client):
    biggest = Category.objects.order_by("-topic_count").first()
    assert biggest.topic_count > 30
    page = client.get(biggest.get_absolute_url()).content.decode()
    assert "Page 1 of 2" in page


def test_the_demo_counts_are_those_the_rows_give(seeded):
    kept = list(Category.objects.values("pk", "topic_count", "post_count"))
    topics = list(Topic.objects.values("pk", "reply_count", "last_active"))
    recount()
    assert list(Category.objects.values("pk", "topic_count", "post_count")) == kept
    assert list(Topic.objects.values("pk", "reply_count", "last_active")) == topics
