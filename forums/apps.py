from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from accounts import member_data, profile_lists
        from articles import extras, search
        from comments.owners import registry
        from forums import member_data as forum_data
        from forums.models import Topic
        from forums.owners import TopicOwner
        from forums.profile import PROFILE_LIST
        from forums.search import TopicSource
        from forums.views import latest_for_articles

        registry.register(Topic, TopicOwner)
        search.register(TopicSource())
        member_data.register(forum_data.SECTION)
        member_data.register(forum_data.FOLLOWS)
        profile_lists.register(PROFILE_LIST)
        extras.show_below(
            "forum_topic", "forums/_article_topic.html", with_related=["category"]
        )
        extras.show_aside("forums/_aside_latest.html", latest_for_articles)
