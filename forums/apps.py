from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from articles import search
        from comments.owners import registry
        from forums.models import Topic
        from forums.owners import TopicOwner
        from forums.search import TopicSource

        registry.register(Topic, TopicOwner)
        search.register(TopicSource())
