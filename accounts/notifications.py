"""Who hears about a new comment, and how the request hands that to the queue.

The request only enqueues (comment_published, after its transaction commits);
the task notify_comment works out the recipients in a fixed
number of queries and writes their rows with bulk_create, so a discussion with
10,000 followers costs the request nothing more than one with none.

Nothing here names a kind of page: a discussion is followed, replied in and
mentioned in the same way whether an article or a forum topic owns it (through
comments.owners.registry).
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks import task

from accounts.emails import email_member, wanting_email_now
from accounts.models import Follow, Mute, Notification
from comments.models import Comment, Report
from outbox import enqueue_on_commit

BATCH = 1000
# An author hears of reactions to a comment at most once in this time: later
# ones fold into the notification already made, which counts them all.
REACTION_PERIOD = timedelta(hours=1)
# "@Ana María" and "@Ana": a display name is at most 60 characters and a few
# words; every run of up to MENTION_WORDS words after an @ is a candidate.
MENTION_RE = re.compile(r"(?<![\w@])@(\w[^\s@]*(?:[ \t]+[^\s@]+){0,3})")
MENTION_WORDS = 4


def comment_published(comment):
    """Call when a comment becomes public (posted, or approved by a moderator):
    the notifications are made by the task once this transaction has committed,
    so a rolled-back comment notifies nobody (and one that committed while the
    queue was down, once it is back: outbox)."""
    enqueue_on_commit(notify_comment, comment.pk)


def tell_author(comment):
    """Tell `comment`'s member author of a decision that no transition of its
    own announces (comment_moved does for those): the posting pipeline held it
    as it came in (a first comment, a watched word, links), or a moderator
    removed or restored the page it opens (a forum topic). Nobody else hears of
    it (notify_decision)."""
    if comment.author_id:
        enqueue_on_commit(notify_decision, comment.pk)


def comment_moved(comment, *, before, by):
    """After a change of status (comments.models.transitions.AFTER_TRANSITION):
    an approved or restored comment reaches those who should hear of it, and its
    author hears of a decision that someone else took."""
    if comment.status == Comment.Status.PUBLISHED:
        comment_published(comment)
    decided_by_others = by is None or by.pk != comment.author_id
    if comment.author_id and decided_by_others and comment.status != before:
        if comment.status != Comment.Status.DELETED:
            enqueue_on_commit(notify_decision, comment.pk)
    if by is not None and by.is_authenticated:
        enqueue_on_commit(notify_reporters, comment.pk, by.pk)


def comment_reacted(comment, *, by):
    """Call when `by` left a reaction on `comment`: its author hears of it
    (batched, notify_reaction) unless it is their own comment."""
    if comment.author_id and comment.author_id != by.pk:
        if Mute.objects.filter(muter_id=comment.author_id, muted=by).exists():
            return  # a muted member sends the author no notifications
        enqueue_on_commit(notify_reaction, comment.pk)


def mentioned_names(text):
    """Lower-cased candidate display names after each @ in `text`."""
    names = set()
    for match in MENTION_RE.finditer(text):
        words = match.group(1).split()
        for count in range(1, min(len(words), MENTION_WORDS) + 1):
            names.add(" ".join(words[:count]).rstrip(".,;:!?)").lower())
    return names


def mentioned_members(names):
    """Ids of the members named by lower-cased `names` (mentioned_names), in
    one query: a name counts when exactly one active member has it. Display
    names are not unique; a mention of a name two members share cannot tell
    which was meant, so it tells neither (rather than a stranger)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(lower_name=Lower("display_name"))
        .filter(lower_name__in=names)
        .values("lower_name")
        .annotate(members=Count("pk"), member=Min("pk"))
        .filter(members=1)
        .values_list("member", flat=True)
    )


def page_author_id(discussion):
    """The member who opened the page, for pages that have one (a forum topic's
    `author`); articles, written by editors, have none."""
    try:
        return getattr(discussion.owner, "author_id", None)
    except LookupError:
        return None


def page_followers(discussion, comment):
    """Members following where the page lives who should hear of `comment`:
    a page answers through `followers_of_post(comment)` (a forum topic: the
    followers of its category hear of its first post, a new topic)."""
    try:
        followers_of_post = getattr(discussion.owner, "followers_of_post", None)
    except LookupError:
        return []
    return followers_of_post(comment) if followers_of_post else []


def is_active(member_id):
    return get_user_model().objects.filter(pk=member_id, is_active=True).exists()


