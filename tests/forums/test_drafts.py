"""The new-topic form keeps its title and first post as a member's draft."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Draft
from forums.models import Topic
from tests.forums import make

pytestmark = pytest.mark.django_db

TITLE = "Night-time breathing: what helped"
BODY = "We tried three masks before one fitted, and"


@pytest.fixture
def category():
    return make.category(name="Living with ALS", slug="living")


@pytest.fixture
def member():
    return make.verified(display_name="Priya")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def start(client, category, **changes):
    data = {"title": TITLE, "body": BODY, "token": str(uuid.uuid4()), **changes}
    return client.post(reverse("forums:start", args=[category.slug]), data)


def test_a_previewed_topic_comes_back_on_another_device(category, member):
    assert start(signed_in(member), category, preview="").status_code == 200
    draft = Draft.objects.get()
    assert (draft.place, draft.title, draft.body, draft.label) == (
        f"topic-in-{category.pk}",
        TITLE,
        BODY,
        "New topic in Living with ALS",
    )
    url = reverse("forums:start", args=[category.slug])
    html = signed_in(member).get(url).content.decode()
    assert f'value="{TITLE}"' in html and f"{BODY}</textarea>" in html
    assert "is restored." in html and 'name="discard_draft"' in html
    # Another category's form is another form.
    other = make.category(name="Caregivers", slug="caregivers")
    html = signed_in(member).get(reverse("forums:start", args=[other.slug]))
    assert BODY not in html.content.decode()


def test_starting_the_topic_deletes_its_draft(category, member):
    make.publish_first_posts()
    client = signed_in(member)
    start(client, category, save_draft="1")
    assert Draft.objects.get().title == TITLE
    assert start(client, category, post="").status_code == 302
    assert Topic.objects.get().title == TITLE
    assert not Draft.objects.exists()


def test_another_member_never_sees_the_draft(category, member):
    start(signed_in(member), category, preview="")
    url = reverse("forums:start", args=[category.slug])
    html = signed_in(make.verified()).get(url).content.decode()
    assert BODY not in html and TITLE not in html and "is restored." not in html


def test_a_title_over_the_limit_is_refused_as_a_draft(category, member):
    response = start(signed_in(member), category, title="x" * 151, save_draft="1")
    assert response.status_code == 400
    assert "151 characters long; the limit is 150" in response.json()["message"]
    assert not Draft.objects.exists()


def test_discarding_the_topic_draft(category, member):
    client = signed_in(member)
    start(client, category, preview="")
    response = start(client, category, discard_draft="1")
    assert response["Location"] == reverse("forums:start", args=[category.slug])
    assert not Draft.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Your draft was discarded." in html and BODY not in html
