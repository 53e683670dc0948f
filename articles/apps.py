from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.models import Article
        from articles.owners import ArticleOwner
        from comments.owners import registry

        registry.register(Article, ArticleOwner)
