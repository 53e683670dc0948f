"""Writing to a discussion: the actions that change comments and their counts.

Each is judged by comments.posting first; what the verdict decides is stored here.
"""

from django.db import transaction
from django.utils import timezone

from comments.models import Comment, ModerationRecord, Report
from comments.posting import Submission, judge, judge_reports


@transaction.atomic
def post_comment(*, submission: Submission, token=None):
    """Judge and store a new comment; return (comment or None, verdict).

    Storing a published reply costs three queries: an id from the sequence, the
    INSERT, and one UPDATE of the discussion's count and version. Nothing is
    renumbered.
    """
    verdict = judge(submission)
    if verdict.action == "refuse":
        return None, verdict
    return store_comment(submission=submission, verdict=verdict, token=token), verdict


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
