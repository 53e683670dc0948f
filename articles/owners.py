"""An article owns one discussion: what it lets each reader do there."""

from articles.models import Article
from comments.owners import Owner


class ArticleOwner(Owner):
    related_name = "article"

    def visible_to(self, user):
        # Editors preview drafts and scheduled articles; everyone else reads the
        # published ones whose time has come.
        return Article.objects.visible_to(user)

    def may_write(self, page, user):
        # Comments open when the article is out, even for the editors who can
        # preview it: nothing is said before readers can see what it is about.
        return page.is_published
