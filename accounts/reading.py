"""Muted members, on a thread page: the muter reads "Post by a muted member
(show)" in place of each of their posts (a <details>, so it opens without
JavaScript), and every other member's post offers a Mute button.

A reader pass (comments.views.reading.READER_PASSES, joined in
AccountsConfig.ready() before the New marks, which then point to no folded
post): one query, the ids the reader muted.
"""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.models import Mute
from comments.rendering import SAMPLE_ID
from comments.views.passes import FOLDED, add_action, add_class, items, rewrite_cards


def fold_muted(reading):
    request = reading.request
    reader = request.user.pk
    others = [item for item in items(reading.html) if item.by not in (None, reader)]
    if not others:
        return
    muted = set(Mute.objects.muted_by(request.user))
    url = reverse("accounts:mute", args=[SAMPLE_ID]).replace(str(SAMPLE_ID), "{}")
    token, page = escape(get_token(request)), request.get_full_path()
    text = {
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "whom": _("the author of this comment"),
        "folded": _("Post by a muted member"),
        "show": _("(show)"),
        "hide": _("(hide)"),
    }

    def button(item, mute):
        label = text["mute"] if mute else text["unmute"]
        back = escape(f"{page}#comment-{item.pk}")
        return (
            f'<li><form method="post" action="{url.format(item.by)}" '
            f'class="mute-form"><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{token}"><input type="hidden" name="mute" value="{int(mute)}">'
            f'<input type="hidden" name="next" value="{back}">'
            f'<button type="submit">{label}<span class="visually-hidden"> '
            f"{text['whom']}</span></button></form></li>"
        )

    summary = (
        f'<summary>{text["folded"]} <span class="when-closed">{text["show"]}</span>'
        f'<span class="when-open">{text["hide"]}</span></summary>'
    )

    def change(item):
        def offer(card):
            return add_action(card, button(item, mute=True))

        def fold(card):
            card = add_class(add_action(card, button(item, mute=False)), FOLDED)
            at = card.find("<article")
            return (
                f'{card[:at]}<details class="muted-post">{summary}{card[at:]}</details>'
            )

        return fold if item.by in muted else offer

    reading.html = rewrite_cards(
        reading.html, {item.pk: change(item) for item in others}
    )