def recipients(comment):
    """{member id: kind} for a published comment; its author is never among them.

    A member gets one notification per comment, for the strongest reason:
    a reply to them, then a mention, then a discussion they follow.
    """
    found = {}
    discussion = comment.discussion
    # A deleted account (an inactive row) hears of nothing: its follows went
    # with it, and a reply to what it wrote tells nobody.
    followers = Follow.objects.filter(
        discussion=discussion, member__is_active=True
    ).values_list("member_id", flat=True)
    for member_id in followers.iterator(chunk_size=5000):
        found[member_id] = Notification.Kind.FOLLOWED
    if comment.parent_id is None:
        for member_id in page_followers(discussion, comment):
            found[member_id] = Notification.Kind.FOLLOWED
    if names := mentioned_names(comment.body):
        mentioned = mentioned_members(names)
        found.update(dict.fromkeys(mentioned, Notification.Kind.MENTION))
    replied_to = comment.parent.author_id if comment.parent_id else None
    if replied_to is None and comment.parent_id is None:
        replied_to = page_author_id(discussion)
    if replied_to is not None and is_active(replied_to):
        found[replied_to] = Notification.Kind.REPLY
    found.pop(comment.author_id, None)
    if comment.author_id:  # whoever muted the author hears nothing from them
        muters = Mute.objects.filter(muted_id=comment.author_id)
        for muter_id in muters.values_list("muter_id", flat=True):
            found.pop(muter_id, None)
    return found


def notify(comment):
    """Store the notifications for `comment` in bulk; return the rows made.

    Run again for the same comment (a retry), it adds nothing: one row per
    member and comment, enforced by the table.
    """
    if comment.status != Comment.Status.PUBLISHED:
        return []  # held or removed content notifies nobody
    rows = [
        Notification(
            recipient_id=member_id,
            kind=kind,
            actor_id=comment.author_id,
            comment=comment,
            created_at=comment.created_at,
        )
        for member_id, kind in recipients(comment).items()
    ]
    Notification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return rows


@task()
def notify_comment(comment_id):
    """Fan a published comment out to the members who should hear of it."""
    comment = (
        Comment.objects.select_related("discussion", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    made = notify(comment)
    email_those_who_want_it(comment)
    return len(made)


def email_those_who_want_it(comment):
    """Queue the emails of members notified of `comment` who want them at once."""
    for member_id in wanting_email_now(comment):
        email_member.enqueue(member_id, comment.discussion_id)


@task()
def notify_decision(comment_id):
    """Tell a comment's author of the decision on it: one notification per
    comment, brought back to the top (and unread) by each new decision."""
    comment = Comment.objects.filter(pk=comment_id, author__is_active=True).first()
    if comment is None:
        return 0  # a guest's, or a deleted account's
    Notification.objects.update_or_create(
        recipient_id=comment.author_id,
        comment=comment,
        kind=Notification.Kind.DECISION,
        defaults={
            "actor": None,
            "created_at": timezone.now(),
            "read_at": None,
            "emailed_at": None,
        },
    )
    email_those_who_want_it(comment)
    return 1


@task()
def notify_reporters(comment_id, moderator_id):
    """Tell the members whose reports of a comment a moderator just closed that
    they were reviewed (reports closed in the last hour by that moderator)."""
    closed = Report.objects.filter(
        comment_id=comment_id,
        resolved_by_id=moderator_id,
        resolved_at__gte=timezone.now() - timedelta(hours=1),
        reporter__is_active=True,
    ).exclude(reporter_id=moderator_id)
    rows = [
        Notification(
            recipient_id=reporter_id,
            kind=Notification.Kind.REPORT,
            comment_id=comment_id,
        )
        for reporter_id in closed.values_list("reporter_id", flat=True)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        email_those_who_want_it(Comment.objects.get(pk=comment_id))
    return len(rows)


@task()
def notify_reaction(comment_id):
    """One notification per comment and REACTION_PERIOD for its author: the
    first reaction of a period brings it (back) to the top, unread; the later
    ones of the period are counted in it without raising it again."""
    comment = (
        Comment.objects.published()
        .filter(pk=comment_id, author__is_active=True)
        .first()
    )
    if comment is None or not comment.reaction_counts:
        return 0
    now = timezone.now()
    made = Notification.objects.filter(
        recipient_id=comment.author_id, comment=comment, kind=Notification.Kind.REACTION
    )
    if made.filter(created_at__gt=now - REACTION_PERIOD).exists():
        return 0
    Notification.objects.update_or_create(
        recipient_id=comment.author_id,
        comment=comment,
        kind=Notification.Kind.REACTION,
        defaults={
            "actor": None,
            "created_at": now,
            "read_at": None,
            "emailed_at": None,
        },
    )
    email_those_who_want_it(comment)
    return 1
