"""Moderation rules of the pipeline that depend on moderators' settings.

Each takes a pipeline.Submission and returns a pipeline.Verdict to stop there, or
None to go on. Words and thresholds are read from the database on every call, so a
change in the admin takes effect at once.
"""

import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comments.markup import render_markup
from comments.models import (
    Comment,
    ModerationSettings,
    ModerationWord,
    Restriction,
    fold,
)
from comments.pipeline import Verdict

HELD_MESSAGE = gettext_lazy(
    "Thank you. Your comment is awaiting moderation: a moderator will "
    "read it soon, and then it will appear for everyone."
)


def _held(rule, reason):
    return Verdict("hold", rule=rule, reason=reason, message=str(HELD_MESSAGE))


def _is_trusted(author):
    return author is not None and author.has_perm("comments.moderate_comment")


def restricted(submission):
    """Author banned or suspended (members), or a blocked guest email or IP."""
    restrictions = Restriction.objects.against(
        member=submission.author,
        email=submission.guest_email,
        ip_address=submission.ip_address,
    ).active(submission.now)
    by_kind = {r.kind: r for r in restrictions}
    if ban := by_kind.get(Restriction.Kind.BAN):
        return Verdict(
            "refuse",
            rule="banned",
            reason=_("refused: banned"),
            message=_(
                "You can no longer post here. The moderators gave this "
                "reason: %(reason)s"
            )
            % {"reason": ban.reason},
            status_code=403,
        )
    if suspension := by_kind.get(Restriction.Kind.SUSPEND):
        return Verdict(
            "refuse",
            rule="suspended",
            reason=_("refused: suspended"),
            message=_(
                "You can read but not post until %(until)s. The moderators "
                "gave this reason: %(reason)s"
            )
            % {
                "until": formats.date_format(suspension.until, "DATETIME_FORMAT"),
                "reason": suspension.reason,
            },
            status_code=403,
        )
    if Restriction.Kind.HOLD in by_kind:
        return _held("held_author", _("held: every comment by this author is held"))
    return None


def _first_word(kind, body):
    pattern = ModerationWord.objects.pattern(kind)
    match = pattern.search(fold(body)) if pattern else None
    return match.group(1) if match else None


def blocked_words(submission):
    if word := _first_word(ModerationWord.Kind.BLOCKED, submission.body):
        return Verdict(
            "refuse",
            rule="blocked_word",
            field="body",
            reason=_("refused: blocked word"),
            message=_(
                "Your comment contains “%(word)s”, which is not allowed here. "
                "Please change it and post again; your text is kept below."
            )
            % {"word": word},
        )
    return None


def watched_words(submission):
    if word := _first_word(ModerationWord.Kind.WATCHED, submission.body):
        return _held(
            "watched_word", _("held: watched word “%(word)s”") % {"word": word}
        )
    return None


# Addresses typed out in full count even where the linkifier, which knows only
# the usual top-level domains, leaves them as text.
TYPED_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)


def links(submission, settings=None):
    settings = settings or ModerationSettings.current()
    count = max(
        render_markup(submission.body).count("<a "),
        len(TYPED_URL.findall(submission.body)),
    )
    if count >= settings.links_to_hold:
        return _held("links", _("held: %(count)s links") % {"count": count})
    return None


def first_time_author(submission, settings=None):
    settings = settings or ModerationSettings.current()
    if not settings.hold_first_comments or _is_trusted(submission.author):
        return None
    approved = Comment.objects.published()
    if submission.author is not None:
        approved = approved.filter(author=submission.author)
    else:
        approved = approved.filter(
            author=None, guest_email__iexact=submission.guest_email
        )
    if approved.exists():
        return None
    return _held("first_comment", _("held: first comment from this author"))
