"""A member's topics on their profile (accounts.profile_lists)."""

from accounts.profile_lists import ProfileList
from forums.models import Topic


def topics_of(person, user):
    """The topics `person` started that are public (listed), newest first."""
    return (
        Topic.objects.listed()
        .filter(author=person)
        .for_listing()
        .order_by("-created_at", "-id")
    )


PROFILE_LIST = ProfileList("topics", topics_of, "forums/_member_topics.html")
