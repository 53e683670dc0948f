"""Writing to a discussion: the actions that change comments and their counts.

Each is judged by comments.posting first; what the verdict decides is stored here.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.notifications import comment_published, comment_reacted, tell_author
from comments.models import Comment, ModerationRecord, Reaction, Report
from comments.models.reactions import count_reactions
from comments.posting import (
    PUBLISH,
    Submission,
    Verdict,
    form_reused,
    judge,
    judge_reports,
    same_author,
)

# Marks the verdict of a form sent again with the same text: the comment it
# already stored is returned, nothing new is written.
RESENT = "resent"


@transaction.atomic
def post_comment(*, submission: Submission, token=None):
    """Judge and store a new comment; return (comment or None, verdict).

    A form (its token) stores at most one comment. Copies of it sent at once
    wait for one another here, and each copy after the first gets the comment
    the first stored (verdict rule RESENT), before any rule about pace or
    duplicates can answer it.

    Storing a published reply costs three queries: an id from the sequence, the
    INSERT, and one UPDATE of the discussion's count and version. Nothing is
    renumbered.
    """
    if token is not None:
        stored = _first_use_of(token)
        if stored is not None:
            refusal = form_reused(submission, stored)
            if refusal is not None:
                return None, refusal
            return stored, Verdict(PUBLISH.action, rule=RESENT)
    elif submission.author is None:
        stored = _guest_copy_of(submission)
        if stored is not None:
            return stored, Verdict(PUBLISH.action, rule=RESENT)
    verdict = judge(submission)
    if verdict.action == "refuse":
        return None, verdict
    return store_comment(submission=submission, verdict=verdict, token=token), verdict


def _first_use_of(token):
    """The comment this form token stored, if any, read after any other request
    holding the same token has finished (a transaction-scoped advisory lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [token.int >> 65])
    return Comment.objects.filter(form_token=token).first()


def _guest_copy_of(submission):
    """The comment a guest's form stored a moment ago, when this is the same form
    sent again (a double click, a retried request): a guest's form carries no
    token, so a copy is the same text, to the same place, from the same guest
    within the rate window, when no second comment could be posted anyway.
    Copies sent at once wait for one another (a transaction-scoped lock)."""
    parts = [
        submission.discussion.pk,
        getattr(submission.parent, "pk", 0),
        submission.guest_email.lower(),
        submission.ip_address or "",
        submission.body,
    ]
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        key = int.from_bytes(digest, "big", signed=True)
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    since = submission.now - timedelta(
        seconds=settings.KINDRED["COMMENTS_RATE_SECONDS"]
    )
    return (
        same_author(submission)
        .filter(
            discussion=submission.discussion,
            parent=submission.parent,
            body=submission.body,
            created_at__gt=since,
        )
        .order_by("created_at")
        .first()
    )


def store_comment(*, submission, verdict, token=None):
    """Store a judged comment: published, or held with the verdict's reason."""
    held = verdict.action == "hold"
    comment = Comment(
        discussion=submission.discussion,
        parent=submission.parent,
        author=submission.author,
        guest_name=submission.guest_name,
        guest_email=submission.guest_email,
        guest_url=submission.guest_url,
        ip_address=submission.ip_address,
        body=submission.body,
        form_token=token,
        status=Comment.Status.PENDING if held else Comment.Status.PUBLISHED,
        status_reason=verdict.reason if held else "",
        created_at=submission.now,
    )
    comment.save()
    if held:
        ModerationRecord.objects.create(
            comment=comment,
            from_status="",
            to_status=comment.status,
            rule=verdict.rule,
            reason=verdict.reason,
        )
    submission.discussion.record_change(published_delta=0 if held else 1)
    if held:
        tell_author(comment)
    else:
        comment_published(comment)
    return comment


@transaction.atomic
def edit_comment(*, comment, body, ip_address=None):
    """New text for an own comment, judged like a new one; return the verdict.

    A refusal changes nothing; a hold stores the text and holds a published
    comment again (a comment edited to carry links waits for review).
    """
    verdict = judge(
        Submission(
            discussion=comment.discussion,
            body=body,
            author=comment.author,
            guest_email=comment.guest_email,
            ip_address=ip_address or comment.ip_address,
            is_edit=True,
        )
    )
    if verdict.action == "refuse":
        return verdict
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    if verdict.action == "hold" and comment.status == Comment.Status.PUBLISHED:
        comment.hold(reason=verdict.reason, rule=verdict.rule)
    else:
        comment.discussion.record_change()
    return verdict


@transaction.atomic
def report_comment(*, comment, reporter, reason, note=""):
    """Record a member's report; hold the comment once enough members report it.

    Returns the Report, or None when this member had already reported it.
    """
    report, created = Report.objects.get_or_create(
        comment=comment,
        reporter=reporter,
        defaults={"reason": reason, "note": note},
    )
    if not created:
        return None
    verdict = judge_reports(comment)
    if verdict is not None:
        comment.hold(rule=verdict.rule, reason=verdict.reason)
    return report


@transaction.atomic
def react_to_comment(*, comment, member, kind, take_back=False):
    """Make `kind` the member's reaction to `comment`, or with `take_back`
    remove it if it is still their reaction; return their reaction now (a kind,
    or None). Either is the same done twice (a double click, a form sent again).

    Its author hears of a new reaction (accounts.notifications, batched). The
    comment's row is locked first, so that two members reacting at once count
    each other: each counts the rows after the other has committed.
    """
    Comment.objects.select_for_update().filter(pk=comment.pk).first()
    earlier = Reaction.objects.filter(comment=comment, member=member).first()
    before = earlier.kind if earlier is not None else None
    if take_back:
        if before != kind:
            return before  # taken back already, or changed since in another tab
        earlier.delete()
        now = None
    elif before == kind:
        return before
    elif earlier is not None:
        earlier.kind, earlier.created_at = kind, timezone.now()
        earlier.save(update_fields=["kind", "created_at"])
        now = kind
    else:
        Reaction.objects.create(comment=comment, member=member, kind=kind)
        now = kind
    comment.reaction_counts = count_reactions(comment)
    Comment.objects.filter(pk=comment.pk).update(
        reaction_counts=comment.reaction_counts
    )
    comment.discussion.record_change()  # the cached pages show the counts
    if now is not None:
        comment_reacted(comment, by=member)
    return now
