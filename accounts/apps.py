from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.notifications import comment_moved
        from comments.models.transitions import AFTER_TRANSITION

        AFTER_TRANSITION.append(comment_moved)
