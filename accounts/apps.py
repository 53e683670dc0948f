from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.notifications import comment_moved
        from accounts.reading import fold_muted
        from comments.models.transitions import AFTER_TRANSITION
        from comments.views.reading import READER_PASSES

        AFTER_TRANSITION.append(comment_moved)
        # Before the New marks: "Next new comment" never leads to a folded post.
        READER_PASSES.insert(0, fold_muted)
