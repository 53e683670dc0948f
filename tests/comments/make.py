"""A quick way to put a comment in a thread, counted like the site counts it."""

from comments.models import Comment, Discussion


def comment(discussion=None, parent=None, status=Comment.Status.PUBLISHED, **fields):
    if discussion is None:
        discussion = parent.discussion if parent else Discussion.objects.create()
    if "author" not in fields:
        fields.setdefault("guest_name", "Fran")
        fields.setdefault("guest_email", "fran@example.com")
    made = Comment.objects.create(
        discussion=discussion,
        parent=parent,
        body=fields.pop("body", "Hello there"),
        status=status,
        **fields,
    )
    if status == Comment.Status.PUBLISHED:
        discussion.record_change(published_delta=1)
    return made
