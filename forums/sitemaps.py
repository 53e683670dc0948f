from django.contrib.sitemaps import Sitemap

from forums.models import Category, Topic


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.only("slug", "updated_at")

    def lastmod(self, category):
        return category.updated_at


class TopicSitemap(Sitemap):
    """Public topics: listed (not removed, first post let through)."""

    changefreq = "daily"

    def items(self):
        return (
            Topic.objects.listed()
            .select_related("category")
            .only("slug", "last_active", "category__slug")
            .order_by("-last_active", "-id")
        )

    def lastmod(self, topic):
        return topic.last_active


sitemaps = {"forum-categories": CategorySitemap, "forum-topics": TopicSitemap}
