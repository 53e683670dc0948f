"""Reactions: a few words a member can leave on a comment without typing.

One row per member and comment (the truth), and on the comment its counts by
kind (`Comment.reaction_counts`, {kind: number}), set again from the rows
whenever they change, so that rendering a thread reads no reaction rows at all.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Kind(models.TextChoices):
    THINKING = "thinking", _("Thinking of you")
    THANKS = "thanks", _("Thanks for sharing")
    SAME = "same", _("Same here")
    HELPFUL = "helpful", _("Helpful")


class Reaction(models.Model):
    Kind = Kind

    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("comment"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("reaction"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("left"), default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "comment"], name="reaction_once_per_member"
            )
        ]
        indexes = [models.Index(fields=["comment", "kind"], name="reaction_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.member} → {self.comment_id}"


def count_reactions(comment):
    """{kind: number} from the rows, in the order of Kind, without zeros."""
    counted = dict(
        Reaction.objects.filter(comment=comment)
        .values("kind")
        .annotate(number=Count("pk"))
        .values_list("kind", "number")
    )
    return {kind: counted[kind] for kind in Kind.values if counted.get(kind)}


def counts_words(counts):
    """ "3 people: Thinking of you · 1 person: Helpful", or "" for none."""
    parts = []
    for kind in Kind:
        if number := counts.get(kind.value):
            template = ngettext(
                "%(count)s person: %(label)s", "%(count)s people: %(label)s", number
            )
            parts.append(template % {"count": number, "label": kind.label})
    return " · ".join(parts)


def reacting_too_fast(member):
    """Count one change of reaction against the member's current minute; True
    past KINDRED["REACTIONS_PER_MINUTE"] (30). Each change renders the
    discussion's pages afresh for every reader, so a script flipping buttons
    must not keep them from the cache."""
    limit = settings.KINDRED.get("REACTIONS_PER_MINUTE", 30)
    key = f"reactions:pace:{member.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between the two calls
        count = 1
    return count > limit
