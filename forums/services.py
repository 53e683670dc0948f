"""Starting a topic: a discussion, its first post judged like any comment, the
topic, and the category's counts, in one transaction."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from comments.models import Comment, Discussion
from comments.posting import Submission
from comments.services import RESENT, post_comment
from forums.models import Category, Topic


class _Undo(Exception):
    """Leaves the savepoint: the new discussion goes with the refused post."""

    def __init__(self, comment, verdict):
        self.comment, self.verdict = comment, verdict


@transaction.atomic
def start_topic(
    *, category, author, title, body, token=None, article=None, paced=True, **posted
):
    """Judge and store a new topic; return (topic or None, verdict).

    The first post is a comment of the topic's discussion, judged by
    comments.posting.judge() with the topic rate as well (opens_topic). A refused
    post leaves nothing behind. A form sent twice gives the topic it started.
    `posted` are further Submission fields (ip_address, honeypot, now).
    `article`: the article the topic discusses; an editor starting topics for
    articles is not held to the members' topic rate (`paced=False`).
    """
    now = posted.pop("now", None) or timezone.now()
    last = None
    if paced:
        last = (
            Topic.objects.filter(author=author)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
    try:
        with transaction.atomic():
            discussion = Discussion.objects.create(opened_at=now)
            submission = Submission(
                discussion=discussion,
                body=body,
                author=author,
                opens_topic=True,
                last_topic_at=last,
                now=now,
                **posted,
            )
            comment, verdict = post_comment(submission=submission, token=token)
            if comment is None or verdict.rule == RESENT:
                raise _Undo(comment, verdict)
    except _Undo as undone:
        if undone.comment is not None:  # the same form again: its topic
            return undone.comment.opened_topic, undone.verdict
        return None, undone.verdict
    topic = Topic.objects.create(
        category=category,
        title=title,
        author=author,
        discussion=discussion,
        opening_post=comment,
        last_active=now,
        last_poster=author,
        created_at=now,
        article=article,
        is_listed=comment.status == Comment.Status.PUBLISHED,
    )
    if topic.is_listed:
        Category.objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + 1,
            post_count=F("post_count") + 1,
            latest_topic=topic,
        )
    return topic, verdict
