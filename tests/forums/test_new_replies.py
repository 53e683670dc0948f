"""The forum lists tell a member how many replies are new to them in each topic."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import forums.views
from accounts.models import Mute
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published():
    make.publish_first_posts()


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def row(html, topic):
    """The list row of `topic`."""
    start = html.index(f'href="{topic.get_absolute_url()}"')
    return html[start : html.index("</li>", start)]


@pytest.fixture
def reader(client):
    member = make.verified(display_name="Rosa")
    client.force_login(member)
    return member


def test_lists_count_replies_by_others_since_the_members_last_visit(client, reader):
    now = timezone.now()
    category = make.category()
    read_one = make.topic(category, title="Read before")
    never_read = make.topic(category, title="Never opened")
    with at(now - timedelta(hours=3)):
        assert client.get(read_one.get_absolute_url()).status_code == 200
    with at(now - timedelta(hours=2)):
        make.reply(read_one, body="One")
        make.reply(read_one, body="Two")
        make.reply(read_one, author=reader, body="My own")
        make.reply(never_read, body="Elsewhere")
        make.reply(read_one, body="Held", held=True)
    urls = [
        category.get_absolute_url(),
        reverse("forums:latest"),
        reverse("forums:index"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "2 new replies" in row(html, read_one), url
        assert "new repl" not in row(html, never_read), url
    # Reading it again brings its count back to nothing.
    client.get(read_one.get_absolute_url())
    html = client.get(category.get_absolute_url()).content.decode()
    assert "new repl" not in row(html, read_one)


def test_guests_see_no_counts(client):
    topic = make.topic()
    make.reply(topic)
    html = client.get(topic.category.get_absolute_url()).content.decode()
    assert "new repl" not in html


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["index", "latest", "category"])
def test_the_counts_cost_a_list_one_query_however_many_topics_were_read(
    client, reader, name, monkeypatch
):
    category = make.category(slug="read")
    url = {
        "index": reverse("forums:index"),
        "latest": reverse("forums:latest"),
        "category": category.get_absolute_url(),
    }[name]
    topics = [make.topic(category) for _ in range(3)]
    none_read = count_queries(client, url)
    for topic in topics:
        client.get(topic.get_absolute_url())
        make.reply(topic)
    all_read = count_queries(client, url)
    assert client.get(url).content.decode().count("1 new reply") == 3
    monkeypatch.setattr(forums.views, "with_new_replies", lambda request, t: list(t))
    without = count_queries(client, url)
    assert none_read == all_read == without + 1


def test_replies_by_a_muted_member_are_not_counted(client, reader):
    topic = make.topic()
    client.get(topic.get_absolute_url())
    loud = make.verified(display_name="Vic")
    Mute.objects.create(muter=reader, muted=loud)
    make.reply(topic, author=loud, body="Loud")
    make.reply(topic, body="Calm")
    html = client.get(topic.category.get_absolute_url()).content.decode()
    assert "1 new reply" in row(html, topic)
