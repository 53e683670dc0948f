"""The moderators' moves on topics, from the topic page and the admin."""

import pytest
from django.urls import reverse

from forums.models import Category, Topic, TopicRecord
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    make.publish_first_posts()
    person = make.in_group("Moderators", display_name="Sam")
    client.force_login(person)
    return person


def moderate(client, topic, **data):
    return client.post(reverse("forums:moderate", args=[topic.pk]), data)


def test_the_tools_show_to_moderators_only(client, moderator):
    topic = make.topic()
    assert "Moderator tools" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(make.verified())
    assert (
        "Moderator tools" not in client.get(topic.get_absolute_url()).content.decode()
    )


def test_pin_puts_a_topic_first_and_is_recorded(client, moderator):
    category = make.category()
    pinned = make.topic(category, title="Read this first")
    make.topic(category, title="A newer topic")
    response = moderate(client, pinned, action="pin")
    assert response.status_code == 302
    page = client.get(category.get_absolute_url()).content.decode()
    assert page.index("Read this first") < page.index("A newer topic")
    record = TopicRecord.objects.get()
    assert (record.action, record.actor) == ("pin", moderator)
    moderate(client, pinned, action="unpin")
    assert not Topic.objects.get(pk=pinned.pk).is_pinned


def test_lock_says_why_on_the_topic_and_unlock_reopens(client, moderator):
    topic = make.topic()
    moderate(client, topic, action="lock", reason="Thread has run its course")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "This topic is locked: Thread has run its course" in page
    moderate(client, topic, action="unlock")
    topic.refresh_from_db()
    assert not topic.is_locked and topic.lock_reason == ""
    assert list(topic.records.values_list("action", flat=True)) == ["unlock", "lock"]


def test_move_carries_the_counts_to_the_new_category(client, moderator):
    here, there = make.category(), make.category()
    topic = make.topic(here)
    make.reply(topic)
    response = moderate(client, topic, action="move", category=there.pk)
    topic.refresh_from_db()
    assert response["Location"] == topic.get_absolute_url()
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.topic_count, here.post_count, here.latest_topic) == (0, 0, None)
    assert (there.topic_count, there.post_count) == (1, 2)
    assert there.latest_topic == topic
    record = topic.records.get()
    assert (record.from_value, record.to_value) == (here.name, there.name)


def test_rename_changes_title_and_address(client, moderator):
    topic = make.topic(title="Whatever")
    moderate(client, topic, action="rename", title="Wheelchair ramps")
    topic.refresh_from_db()
    assert topic.title == "Wheelchair ramps" and topic.slug == "wheelchair-ramps"
    assert topic.records.get().from_value == "Whatever"


def test_remove_needs_a_reason_said_next_to_the_field(client, moderator):
    topic = make.topic()
    response = moderate(client, topic, action="remove", reason="")
    assert response.status_code == 400
    assert "Give a reason: the author will see it." in response.content.decode()
    assert not Topic.objects.get(pk=topic.pk).is_removed


def test_remove_takes_the_topic_away_and_restore_brings_it_back(client, moderator):
    category = make.category()
    topic = make.topic(category)
    make.reply(topic)
    moderate(client, topic, action="remove", reason="Advertising")
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (0, 0)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Removed by a moderator: Advertising" in page  # kept for moderators
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    moderate(client, topic, action="restore")
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 2)
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_replies_to_a_removed_topic_leave_the_category_counts_alone():
    make.publish_first_posts()
    topic = make.topic()
    topic.remove(by=None, reason="Gone")
    make.reply(topic)
    category = Category.objects.get(pk=topic.category_id)
    assert (category.topic_count, category.post_count) == (0, 0)


def test_admin_actions_use_the_same_methods_and_records(client, moderator):
    topic = make.topic()
    response = client.post(
        reverse("admin:forums_topic_changelist"),
        {"action": "lock", "_selected_action": [topic.pk]},
    )
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).is_locked
    assert topic.records.get().actor == moderator


def test_the_topic_admin_page_shows_both_halves_of_the_trail(client, moderator):
    held = make.topic(title="Old words here")
    held.opening_post.hold(reason="held: links", rule="links")
    held.rename(title="New words", by=moderator)
    page = client.get(reverse("admin:forums_topic_change", args=[held.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "held: links" in text  # the decision on the first post
    assert "Old words here" in text  # the topic's own record of the rename


def test_editors_keep_categories_and_not_topics(client):
    client.force_login(make.in_group("Editors"))
    assert client.get(reverse("admin:forums_category_add")).status_code == 200
    topic = make.topic()
    url = reverse("admin:forums_topic_change", args=[topic.pk])
    assert client.get(url).status_code == 403
