"""A forum topic owns one discussion: what it lets each reader do there."""

from comments.owners import Owner
from forums.models import Topic


class TopicOwner(Owner):
    related_name = "topic"

    def visible_to(self, user):
        # Removed and held topics stay with their author and the moderators.
        return Topic.objects.visible_to(user)

    def may_write(self, page, user):
        # Members only, and never in a locked, removed or archived topic; the
        # topic says which (Topic.write_refusal, shown by comments.posting).
        return not page.write_refusal(user)

    def takes_replies(self, page):
        return not page.closure()
