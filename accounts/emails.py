"""Emails about notifications: at once (at most one per discussion per hour
per member), with a one-click unsubscribe link that needs no login (RFC 8058).

Sending runs in the worker (email_member). A notification is marked emailed
just before its email goes (committed first, so that no email is sent twice),
and unmarked when the send fails: the task is enqueued again with a growing
delay, and a later email still carries it.

Each send asks again, when it runs, whether its notifications may still go:
the member still active and still choosing that email, the comment still
public where it is (not held or removed, its topic or article not taken down),
its author not muted since. What may not go stays in the notification list.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override
from django_tasks import task

from accounts.models import (
    DigestDay,
    DiscussionEmail,
    EmailChoice,
    Notification,
    email_choice,
)
from comments.models import Comment
from comments.owners import registry
from outbox import enqueue_on_commit

HOLD_BACK = timedelta(hours=1)  # at most one email per discussion per hour
ATTEMPTS = 5
UNSUBSCRIBE_SALT = "kindred.unsubscribe"
# News of one's own comment (a decision) or of one's report (its review) goes
# whatever the comment's status now is; their emails never quote a comment
# that is not public (Notification.public_excerpt).
ABOUT_ONESELF = [Notification.Kind.DECISION, Notification.Kind.REPORT]
# Kinds an email may call "new comments" in its subject.
COMMENT_KINDS = {
    Notification.Kind.REPLY,
    Notification.Kind.MENTION,
    Notification.Kind.FOLLOWED,
}


def all_new_comments(notes):
    """Whether an email's subject may call all of `notes` new comments."""
    return all(note.kind in COMMENT_KINDS for note in notes)


def emailable():
    """What may be emailed: news of comments that anyone may read now (published,
    on a page that is public: not a removed or held topic, not an article taken
    back to draft), or news about oneself (ABOUT_ONESELF). A filter on
    notifications, asked afresh at each send; no query of its own."""
    public = Q(comment__status=Comment.Status.PUBLISHED) & registry.visible(
        AnonymousUser(), through="comment__discussion__"
    )
    return public | Q(kind__in=ABOUT_ONESELF)


def waiting_for(member):
    """`member`'s notifications that may be emailed and were not: emailable(),
    and not by a member they have muted since."""
    return (
        member.notifications.filter(emailable(), emailed_at=None)
        .exclude(actor__in=member.mutes.values("muted"))
        .for_list()
    )


def site_url(path):
    """An absolute link for an email, which is read far from any request."""
    domain = settings.SITE_DOMAIN or "127.0.0.1:8000"
    scheme = "http" if settings.DEBUG or not settings.SITE_DOMAIN else "https"
    return f"{scheme}://{domain}{path}"


def unsubscribe_token(member, kinds):
    """Signed: who, and which kinds of email the link stops. No expiry: an
    unsubscribe link in an old email must still work."""
    return signing.dumps(
        [member.pk, sorted(kinds)], salt=UNSUBSCRIBE_SALT, compress=True
    )


def read_unsubscribe_token(token):
    """(member, kinds) of a token, or None when it was altered or names nobody."""
    try:
        member_id, kinds = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        valid = kinds and set(kinds) <= set(Notification.Kind.values)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not valid:
        return None
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    return (member, kinds) if member else None


def kind_labels(kinds):
    return "; ".join(str(Notification.Kind(kind).label) for kind in kinds)


def wanting_email_now(comment):
    """Members notified of `comment` who asked for an email at once."""
    notified = Notification.objects.filter(comment=comment, emailed_at=None)
    rows = notified.values_list("recipient_id", "kind", "recipient__email_choices")
    return [
        member_id
        for member_id, kind, choices in rows
        if email_choice(choices, kind) == EmailChoice.NOW
    ]


@task()
def email_member(member_id, discussion_id, attempt=1):
    """Email a member what is new for them in one discussion; returns how many
    notifications it carried (0 when held back by the hourly limit or nothing
    is left to send)."""
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return 0
    now = timezone.now()
    try:
        return send_pending(member, discussion_id, now)
    except Exception:
        # Nothing was marked emailed: try again later, up to ATTEMPTS times.
        if attempt < ATTEMPTS:
            email_member.using(run_after=now + timedelta(minutes=2**attempt)).enqueue(
                member_id, discussion_id, attempt + 1
            )
        raise


def send_pending(member, discussion_id, now):
    """Send what waits for `member` in one discussion as one email, unless they
    were emailed about it less than HOLD_BACK ago (at once or in a digest, about
    anything there): then it waits for the email sent when the hour is up."""
    with transaction.atomic():
        # Locked: a second worker emailing this member about this discussion
        # waits here, then finds the hour started.
        last, _created = DiscussionEmail.objects.select_for_update().get_or_create(
            member=member, discussion_id=discussion_id
        )
        waiting = (
            waiting_for(member)
            .filter(comment__discussion_id=discussion_id)
            .select_for_update(skip_locked=True, of=("self",))
        )
        pending = [
            note
            for note in waiting
            if member.email_choice(note.kind) == EmailChoice.NOW
        ]
        if not pending:
            return 0
        if last.sent_at and last.sent_at > now - HOLD_BACK:
            email_member.using(run_after=last.sent_at + HOLD_BACK).enqueue(
                member.pk, discussion_id
            )
            return 0
        before, last.sent_at = last.sent_at, now
        last.save(update_fields=["sent_at"])
        mark_emailed(pending, now)
    try:
        send_marked(member, pending, now)
    except Exception:
        # Not sent: the retry must not find the hour started by it.
        DiscussionEmail.objects.filter(pk=last.pk, sent_at=now).update(sent_at=before)
        raise
    return len(pending)


