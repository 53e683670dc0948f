"""Members follow a whole forum category: a Follow button with its state in
words, and each new topic there reaches them through the notifications."""

import pytest
from django.urls import reverse

from accounts import member_data
from accounts.models import Notification
from comments.models import ModerationSettings
from forums.models import CategoryFollow
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published(settings):
    make.publish_first_posts()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def follow(client, category, value):
    return client.post(
        reverse("forums:follow", args=[category.slug]), {"follow": value}
    )


def test_a_member_follows_and_unfollows_a_category(client):
    ana, room = make.verified(), make.category(name="Caregivers")
    client.force_login(ana)
    page = client.get(room.get_absolute_url()).content.decode()
    assert "Follow this category" in page and "You follow this category" not in page
    response = follow(client, room, "1")
    assert response.status_code == 302 and response.url == room.get_absolute_url()
    follow(client, room, "1")  # twice is still once
    assert list(CategoryFollow.objects.values_list("member", "category")) == [
        (ana.pk, room.pk)
    ]
    page = client.get(room.get_absolute_url()).content.decode()
    assert "You now follow Caregivers" in page
    assert "You follow this category: new topics appear in your notifications." in page
    assert "Unfollow this category" in page
    follow(client, room, "0")
    assert not CategoryFollow.objects.exists()
    page = client.get(room.get_absolute_url()).content.decode()
    assert "You no longer follow Caregivers." in page
    assert "Follow this category" in page


def test_following_needs_a_login_and_a_post(client):
    room = make.category()
    response = follow(client, room, "1")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert (
        "Follow this category"
        not in client.get(room.get_absolute_url()).content.decode()
    )
    client.force_login(make.verified())
    assert client.get(reverse("forums:follow", args=[room.slug])).status_code == 405
    missing = client.post(reverse("forums:follow", args=["nowhere"]), {"follow": "1"})
    assert missing.status_code == 404


def test_a_new_topic_notifies_the_categorys_followers_once(
    django_capture_on_commit_callbacks,
):
    room, elsewhere = make.category(name="Research"), make.category()
    ana, ben, cal = make.verified(), make.verified(), make.verified()
    starter = make.verified(display_name="Hannah")
    for member in (ana, cal, starter):
        CategoryFollow.objects.create(member=member, category=room)
    CategoryFollow.objects.create(member=ben, category=elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        topic = make.topic(room, author=starter, title="A trial near Leeds")
    notes = Notification.objects.select_related("recipient")
    assert {note.recipient for note in notes} == {ana, cal}  # never the author
    note = notes.get(recipient=ana)
    assert note.kind == Notification.Kind.FOLLOWED
    assert note.comment_id == topic.opening_post_id
    assert note.summary == "Hannah started “A trial near Leeds” where you follow"
    # Replies in the topic are not news of the category.
    with django_capture_on_commit_callbacks(execute=True):
        make.reply(topic, author=ben)
    assert (
        not Notification.objects.filter(recipient__in=[ana, cal])
        .exclude(comment_id=topic.opening_post_id)
        .exists()
    )


def test_a_held_topic_notifies_nobody_until_approved(
    django_capture_on_commit_callbacks,
):
    room, ana = make.category(), make.verified()
    CategoryFollow.objects.create(member=ana, category=room)
    settings = ModerationSettings.current()
    settings.hold_first_comments = True
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        topic = make.topic(room, title="Held until approved")
    assert topic.is_held
    # Only its author hears of it: their topic awaits moderation.
    [note] = Notification.objects.all()
    assert (note.recipient, note.kind) == (topic.author, Notification.Kind.DECISION)
    assert note.summary == "Your topic “Held until approved”: Awaiting moderation"
    with django_capture_on_commit_callbacks(execute=True):
        topic.opening_post.approve(by=make.in_group("Moderators"))
    assert Notification.objects.filter(recipient=ana).count() == 1


def test_the_notifications_page_says_a_topic_was_started(
    client, django_capture_on_commit_callbacks
):
    room, ana = make.category(), make.verified()
    CategoryFollow.objects.create(member=ana, category=room)
    with django_capture_on_commit_callbacks(execute=True):
        make.topic(room, author=make.verified(display_name="Kenji"), title="Hoists")
    client.force_login(ana)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Kenji started “Hoists” where you follow" in html


def test_category_follows_are_exported_and_erased(client):
    room, ana = make.category(name="Equipment"), make.verified()
    CategoryFollow.objects.create(member=ana, category=room)
    exported = member_data.export(ana)["category_follows"]
    assert [row["category"] for row in exported] == ["Equipment"]
    member_data.delete_account(ana, keep_posts=True)
    assert not CategoryFollow.objects.exists()
