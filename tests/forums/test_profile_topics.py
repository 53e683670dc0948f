"""A member's profile lists the topics they started, newest first and paged,
besides their comments; never held or removed topics."""

import pytest
from django.urls import reverse

from accounts.views import COMMENTS_PER_PAGE
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published():
    make.publish_first_posts()


def profile(client, person, **params):
    response = client.get(reverse("accounts:member", args=[person.pk]), params)
    assert response.status_code == 200
    return response


def listed(response):
    [started] = response.context["started"]
    return [topic.title for topic in started["page_obj"]]


def test_the_profile_lists_their_topics_newest_first(client):
    person = make.verified(display_name="Hannah")
    room = make.category(name="Caregivers")
    make.topic(room, author=person, title="First of mine")
    make.topic(room, author=person, title="Second of mine")
    make.topic(room, title="Somebody else's topic")
    response = profile(client, person)
    assert listed(response) == ["Second of mine", "First of mine"]
    html = response.content.decode()
    assert "2 forum topics" in html
    assert 'href="/forums/' in html and ">Caregivers</a>" in html
    assert "Somebody else" not in html


def test_held_and_removed_topics_are_not_listed(client):
    person = make.verified()
    make.topic(author=person, title="Public one")
    make.topic(author=person, title="Removed one").remove(
        by=make.in_group("Moderators"), reason="Spam"
    )
    make.topic(author=person, title="Held one").opening_post.hold(
        reason="test", rule="test"
    )
    assert listed(profile(client, person)) == ["Public one"]
    client.force_login(person)  # the profile is the public's view, even for them
    assert listed(profile(client, person)) == ["Public one"]


def test_topics_are_paged_on_their_own(client):
    person = make.verified()
    room = make.category()
    for n in range(COMMENTS_PER_PAGE + 3):
        make.topic(room, author=person, title=f"My topic number {n:02}")
    first = profile(client, person)
    assert len(listed(first)) == COMMENTS_PER_PAGE
    assert listed(first)[0] == f"My topic number {COMMENTS_PER_PAGE + 2:02}"
    html = first.content.decode()
    assert 'href="?topics_page=2#topics"' in html
    assert 'aria-label="Pages of topics"' in html
    second = profile(client, person, topics_page=2)
    assert listed(second) == [f"My topic number {n:02}" for n in (2, 1, 0)]
    assert second.context["page_obj"].number == 1  # comments stay on page 1


def test_a_member_without_topics(client):
    person = make.verified()
    html = profile(client, person).content.decode()
    assert "0 forum topics" in html and "No topics yet." in html


def test_the_profile_query_count_does_not_grow_with_topics(
    client, django_assert_max_num_queries
):
    person = make.verified()
    room = make.category()
    make.topic(room, author=person)
    with django_assert_max_num_queries(10) as few:
        profile(client, person)
    for _ in range(8):
        make.topic(room, author=person)
    with django_assert_max_num_queries(len(few)):
        profile(client, person)
