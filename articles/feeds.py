from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    subtitle = _("Research news for the ALS community")

    def title(self):
        return _("%(site)s: latest news") % {"site": settings.SITE_NAME}

    def link(self):
        return "/"

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return ", ".join(author["name"] for author in article.byline)

    def item_categories(self, article):
        return [article.section.name]


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return _("%(site)s: %(section)s") % {
            "site": settings.SITE_NAME,
            "section": section.name,
        }

    def link(self, section):
        return section.get_absolute_url()

    def items(self, section):
        return (
            Article.objects.published()
            .for_listing()
            .filter(section=section)[:FEED_SIZE]
        )
