"""Forum topics in the site search (articles.search): title and first post,
ranked with the articles by the same rules."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from articles.search import Source, plain_text
from comments.models import Comment
from forums.models import Topic


class TopicSource(Source):
    kind = "topic"
    label = _("Forum topic")
    template = "forums/_search_result.html"
    date_field = "created_at"

    def candidates(self):
        # Listed topics (not removed, first post let through) whose first post
        # is still public: a first post removed later is not quoted back.
        return Topic.objects.listed().filter(
            opening_post__status=Comment.Status.PUBLISHED
        )

    def text(self):
        return plain_text(F("opening_post__body"))

    def listing(self):
        return Topic.objects.for_listing()
