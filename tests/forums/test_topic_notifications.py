"""Forum topics notify as article discussions do: the member who started a
topic hears of each reply to it, and members following the topic hear of
every new comment in it."""

import pytest

from accounts.models import Follow, Notification
from comments.models import Comment
from tests.accounts.test_notifications import IMMEDIATE, write
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def test_a_reply_to_a_topic_tells_the_member_who_started_it(
    client, django_capture_on_commit_callbacks
):
    make.publish_first_posts()
    starter = make.verified(display_name="Grace")
    replier = make.verified(display_name="Tom")
    topic = make.topic(author=starter, title="Start here: the first month")
    with django_capture_on_commit_callbacks(execute=True):
        write(client, replier, topic.discussion, "Write questions down.")
    reply = Comment.objects.get(body="Write questions down.")
    note = Notification.objects.get(recipient=starter)
    assert (note.kind, note.actor, note.comment) == (
        Notification.Kind.REPLY,
        replier,
        reply,
    )
    assert not Notification.objects.filter(recipient=replier).exists()


def test_followers_of_a_topic_hear_of_replies_deep_in_it(
    client, django_capture_on_commit_callbacks
):
    make.publish_first_posts()
    starter, follower, replier = (
        make.verified(display_name=name) for name in ("Grace", "Priya", "Tom")
    )
    topic = make.topic(author=starter, title="Ramps, grants and hoists")
    first = make.reply(topic, author=starter, body="We got a grant.")
    Follow.objects.create(member=follower, discussion=topic.discussion)
    with django_capture_on_commit_callbacks(execute=True):
        write(client, replier, topic.discussion, "From the council?", parent=first)
    kinds = dict(Notification.objects.values_list("recipient__display_name", "kind"))
    assert kinds == {
        "Priya": Notification.Kind.FOLLOWED,
        "Grace": Notification.Kind.REPLY,  # the reply is to her comment
    }
