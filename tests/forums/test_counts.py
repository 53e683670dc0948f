"""The counts lists show, kept in step with every post and every decision."""

import pytest

from comments.models import Comment
from forums.bulk import recount
from forums.models import Category, Topic
from tests.comments.make import comment
from tests.factories import ArticleFactory
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published():
    make.publish_first_posts()


def counts(topic):
    topic = Topic.objects.get(pk=topic.pk)
    category = Category.objects.get(pk=topic.category_id)
    return topic.reply_count, category.topic_count, category.post_count


def assert_same_as_recount():
    before = list(Category.objects.values_list("topic_count", "post_count"))
    topics = list(Topic.objects.values_list("reply_count", "is_listed"))
    recount()
    assert list(Category.objects.values_list("topic_count", "post_count")) == before
    assert list(Topic.objects.values_list("reply_count", "is_listed")) == topics


def test_a_held_reply_counts_once_approved_and_names_its_author():
    topic = make.topic()
    writer = make.verified(display_name="Kenji")
    held = make.reply(topic, author=writer, held=True)
    assert counts(topic) == (0, 1, 1)
    held.approve(by=None)
    assert counts(topic) == (1, 1, 2)
    assert Topic.objects.get(pk=topic.pk).last_poster == writer
    assert_same_as_recount()


@pytest.mark.parametrize("how", ["remove", "delete_by_author", "mark_spam"])
def test_a_reply_taken_away_leaves_the_counts(how):
    topic = make.topic()
    reply = make.reply(topic)
    make.reply(topic)
    kwargs = {"reason": "Off topic"} if how == "remove" else {}
    getattr(reply, how)(by=None, **kwargs)
    assert counts(topic) == (1, 1, 2)
    assert_same_as_recount()


def test_a_held_topic_appears_with_its_first_post_and_goes_if_rejected():
    category = make.category()
    topic = make.topic(category)
    post = topic.opening_post
    Comment.objects.filter(pk=post.pk).update(status=Comment.Status.PENDING)
    recount()
    assert counts(topic) == (0, 0, 0)
    assert not Topic.objects.get(pk=topic.pk).is_listed
    post.refresh_from_db()
    post.approve(by=None)
    assert counts(topic) == (0, 1, 1)
    assert Topic.objects.get(pk=topic.pk).is_listed
    assert Category.objects.get(pk=category.pk).latest_topic_id == topic.pk
    post.mark_spam(by=None)
    assert counts(topic) == (0, 0, 0)
    assert_same_as_recount()


def test_a_removed_first_post_keeps_the_topic_and_its_replies_listed():
    topic = make.topic()
    make.reply(topic)
    topic.opening_post.remove(by=None, reason="Personal details")
    assert counts(topic) == (1, 1, 1)
    assert Topic.objects.get(pk=topic.pk).is_listed
    assert_same_as_recount()


def test_the_latest_topic_of_a_category_follows_its_replies():
    category = make.category()
    older = make.topic(category)
    newer = make.topic(category)
    assert Category.objects.get(pk=category.pk).latest_topic_id == newer.pk
    make.reply(older)
    assert Category.objects.get(pk=category.pk).latest_topic_id == older.pk


def test_comments_on_articles_leave_the_forums_alone():
    topic = make.topic()
    comment(ArticleFactory().discussion)
    assert counts(topic) == (0, 1, 1)
