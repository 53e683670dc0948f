"""Deep pages of a large category: a page reached by its Next or Previous link
is a keyset page (it starts from the key of the row before it); a page number
past the middle is counted from the far end. Every way lists the same topics."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums.bulk import insert_topics, recount
from forums.models import Category, Topic
from forums.views import TOPICS_PER_PAGE
from tests.forums import make

pytestmark = pytest.mark.django_db

COUNT = TOPICS_PER_PAGE * 3 + 7  # four pages, the last one short


@pytest.fixture
def room():
    room = make.category(slug="big-room")
    author = make.verified()
    now = timezone.now()
    rows = [
        {
            "title": f"Topic {n:03}",
            "author": author,
            "body": "Hello",
            # Some share a time to the microsecond: the id breaks the tie.
            "created_at": now - timedelta(minutes=n // 3),
        }
        for n in range(COUNT)
    ]
    topics = insert_topics(room, rows)
    recount()
    for topic in topics[40:42]:
        topic.pin(by=None)
    return Category.objects.get(pk=room.pk)


def expected(room):
    return list(
        Topic.objects.listed()
        .filter(category=room)
        .order_by("-is_pinned", "-last_active", "-id")
        .values_list("title", flat=True)
    )


def titles(response):
    return [topic.title for topic in response.context["page_obj"].object_list]


def link(response, rel):
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    return found and found.group(1).replace("&amp;", "&")


def test_next_and_previous_links_walk_the_same_list_as_page_numbers(client, room):
    url = room.get_absolute_url()
    by_number = []
    for number in range(1, 5):
        by_number += titles(client.get(url, {"page": number}))
    assert by_number == expected(room) and len(by_number) == COUNT

    walked, response = [], client.get(url)
    while True:
        walked += titles(response)
        if not (after := link(response, "next")):
            break
        assert "after=" in after
        response = client.get(url + after)
    assert walked == by_number

    back = []
    while True:
        back = titles(response) + back
        if not (before := link(response, "prev")):
            break
        assert "before=" in before
        response = client.get(url + before)
    assert back == by_number
    assert response.context["page_obj"].number == 1


def test_a_linked_page_starts_at_its_key_not_by_counting(client, room):
    url = room.get_absolute_url()
    after = link(client.get(url, {"page": 2}), "next")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + after)
    assert response.status_code == 200
    assert titles(response) == expected(room)[60:90]
    listing = [q["sql"] for q in queries if "forums_topic" in q["sql"]]
    assert len(listing) == 1 and "OFFSET" not in listing[0]
    assert len(queries) == 2  # the category, then the page: as page 1


def test_pages_past_the_middle_are_counted_from_the_end(client, room):
    url = room.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        last = client.get(url, {"page": 4})
    assert titles(last) == expected(room)[90:]
    listing = [q["sql"] for q in queries if "forums_topic" in q["sql"]][0]
    assert "OFFSET" not in listing  # the last page is the first from the end
    assert titles(client.get(url, {"page": 3})) == expected(room)[60:90]


@pytest.mark.parametrize(
    "cursor", ["garbage", "1.2", "2.1.1", "0.99999999999999999999999.5", "0.1.-4", ""]
)
def test_a_cursor_typed_by_hand_falls_back_to_the_page_number(client, room, cursor):
    for key in ("after", "before"):
        response = client.get(room.get_absolute_url(), {"page": 2, key: cursor})
        assert response.status_code == 200
        assert titles(response) == expected(room)[30:60]


def test_page_number_links_leave_the_cursor_behind(client, room):
    url = room.get_absolute_url()
    after = link(client.get(url), "next")
    html = client.get(url + after).content.decode()
    numbered = re.findall(r'<a href="(\?[^"]*)"><span class="visually-hidden">', html)
    assert numbered and not any("after" in href for href in numbered)


def test_latest_pages_walk_by_key_too(client, room):
    url = "/forums/latest/"
    response = client.get(url)
    after = link(response, "next")
    assert after and "after=" in after
    second = client.get(url + after)
    everything = list(
        Topic.objects.listed()
        .order_by("-last_active", "-id")
        .values_list("title", flat=True)
    )
    assert titles(second) == everything[30:60]
