"""Starting a topic and replying: the comments' posting rules, on topics."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationWord
from forums.models import Category, Topic
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return make.category(name="Living with ALS", slug="living")


@pytest.fixture
def member(client):
    person = make.verified(display_name="Priya")
    client.force_login(person)
    return person


def start(client, category, **changes):
    data = {
        "title": "Eye-gaze keyboards: which one?",
        "body": "We are choosing **one** this month.",
        "token": str(uuid.uuid4()),
        "post": "",
        **changes,
    }
    return client.post(reverse("forums:start", args=[category.slug]), data)


def test_a_verified_member_starts_a_topic_and_lands_on_it(client, category, member):
    make.publish_first_posts()
    response = start(client, category)
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == topic.get_absolute_url()
    assert topic.author == member and topic.category == category
    assert topic.opening_post.body == "We are choosing **one** this month."
    assert topic.opening_post.discussion == topic.discussion
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>one</strong>" in page
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 1)
    assert category.latest_topic == topic


def test_preview_shows_the_post_and_stores_nothing(client, category, member):
    response = start(client, category, preview="", body="Some *slanted* words")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<em>slanted</em>" in page
    assert "Some *slanted* words" in page  # kept in the form
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "Hi"}, "The title needs at least 5 characters."),
        ({"title": "x" * 151}, "The title can have at most 150 characters."),
        ({"title": ""}, "Please give your topic a title."),
        ({"body": "   "}, "Please write the first post of your topic."),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    client, category, member, changes, message
):
    response = start(client, category, **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "We are choosing **one** this month." in page or changes.get("body")
    assert not Topic.objects.exists()


def test_a_first_topic_is_held_seen_by_its_author_and_queued(client, category, member):
    response = start(client, category)
    topic = Topic.objects.get()
    assert topic.opening_post.status == Comment.Status.PENDING
    assert topic.is_held
    page = client.get(response["Location"]).content.decode()
    assert "This topic is awaiting moderation" in page
    category.refresh_from_db()
    assert category.topic_count == 0
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code == 404
    moderator = make.in_group("Moderators")
    client.force_login(moderator)
    queue = client.get(reverse("admin:comments_pendingcomment_changelist"))
    assert "We are choosing" in queue.content.decode()
    topic.opening_post.approve(by=moderator)
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 1)
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_one_new_topic_per_five_minutes(client, category, member):
    make.publish_first_posts()
    assert start(client, category).status_code == 302
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    Topic.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    response = start(client, category, title="A second topic", body="Other words")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait 4 minutes" in page and "Other words" in page
    Topic.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=6))
    response = start(client, category, title="A second topic", body="Other words")
    assert response.status_code == 302
    assert Topic.objects.count() == 2


def test_the_topic_rate_is_a_setting(client, category, member, settings):
    make.publish_first_posts()
    settings.KINDRED = {**settings.KINDRED, "FORUMS_TOPIC_RATE_SECONDS": 30}
    start(client, category)
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    Topic.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    assert start(client, category, title="Next one", body="Again").status_code == 302


def test_a_refused_topic_leaves_nothing_behind(client, category, member):
    ModerationWord.objects.create(word="miracle", kind=ModerationWord.Kind.BLOCKED)
    response = start(client, category, body="A miracle cure!")
    assert response.status_code == 200
    assert "“miracle”, which is not allowed here" in response.content.decode()
    assert not Topic.objects.exists()
    assert not Comment.objects.exists()


def test_the_honeypot_refuses(client, category, member):
    response = start(client, category, homepage="http://spam.example")
    assert "please leave the last field empty" in response.content.decode()
    assert not Topic.objects.exists()


def test_a_form_sent_twice_starts_one_topic(client, category, member):
    make.publish_first_posts()
    token = str(uuid.uuid4())
    first = start(client, category, token=token)
    again = start(client, category, token=token)
    assert Topic.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"]


def test_unverified_members_are_told_to_verify_first(client, category):
    client.force_login(make.UserFactory())
    response = start(client, category, body="Kept words")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Please verify your email address" in page and "Kept words" in page
    assert not Topic.objects.exists()


def test_guests_are_sent_to_log_in(client, category):
    response = client.get(reverse("forums:start", args=[category.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_only_categories_take_topics_from_staff(client):
    news = make.category(who_may_start=Category.Starters.STAFF)
    client.force_login(make.verified())
    assert start(client, news).status_code == 403
    make.publish_first_posts()
    client.force_login(make.in_group("Editors"))
    assert start(client, news).status_code == 302


def test_archived_categories_take_no_topics(client, member):
    archived = make.category(is_archived=True)
    response = start(client, archived, body="Kept words")
    assert response.status_code == 403
    assert "archived" in response.content.decode()
    assert not Topic.objects.exists()


def test_replies_move_the_topic_and_category_counts(client, category, member):
    make.publish_first_posts()
    topic = make.topic(category)
    make.reply(topic, author=member)  # no longer a first comment
    Comment.objects.filter(author=member).update(
        created_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    response = client.post(
        reverse("comments:reply", args=[topic.opening_post_id]),
        {"body": "Replying to the first post", "token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    category.refresh_from_db()
    assert topic.reply_count == 2 and topic.last_poster == member
    assert (category.topic_count, category.post_count) == (1, 3)
    reply = Comment.objects.get(body="Replying to the first post")
    assert reply.parent_id == topic.opening_post_id


def test_a_locked_topic_refuses_replies_and_gives_the_text_back(
    client, category, member
):
    make.publish_first_posts()
    topic = make.topic(category)
    topic.lock(by=None, reason="The question is answered")
    response = client.post(
        reverse("comments:post", args=[topic.discussion_id]),
        {"body": "My late words", "token": str(uuid.uuid4())},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "This topic is locked: The question is answered" in page
    assert "My late words" in page
    assert topic.discussion.comments.count() == 1
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "This topic is locked: The question is answered" in page
    assert 'name="body"' not in page


def test_guests_read_topics_but_may_not_reply(client, category):
    make.publish_first_posts()
    topic = make.topic(category)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Please log in to reply in the forums." in page
    assert f"{reverse('account_login')}?next={topic.get_absolute_url()}" in page
    response = client.post(
        reverse("comments:post", args=[topic.discussion_id]),
        {"body": "Guest words", "name": "G", "email": "g@example.org"},
    )
    assert response.status_code == 403
    assert topic.discussion.comments.count() == 1


def test_the_author_retitles_within_the_edit_window(client, category, member):
    topic = make.topic(category, author=member, now=timezone.now())
    url = reverse("forums:retitle", args=[topic.pk])
    response = client.post(url, {"title": "A clearer title"})
    topic.refresh_from_db()
    assert response.status_code == 302 and topic.title == "A clearer title"
    assert topic.records.get().action == "rename"
    Topic.objects.filter(pk=topic.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=31)
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Too late now"}).status_code == 404


def test_the_first_post_is_edited_like_a_comment(client, category, member):
    topic = make.topic(category, author=member, now=timezone.now())
    url = reverse("comments:edit", args=[topic.opening_post_id])
    assert url in client.get(topic.get_absolute_url()).content.decode()
    client.post(url, {"body": "Better first words", "opened": ""})
    topic.opening_post.refresh_from_db()
    assert topic.opening_post.body == "Better first words"