def mark_emailed(notes, now):
    Notification.objects.filter(pk__in=[note.pk for note in notes]).update(
        emailed_at=now
    )


def send_marked(member, notes, now, subject=None):
    """Email `notes`, marked emailed at `now` in a transaction that committed.

    Marked before the email goes, an email is sent at most once: a worker that
    dies once it is sent (kill -9, the database gone before the mark) cannot
    send it again. A send that fails unmarks them, to be sent by the retry.
    """
    if not notes:
        return
    try:
        send_notifications(member, notes, subject=subject)
    except Exception:
        marked = [note.pk for note in notes]
        Notification.objects.filter(pk__in=marked, emailed_at=now).update(
            emailed_at=None
        )
        raise


def send_notifications(member, notes, subject=None):
    """One email to `member` about `notes`, newest first: those of one
    discussion, or (with a `subject`) a digest."""
    with override(settings.LANGUAGE_CODE):
        if subject is None:
            subject = notes[0].summary if len(notes) == 1 else many_in_one(notes)
        kinds = sorted({note.kind for note in notes})
        unsubscribe = site_url(
            reverse("accounts:unsubscribe", args=[unsubscribe_token(member, kinds)])
        )
        context = {
            "user": member,
            "current_site": {
                "name": settings.SITE_NAME,
                "domain": settings.SITE_DOMAIN or site_url(""),
            },
            "items": [(note, site_url(link_for(note))) for note in notes],
            "kind_label": kind_labels(kinds),
            "unsubscribe_url": unsubscribe,
            "settings_url": site_url(reverse("accounts:emails")),
        }
        message = EmailMultiAlternatives(
            subject=f"[{settings.SITE_NAME}] {subject}",
            body=render_to_string("accounts/email/notifications.txt", context),
            to=[member.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(
            render_to_string("accounts/email/notifications.html", context), "text/html"
        )
        message.send()


def link_for(note):
    """Where an email sends its reader: straight to the comment, which opens
    without logging in, while it is public (or their own, for a decision);
    else to their notifications, which say it is no longer public (a comment
    they reported, since removed)."""
    if note.public_excerpt or note.kind == Notification.Kind.DECISION:
        return note.comment.get_absolute_url()
    return reverse("notifications:list")


def many_in_one(notes):
    """The subject of an email that carries several notifications of one
    discussion: new comments, or (with a decision, a reaction...) news."""
    if all_new_comments(notes):
        words = ngettext(
            "%(count)s new comment on “%(where)s”",
            "%(count)s new comments on “%(where)s”",
            len(notes),
        )
    else:
        words = ngettext(
            "%(count)s notification about “%(where)s”",
            "%(count)s notifications about “%(where)s”",
            len(notes),
        )
    return words % {"count": len(notes), "where": notes[0].comment.discussion.owner}


_queued_day = None  # this process saw the digests of this day queued


def queue_digests_if_due(now=None):
    """Queue the day's digests (send_digests) at the first look on or after
    KINDRED["DIGEST_HOUR"] o'clock (None: never): every task worker looks between tasks
    (db_worker every few seconds, the RQ workers at each maintenance), and the
    day's DigestDay row lets one of them only queue them. True when this call
    queued them."""
    global _queued_day
    hour = settings.KINDRED["DIGEST_HOUR"]
    now = timezone.localtime(now or timezone.now())
    if hour is None or now.hour < hour or _queued_day == now.date():
        return False
    with transaction.atomic():
        _day, created = DigestDay.objects.get_or_create(day=now.date())
        if created:
            enqueue_on_commit(send_digests)
    _queued_day = now.date()
    return created


@task()
def send_digests():
    """Enqueue one digest per member who has notifications waiting for one.
    Queued daily by the workers (queue_digests_if_due), or by hand with
    manage.py send_digests."""
    waiting = (
        Notification.objects.filter(emailable(), emailed_at=None)
        .values_list("recipient_id", "kind", "recipient__email_choices")
        .distinct()
    )
    members = {
        member_id
        for member_id, kind, choices in waiting
        if email_choice(choices, kind) == EmailChoice.DIGEST
    }
    for member_id in sorted(members):
        send_digest.enqueue(member_id)
    return len(members)


@task()
def send_digest(member_id):
    """One email with everything waiting for this member's digest."""
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return 0
    with transaction.atomic():
        waiting = waiting_for(member).select_for_update(skip_locked=True, of=("self",))
        notes = [
            note
            for note in waiting
            if member.email_choice(note.kind) == EmailChoice.DIGEST
        ]
        now = timezone.now()
        mark_emailed(notes, now)
    with override(settings.LANGUAGE_CODE):
        if all_new_comments(notes):
            words = ngettext(
                "Your daily digest: %(count)s new comment",
                "Your daily digest: %(count)s new comments",
                len(notes),
            )
        else:
            words = ngettext(
                "Your daily digest: %(count)s notification",
                "Your daily digest: %(count)s notifications",
                len(notes),
            )
        subject = words % {"count": len(notes)}
    send_marked(member, notes, now, subject=subject)
    # The digest starts the hour of each discussion it told of: an email at
    # once about one of them waits for it to be up. The digest itself waits
    # for nobody: it comes at its time of day.
    DiscussionEmail.objects.bulk_create(
        [
            DiscussionEmail(member=member, discussion_id=pk, sent_at=now)
            for pk in {note.comment.discussion_id for note in notes}
        ],
        update_conflicts=True,
        unique_fields=["member", "discussion"],
        update_fields=["sent_at"],
    )
    return len(notes)
