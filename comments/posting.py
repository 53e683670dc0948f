"""Everything that can hold or refuse a post, in one ordered list.

A new comment, an edit and (next) a forum topic's first post are each a
Submission; judge() runs the steps of STEPS in order (DESIGN.md, "Moderation
pipeline") and returns a Verdict: publish, hold or refuse, with the rule that
fired, the reason moderators read and the message the author reads. Words and
thresholds are read from the database on every judgement, so a change in the
admin takes effect at once.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from comments.markup import render_markup
from comments.models import (
    Comment,
    ModerationSettings,
    ModerationWord,
    Restriction,
    fold,
)
from comments.models.discussion import MAX_DEPTH
from comments.models.moderation import usual_wait_words


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
    # Ids of the comments posted from the guest's browser session: what a guest
    # has shown to be theirs (an email typed into a form proves nothing).
    guest_comments: tuple = ()
    # The first post of a new forum topic, and when its author last started one
    # (the forum says; None for never): judged by topic_rate as well.
    opens_topic: bool = False
    last_topic_at: object = None
    is_edit: bool = False  # new text for an existing comment
    # Looked up at each call (not bound once), so that a test can move the clock.
    now: object = field(default_factory=lambda: timezone.now())


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
    discussion = submission.discussion
    if not discussion.is_open:
        return Verdict(
            "refuse",
            rule="closed",
            reason=_("refused: comments closed"),
            message=_("Comments are closed."),
            status_code=403,
        )
    if not discussion.may_write(submission.author):
        return Verdict(
            "refuse",
            rule="not_open_yet",
            reason=_("refused: the page is not published"),
            message=_page_refusal(discussion, submission.author)
            or _("Comments open when this page is published."),
            status_code=403,
        )
    return None


def _page_refusal(discussion, author):
    """The page's own words for a refusal, when it has them (a locked topic)."""
    explain = getattr(discussion.owner, "write_refusal", None)
    return explain(author) if explain else ""


def same_author(submission):
    """The author's comments: a member's, or a guest's by the same email from the
    same address (two guests on one Wi-Fi are two people)."""
    if submission.author is not None:
        return Comment.objects.filter(author=submission.author)
    return Comment.objects.filter(
        author=None,
        guest_email__iexact=submission.guest_email,
        ip_address=submission.ip_address,
    )


def too_deep(submission):
    parent = submission.parent
    if parent is None or parent.depth + 1 < MAX_DEPTH:
        return None
    return Verdict(
        "refuse",
        rule="depth",
        reason=_("refused: too deep"),
        message=_(
            "This conversation is nested as deep as it can go. Please reply to an "
            "earlier comment in it; your text is kept below."
        ),
    )


# Guests sharing one address (a care home's Wi-Fi) each keep their own pace, but
# together they post at most this many comments a minute from that address.
GUESTS_PER_ADDRESS_PER_MINUTE = 10


