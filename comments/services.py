"""Writing to a discussion: the actions that change comments and their counts."""

from django.db import transaction
from django.utils import timezone

from comments import rules
from comments.models import Comment, ModerationRecord
from comments.pipeline import Submission, judge


@transaction.atomic
def post_comment(*, submission: Submission, token=None):
    """Judge and store a new comment; return (comment or None, verdict).

    A published reply costs three queries: an id from the sequence, the INSERT,
    and one UPDATE of the discussion's count and version. Nothing is renumbered.
    """
    verdict = judge(submission)
    if verdict.action == "refuse":
        return None, verdict
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
    return comment, verdict


@transaction.atomic
def edit_comment(*, comment, body):
    """New text for an own comment; watched words or links may hold it again."""
    submission = Submission(
        discussion=comment.discussion,
        body=body,
        author=comment.author,
        guest_email=comment.guest_email,
    )
    for rule in (rules.blocked_words, rules.watched_words, rules.links):
        verdict = rule(submission)
        if verdict is not None and verdict.action == "refuse":
            return verdict
        if verdict is not None and comment.status == Comment.Status.PUBLISHED:
            comment.body = body
            comment.edited_at = timezone.now()
            comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
            comment.hold(reason=verdict.reason, rule=verdict.rule)
            return verdict
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    comment.discussion.record_change()
    return None
