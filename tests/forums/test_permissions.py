"""Every role at every forum URL: one outcome per cell.

`member` started the topics; `other_member` is anyone else signed in;
`unverified` is signed in without a verified email address. Forbidden changes
nothing in the database.
"""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from forums.models import Category, Topic, TopicRecord
from tests.factories import UserFactory
from tests.forums import make

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "unverified", "member", "other_member", "editor", "moderator"]
LOGIN = "login"


@pytest.fixture
def people():
    return {
        "anonymous": None,
        "unverified": UserFactory(display_name="Unverified"),
        "member": make.verified(display_name="Starter"),
        "other_member": make.verified(display_name="Someone else"),
        "editor": make.in_group("Editors", display_name="Editor"),
        "moderator": make.in_group("Moderators", display_name="Moderator"),
    }


@pytest.fixture
def scene(people):
    make.publish_first_posts()
    open_category = make.category(slug="open")
    staff = make.category(slug="news", who_may_start=Category.Starters.STAFF)
    archived = make.category(slug="old", is_archived=True)
    author = people["member"]
    locked = make.topic(open_category, author=author)
    locked.lock(by=None, reason="Answered")
    held = make.topic(open_category, author=author)
    Comment.objects.filter(pk=held.opening_post_id).update(
        status=Comment.Status.PENDING
    )
    removed = make.topic(open_category, author=author)
    removed.remove(by=None, reason="Off topic")
    in_archive = make.topic(archived, author=author)
    # Last, a minute ago: in the edit window, and past the pace of comments.
    a_minute_ago = timezone.now() - timezone.timedelta(minutes=1)
    public = make.topic(open_category, author=author, now=a_minute_ago)
    return {
        "open": open_category,
        "staff": staff,
        "archived": archived,
        "public": public,
        "locked": locked,
        "held": held,
        "removed": removed,
        "in_archive": in_archive,
        "elsewhere": make.category(slug="elsewhere"),
    }


def answer(client, people, role, method, url, data=None):
    if people[role]:
        client.force_login(people[role])
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and "login" in response["Location"]:
        return LOGIN
    return response.status_code


EVERYONE_READS = dict.fromkeys(ROLES, 200)
AUTHOR_AND_MODERATOR = {**dict.fromkeys(ROLES, 404), "member": 200, "moderator": 200}
MEMBERS_START = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN, "unverified": 403}
STAFF_START = {**MEMBERS_START, "member": 403, "other_member": 403}
NO_ONE_STARTS = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN}
MODERATORS_ONLY = {**dict.fromkeys(ROLES, 404), "moderator": 302}


def url_of(scene, name):
    topic_urls = {
        key: scene[key].get_absolute_url()
        for key in scene
        if key in ("public", "locked", "held", "removed", "in_archive")
    }
    return {
        "index": reverse("forums:index"),
        "latest": reverse("forums:latest"),
        "category": scene["open"].get_absolute_url(),
        "archived_category": scene["archived"].get_absolute_url(),
        "start_open": reverse("forums:start", args=["open"]),
        "start_staff": reverse("forums:start", args=["news"]),
        "start_archived": reverse("forums:start", args=["old"]),
        "retitle": reverse("forums:retitle", args=[scene["public"].pk]),
        "edit_first_post": reverse(
            "comments:edit", args=[scene["public"].opening_post_id]
        ),
        **{f"topic_{key}": url for key, url in topic_urls.items()},
    }[name]


READING = {
    "index": EVERYONE_READS,
    "latest": EVERYONE_READS,
    "category": EVERYONE_READS,
    "archived_category": EVERYONE_READS,
    "topic_public": EVERYONE_READS,
    "topic_locked": EVERYONE_READS,
    "topic_in_archive": EVERYONE_READS,
    "topic_held": AUTHOR_AND_MODERATOR,
    "topic_removed": AUTHOR_AND_MODERATOR,
    "retitle": AUTHOR_AND_MODERATOR,
    "edit_first_post": {**dict.fromkeys(ROLES, 404), "member": 200},
    "start_open": MEMBERS_START,
    "start_staff": STAFF_START,
    "start_archived": NO_ONE_STARTS,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", READING)
def test_who_may_open_each_page(client, people, scene, role, name):
    assert (
        answer(client, people, role, "get", url_of(scene, name)) == READING[name][role]
    )


def test_removed_topics_show_their_author_only_the_reason(client, people, scene):
    client.force_login(people["member"])
    page = client.get(scene["removed"].get_absolute_url()).content.decode()
    assert "Off topic" in page and "Your topic was removed" in page
    assert scene["removed"].opening_post.body not in page


def test_removed_and_held_topics_stay_off_the_lists(client, people, scene):
    client.force_login(people["moderator"])
    for url in (reverse("forums:latest"), scene["open"].get_absolute_url()):
        page = client.get(url).content.decode()
        assert scene["public"].title in page
        assert scene["removed"].title not in page
        assert scene["held"].title not in page


MOVES = {
    "pin": {},
    "lock": {"reason": "Enough said"},
    "move": {"category": "elsewhere"},
    "rename": {"title": "A moderator's title"},
    "remove": {"reason": "Spam"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MOVES)
def test_only_moderators_pin_lock_move_rename_and_remove(
    client, people, scene, role, action
):
    topic = scene["public"]
    data = {"action": action, **MOVES[action]}
    if action == "move":
        data["category"] = scene["elsewhere"].pk
    url = reverse("forums:moderate", args=[topic.pk])
    before = Topic.objects.filter(pk=topic.pk).values().get()
    assert answer(client, people, role, "post", url, data) == MODERATORS_ONLY[role]
    after = Topic.objects.filter(pk=topic.pk).values().get()
    changed = before != after
    assert changed == (role == "moderator")
    assert TopicRecord.objects.filter(topic=topic).exists() == changed


REPLY_TO = {
    "public": {**dict.fromkeys(ROLES, 302), "anonymous": 403},
    "locked": dict.fromkeys(ROLES, 403),
    "in_archive": dict.fromkeys(ROLES, 403),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", REPLY_TO)
def test_who_may_reply_where(client, people, scene, role, which):
    topic = scene[which]
    url = reverse("comments:post", args=[topic.discussion_id])
    data = {"body": "A reply", "token": str(uuid.uuid4()), "name": "G"}
    data["email"] = "g@example.org"
    before = topic.discussion.comments.count()
    status = answer(client, people, role, "post", url, data)
    assert status == REPLY_TO[which][role]
    assert topic.discussion.comments.count() == before + (status == 302)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_retitle(client, people, scene, role):
    topic = scene["public"]
    url = reverse("forums:retitle", args=[topic.pk])
    status = answer(client, people, role, "post", url, {"title": "Changed title"})
    topic.refresh_from_db()
    assert status == {**AUTHOR_AND_MODERATOR, "member": 302, "moderator": 302}[role]
    assert (topic.title == "Changed title") == (status == 302)
