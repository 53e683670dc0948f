"""The forums' part of a member's data (accounts.member_data): their topics."""

from django.utils.text import slugify
from django.utils.translation import gettext

from accounts.member_data import Section, when
from forums.models import Topic


def export_topics(member):
    topics = Topic.objects.filter(author=member).select_related("category")
    return [
        {
            "id": topic.pk,
            "title": topic.title,
            "category": topic.category.name,
            "url": topic.get_absolute_url(),
            "first_post": topic.opening_post_id,
            "started": when(topic.created_at),
        }
        for topic in topics.order_by("created_at", "pk")
    ]


def erase_topics(member, keep_posts):
    """As tombstones, a topic's title goes with its first post; the topic, its
    place in the lists and its replies stay."""
    if keep_posts:
        return
    title = gettext("Deleted by the author")
    Topic.objects.filter(author=member).update(
        title=title, slug=slugify(title) or "topic"
    )


def export_category_follows(member):
    follows = member.category_follows.select_related("category")
    return [
        {
            "category": follow.category.name,
            "url": follow.category.get_absolute_url(),
            "since": when(follow.created_at),
        }
        for follow in follows.order_by("created_at", "pk")
    ]


def erase_category_follows(member, keep_posts):
    member.category_follows.all().delete()


SECTION = Section("topics", export_topics, erase_topics)
FOLLOWS = Section("category_follows", export_category_follows, erase_category_follows)
