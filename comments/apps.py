from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def store_page_settings(using, **kwargs):
    """After `migrate`: the trigger that keeps the pages of discussions cuts them
    at the page size of the settings, and all are cut again when it changed."""
    from django.db import connections

    from comments.paging import configure

    connection = connections[using]
    if "comments_page_settings" in connection.introspection.table_names():
        configure(connection)


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        post_migrate.connect(store_page_settings, sender=self)
