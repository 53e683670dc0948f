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


SECTION = Section("topics", export_topics, erase_topics)
