"""The forum's pages: categories, topic lists, the topic page, their URLs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums.models import Category, Topic
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published():
    make.publish_first_posts()


def test_front_page_lists_categories_in_editors_order_with_counts(client):
    second = make.category(name="Caregivers", position=2)
    first = make.category(name="Newly diagnosed", position=1, description="Start here")
    topic = make.topic(first, title="Just diagnosed, where to begin?")
    make.reply(topic)
    make.reply(topic)
    page = client.get(reverse("forums:index")).content.decode()
    assert page.index("Newly diagnosed") < page.index("Caregivers")
    assert "Start here" in page
    assert "1 topic" in page and "3 posts" in page
    assert "Just diagnosed, where to begin?" in page
    assert second.get_absolute_url() in page


def test_groups_come_in_the_order_of_their_first_category(client):
    make.category(name="Chat", group="Community", position=3)
    make.category(name="News", group="Start here", position=1)
    make.category(name="Caregivers", group="Everyday life", position=2)
    page = client.get(reverse("forums:index")).content.decode()
    headings = [
        page.index(f"{name}</h2>")
        for name in ("Start here", "Everyday life", "Community")
    ]
    assert headings == sorted(headings)


def test_category_page_lists_pinned_first_then_latest_activity(client):
    category = make.category()
    old = make.topic(category, title="Old but pinned")
    quiet = make.topic(category, title="Quiet topic")
    busy = make.topic(category, title="Busy topic")
    make.reply(quiet)
    old.pin(by=None)
    page = client.get(category.get_absolute_url()).content.decode()
    assert page.index("Old but pinned") < page.index("Quiet topic")
    assert page.index("Quiet topic") < page.index("Busy topic")
    assert busy.get_absolute_url() in page


def test_category_pages_have_thirty_topics_and_page_links(client):
    category = make.category()
    for _ in range(31):
        make.topic(category)
    first = client.get(category.get_absolute_url()).content.decode()
    assert first.count('class="topic-row') == 30
    assert first.count("Page 1 of 2") == 2  # links at the top and the bottom
    second = client.get(category.get_absolute_url() + "?page=2").content.decode()
    assert second.count('class="topic-row') == 1


def test_rows_show_who_started_and_who_replied_last(client):
    category = make.category()
    starter = make.verified(display_name="Priya")
    topic = make.topic(category, author=starter)
    make.reply(topic, author=make.verified(display_name="Tom"))
    topic.refresh_from_db()
    assert topic.reply_count == 1
    page = client.get(category.get_absolute_url()).content.decode()
    assert "Started by Priya" in page
    assert "1 reply" in page and "last by Tom" in page


def test_latest_lists_topics_of_every_category_by_activity(client):
    one, two = make.category(), make.category()
    first = make.topic(one, title="First topic here")
    make.topic(two, title="Second topic here")
    make.reply(first)
    page = client.get(reverse("forums:latest")).content.decode()
    assert page.index("First topic here") < page.index("Second topic here")
    assert one.name in page and two.name in page


def test_topic_page_shows_breadcrumb_first_post_and_replies(client):
    topic = make.topic(title="Feeding tube: when?", body="We are *deciding* now.")
    make.reply(topic, body="We waited too long, honestly.")
    response = client.get(topic.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Feeding tube: when?</h1>" in page
    assert topic.category.get_absolute_url() in page
    assert "<em>deciding</em>" in page
    assert "We waited too long, honestly." in page
    assert reverse("comments:reply", args=[topic.opening_post_id]) in page


def test_a_topic_url_survives_rename_and_move_with_a_301(client):
    topic = make.topic(title="First words")
    old_url = topic.get_absolute_url()
    topic.rename(title="Better words", by=None)
    topic.move(to=make.category(slug="elsewhere"), by=None)
    topic.refresh_from_db()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == topic.get_absolute_url()
    assert "/elsewhere/" in topic.get_absolute_url()
    assert "better-words" in topic.get_absolute_url()


def test_unknown_topic_and_category_are_404(client):
    category = make.category()
    assert client.get(reverse("forums:category", args=["nope"])).status_code == 404
    url = reverse("forums:topic", args=[category.slug, 999999, "x"])
    assert client.get(url).status_code == 404


def test_reserved_slugs_cannot_name_a_category():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Category(name="Latest", slug="latest").full_clean()


def queries(client, url):
    """Queries for a page, once the site-wide menu is in the cache."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["index", "latest", "category", "page2"])
def test_list_pages_cost_the_same_at_100_and_1000_topics(client, name):
    category = make.category(slug="big")
    others = [make.category() for _ in range(3)]
    urls = {
        "index": reverse("forums:index"),
        "latest": reverse("forums:latest"),
        "category": category.get_absolute_url(),
        "page2": category.get_absolute_url() + "?page=2",
    }
    grow(category, others, 100)
    small = queries(client, urls[name])
    grow(category, others, 900)
    assert queries(client, urls[name]) == small <= 6


def grow(category, others, count):
    from tests.forums.bulk import add_topics

    add_topics(category, count - count // 10)
    for other in others:
        add_topics(other, count // 30)


def test_topic_list_reads_counts_as_data():
    topic = make.topic()
    make.reply(topic)
    held = make.reply(topic, held=True)
    category = Category.objects.get(pk=topic.category_id)
    assert (category.topic_count, category.post_count) == (1, 2)
    held.approve(by=None)
    category.refresh_from_db()
    assert category.post_count == 3
    assert Topic.objects.get(pk=topic.pk).reply_count == 2


def add_replies(topic, count):
    from comments.bulk import insert_thread

    author = make.verified()
    insert_thread(
        topic.discussion,
        [
            {"reply_to": None, "author": author, "body": f"Reply {n}"}
            for n in range(count)
        ],
    )


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_a_topic_page_costs_the_same_at_100_and_1000_replies(client, who):
    if who != "anonymous":
        group = "Moderators" if who == "moderator" else None
        client.force_login(make.in_group(group) if group else make.verified())
    topic = make.topic()
    add_replies(topic, 100)
    small = queries(client, topic.get_absolute_url())
    add_replies(topic, 900)
    assert queries(client, topic.get_absolute_url()) == small
    if who == "anonymous":
        assert small <= 6
    topic.refresh_from_db()
    assert topic.reply_count == 1000


def test_each_category_has_a_feed_of_its_public_topics(client):
    category = make.category()
    make.topic(category, title="A topic for the feed", body="Feed **words**")
    hidden = make.topic(category, title="A removed topic")
    hidden.remove(by=None, reason="Spam")
    make.topic(title="In another category")
    response = client.get(reverse("forums:feed", args=[category.slug]))
    feed = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "A topic for the feed" in feed and "&lt;strong&gt;words" in feed
    assert "A removed topic" not in feed and "In another category" not in feed
