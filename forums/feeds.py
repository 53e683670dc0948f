from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from forums.models import Category, Topic

FEED_SIZE = 30


class CategoryFeed(Feed):
    """The newest topics of a category, their first posts as the text."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return _("%(site)s forums: %(category)s") % {
            "site": settings.SITE_NAME,
            "category": category.name,
        }

    def subtitle(self, category):
        return category.description

    def link(self, category):
        return category.get_absolute_url()

    def items(self, category):
        return (
            Topic.objects.listed()
            .filter(category=category)
            .select_related("category", "author", "opening_post")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, topic):
        return topic.title

    def item_description(self, topic):
        return topic.opening_post.body_html  # sanitised by render_markup on save

    def item_pubdate(self, topic):
        return topic.created_at

    def item_updateddate(self, topic):
        return topic.last_active

    def item_author_name(self, topic):
        return topic.author.display_name
