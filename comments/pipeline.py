"""Judging a new comment, in the order of DESIGN.md ("Moderation pipeline").

Each step looks at a Submission and returns a Verdict (hold or refuse, with the
rule that fired and why), or None. Publishing is what is left when no step
objects.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class Submission:
    discussion: object
    body: str
    author: object = None  # a User, or None for a guest
    parent: object = None
    guest_name: str = ""
    guest_email: str = ""
    guest_url: str = ""
    ip_address: str | None = None
    honeypot: str = ""
    now: object = field(default_factory=timezone.now)


@dataclass
class Verdict:
    action: str  # "publish", "hold" or "refuse"
    rule: str = ""  # machine name of the rule that fired, e.g. "links"
    reason: str = ""  # for moderators: "held: 3 links"
    message: str = ""  # for the author, in plain words: what happens next
    status_code: int = 200  # 429 for the rate limit
    duplicate_of: object = None  # the earlier comment, for "duplicate"
    field: str | None = None  # the form field a refusal is about ("body"), if any


PUBLISH = Verdict("publish")


def closed(submission):
    if not submission.discussion.is_open:
        return Verdict(
            "refuse",
            rule="closed",
            reason=_("refused: comments closed"),
            message=_("Comments are closed."),
            status_code=403,
        )
    return None


def _same_author(submission):
    from comments.models import Comment

    if submission.author is not None:
        return Comment.objects.filter(author=submission.author)
    by_guest = Q(author=None, guest_email__iexact=submission.guest_email)
    if submission.ip_address:
        by_guest |= Q(author=None, ip_address=submission.ip_address)
    return Comment.objects.filter(by_guest)


def rate_limit(submission):
    seconds = settings.KINDRED["COMMENTS_RATE_SECONDS"]
    since = submission.now - timedelta(seconds=seconds)
    last = (
        _same_author(submission)
        .filter(created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return None
    wait = max(1, math.ceil(seconds - (submission.now - last).total_seconds()))
    return Verdict(
        "refuse",
        rule="rate",
        reason=_("refused: too soon after the last comment"),
        message=ngettext(
            "You posted a moment ago. Please wait %(wait)s second and post again; "
            "your text is kept below.",
            "You posted a moment ago. Please wait %(wait)s seconds and post again; "
            "your text is kept below.",
            wait,
        )
        % {"wait": wait},
        status_code=429,
    )


def honeypot(submission):
    if submission.honeypot:
        return Verdict(
            "refuse",
            rule="honeypot",
            reason=_("refused: honeypot filled"),
            message=_(
                "Your comment could not be posted. If you are a "
                "person, please leave the last field empty."
            ),
        )
    return None


def length(submission):
    limit = settings.KINDRED["COMMENTS_MAX_LENGTH"]
    if not submission.body.strip():
        return Verdict(
            "refuse",
            rule="length",
            field="body",
            reason=_("refused: empty"),
            message=_("Please write your comment before posting."),
        )
    if len(submission.body) > limit:
        return Verdict(
            "refuse",
            rule="length",
            field="body",
            reason=_("refused: too long"),
            message=_(
                "Your comment is %(length)s characters long; the limit is "
                "%(limit)s. Please shorten it; your text is kept below."
            )
            % {"length": len(submission.body), "limit": limit},
        )
    return None


def duplicate(submission):
    minutes = settings.KINDRED["COMMENTS_DUPLICATE_MINUTES"]
    earlier = (
        _same_author(submission)
        .filter(
            discussion=submission.discussion,
            body=submission.body,
            created_at__gt=submission.now - timedelta(minutes=minutes),
        )
        .exclude(status__in=["deleted", "rejected", "spam", "removed"])
        .order_by("created_at")
        .first()
    )
    if earlier is None:
        return None
    return Verdict(
        "refuse",
        rule="duplicate",
        field="body",
        reason=_("refused: duplicate"),
        message=_("You already posted this comment."),
        duplicate_of=earlier,
    )


def steps():
    from comments import rules

    return [
        closed,
        rules.restricted,
        rate_limit,
        honeypot,
        length,
        rules.blocked_words,
        rules.watched_words,
        rules.links,
        rules.first_time_author,
        duplicate,
    ]


def judge(submission):
    """The first step that objects decides; otherwise the comment is published.

    A hold from an earlier step does not stop later steps from refusing: a held
    comment that is also a duplicate is refused.
    """
    held = None
    for step in steps():
        verdict = step(submission)
        if verdict is None:
            continue
        if verdict.action == "refuse":
            return verdict
        held = held or verdict
    return held or PUBLISH