def rate_limit(submission):
    """One comment per COMMENTS_RATE_SECONDS per author (a guest: per email and
    address), and a looser cap on guests' comments per address."""
    seconds = settings.KINDRED["COMMENTS_RATE_SECONDS"]
    since = submission.now - timedelta(seconds=seconds)
    last = (
        same_author(submission)
        .filter(created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return _address_flood(submission)
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


def topic_rate(submission):
    """One new topic per FORUMS_TOPIC_RATE_SECONDS per member."""
    if not submission.opens_topic or submission.last_topic_at is None:
        return None
    seconds = settings.KINDRED.get("FORUMS_TOPIC_RATE_SECONDS", 300)
    waited = (submission.now - submission.last_topic_at).total_seconds()
    if waited >= seconds:
        return None
    minutes = max(1, math.ceil((seconds - waited) / 60))
    return Verdict(
        "refuse",
        rule="topic_rate",
        reason=_("refused: too soon after the last topic"),
        message=ngettext(
            "You started a topic a moment ago. Please wait %(wait)s minute "
            "and post again; your text is kept below.",
            "You started a topic a moment ago. Please wait %(wait)s minutes "
            "and post again; your text is kept below.",
            minutes,
        )
        % {"wait": minutes},
        status_code=429,
    )


def _address_flood(submission):
    if submission.author is not None or not submission.ip_address:
        return None
    recent = list(
        Comment.objects.filter(
            author=None,
            ip_address=submission.ip_address,
            created_at__gt=submission.now - timedelta(minutes=1),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:GUESTS_PER_ADDRESS_PER_MINUTE]
    )
    if len(recent) < GUESTS_PER_ADDRESS_PER_MINUTE:
        return None
    # Free again when the oldest of the last ten is a minute old.
    free_at = recent[-1] + timedelta(minutes=1)
    wait = max(1, math.ceil((free_at - submission.now).total_seconds()))
    return Verdict(
        "refuse",
        rule="address_rate",
        reason=_("refused: many guest comments from this address"),
        message=ngettext(
            "Many comments were just posted from your network. Please wait "
            "%(wait)s second and post again; your text is kept below.",
            "Many comments were just posted from your network. Please wait "
            "%(wait)s seconds and post again; your text is kept below.",
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
        same_author(submission)
        .filter(
            discussion=submission.discussion,
            body=submission.body,
            created_at__gt=submission.now - timedelta(minutes=minutes),
        )
        .filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING])
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


def form_reused(submission, stored):
    """A form whose token already stored a comment, sent again. The same text is
    the same comment (a double click, a retried request): None, and the person
    lands on it. Other text is refused, not dropped: they are told and keep it.

    Checked before every step, so a copy is never answered "please wait" or
    "you already posted this" about its own comment.
    """
    if stored.body == submission.body:
        return None
    return Verdict(
        "refuse",
        rule="form_reused",
        field="body",
        reason=_("refused: form already used"),
        message=_(
            "This form was already used to post a comment, so this text was not "
            "posted. It is kept below: post it again to add it as a new comment."
        ),
        status_code=409,
        duplicate_of=stored,
    )


HELD_MESSAGE = gettext_lazy(
    "Thank you. Your comment is awaiting moderation: a moderator will "
    "read it soon, and then it will appear for everyone."
)
HELD_MESSAGE_WAIT = gettext_lazy(
    "Thank you. Your comment is awaiting moderation: a moderator usually "
    "reads held comments within %(wait)s, and then it will appear for everyone."
)


def _held(rule, reason):
    """A hold: `reason` names the rule for moderators; the author is told only
    that the comment awaits moderation, and how long that usually takes."""
    wait = usual_wait_words()
    message = HELD_MESSAGE_WAIT % {"wait": wait} if wait else str(HELD_MESSAGE)
    return Verdict("hold", rule=rule, reason=reason, message=message)


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


def links(submission):
    settings = ModerationSettings.current()
    count = max(
        render_markup(submission.body).count("<a "),
        len(TYPED_URL.findall(submission.body)),
    )
    if count >= settings.links_to_hold:
        return _held("links", _("held: %(count)s links") % {"count": count})
    return None


def first_time_author(submission):
    settings = ModerationSettings.current()
    if not settings.hold_first_comments or _is_trusted(submission.author):
        return None
    approved = Comment.objects.published()
    if submission.author is not None:
        approved = approved.filter(author=submission.author)
    else:
        approved = approved.filter(author=None, pk__in=submission.guest_comments)
    if approved.exists():
        return None
    return _held("first_comment", _("held: first comment from this author"))


# The order of DESIGN.md. Each step: (check, whether it also judges an edit). An
# edit is judged by the same content rules as a new comment; only what concerns
# the act of posting (pace, the honeypot, first comments, duplicates) is skipped.
STEPS = [
    (closed, True),
    (restricted, True),
    (too_deep, False),
    (rate_limit, False),
    (topic_rate, False),
    (honeypot, False),
    (length, True),
    (blocked_words, True),
    (watched_words, True),
    (links, True),
    (first_time_author, False),
    (duplicate, False),
]


def judge(submission):
    """The first step that refuses decides; otherwise the first hold; otherwise
    the comment is published.

    A hold from an earlier step does not stop later steps from refusing: a held
    comment that is also a duplicate is refused.
    """
    held = None
    for check, on_edit in STEPS:
        if submission.is_edit and not on_edit:
            continue
        verdict = check(submission)
        if verdict is None:
            continue
        if verdict.action == "refuse":
            return verdict
        held = held or verdict
    return held or PUBLISH


def judge_reports(comment):
    """After a member's report: hold a published comment once enough different
    members have reported it (ModerationSettings.reports_to_hold)."""
    threshold = ModerationSettings.current().reports_to_hold
    if comment.status != Comment.Status.PUBLISHED:
        return None
    if comment.reports.open().count() < threshold:
        return None
    return _held(
        "reports", _("held: reported by %(count)s members") % {"count": threshold}
    )
