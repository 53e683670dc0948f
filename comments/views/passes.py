"""Reader passes: what one signed-in member's copy of a thread page adds to the
HTML everyone shares.

The rendered thread is cached for every reader; each comment's <li> carries
when it was posted and by which member (`data-at`, `data-by`, see
comments.rendering), so a pass can change the cards meant for this reader
without a query per comment. The page view runs READER_PASSES in order
(comments.views.reading); comments' own is the "New" marks, and other apps
append theirs from their AppConfig.ready() (accounts mutes members).
"""

import re
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.models import Discussion, Visit
from comments.rendering import moment_number

ITEM_RE = re.compile(r'<li id="comment-(\d+)"([^>]*)>')
DATA_RE = re.compile(r' data-(at|by)="(\d+)"')
CLASS_RE = re.compile(r' class="([^"]*)"')
# The class of a comment a pass folded away for this reader (a muted member's):
# the later passes leave it be, and no "Next new comment" leads to it.
FOLDED = "is-folded"
CARD_END = "</article>"
ACTIONS_END = "</ul></article>"


@dataclass
class Reading:
    """A thread page as one member reads it: passes change `html` and add
    `notes` (safe HTML) shown above the thread."""

    request: HttpRequest
    discussion: Discussion
    html: str
    notes: list = field(default_factory=list)


@dataclass
class Item:
    """One comment of the page: its id, when posted (microseconds since 1970)
    and by which member, as the cached HTML says; None where it does not say."""

    pk: int
    at: int | None
    by: int | None
    folded: bool = False


def items(html):
    """The comments of a thread's HTML, in display order."""
    for match in ITEM_RE.finditer(html):
        data = dict(DATA_RE.findall(match.group(2)))
        classes = CLASS_RE.search(match.group(2))
        yield Item(
            pk=int(match.group(1)),
            at=int(data["at"]) if "at" in data else None,
            by=int(data["by"]) if "by" in data else None,
            folded=bool(classes) and FOLDED in classes.group(1).split(),
        )


def rewrite_cards(html, changes):
    """`html` with the card of each comment in `changes` ({id: function of the
    card's HTML}) rewritten. A card runs from its <li> to the end of its own
    <article>, before its replies. One pass over the page."""
    if not changes:
        return html
    out, done = [], 0
    for match in ITEM_RE.finditer(html):
        change = changes.get(int(match.group(1)))
        if change is None:
            continue
        start = match.start()
        end = html.find(CARD_END, start)
        if end < 0:
            break
        end += len(CARD_END)
        out.append(html[done:start])
        out.append(change(html[start:end]))
        done = end
    out.append(html[done:])
    return "".join(out)


def add_action(card, action_html):
    """A card with one more entry at the end of its actions list."""
    at = card.rfind(ACTIONS_END)
    if at < 0:
        return card
    return card[:at] + action_html + card[at:]


def add_class(card, name):
    """A card whose <li> has the class `name` too."""
    return card.replace(' class="', f' class="{name} ', 1)


def mark_new(reading):
    """Record the member's visit, and mark the comments others posted since
    the one before: "New" in words beside the name, a "Next new comment" link
    from each to the next and from the top of the discussion to the first.
    One query (Visit.objects.record) for the visit and the marks together."""
    member = reading.request.user
    since = Visit.objects.record(member, reading.discussion)
    if since is None:
        return  # a first visit: nothing is new to someone who never read it
    after = moment_number(since)
    new = [
        item.pk
        for item in items(reading.html)
        if item.at is not None
        and item.at > after
        and item.by != member.pk
        and not item.folded
    ]
    if not new:
        return
    label = f'<strong class="badge badge-new">{_("New")}</strong> '
    next_label = _("Next new comment")
    following = dict(zip(new, new[1:], strict=False))

    def mark(pk):
        def change(card):
            meta = f'id="comment-{pk}-by">'
            card = add_class(card, "is-new").replace(meta, meta + label, 1)
            if pk in following:
                card = add_action(
                    card,
                    f'<li><a href="#comment-{following[pk]}">{next_label}</a></li>',
                )
            return card

        return change

    reading.html = rewrite_cards(reading.html, {pk: mark(pk) for pk in new})
    count = ngettext(
        "%(count)s new comment on this page since your last visit.",
        "%(count)s new comments on this page since your last visit.",
        len(new),
    ) % {"count": len(new)}
    reading.notes.append(
        f'<p class="new-since" id="new-comments"><strong>{count}</strong> '
        f'<a href="#comment-{new[0]}">{next_label}</a></p>'
    )
