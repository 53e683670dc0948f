"""Emails about notifications: at once (at most one per discussion per hour per
member), with a one-click unsubscribe link that needs no login (RFC 8058).

Sending runs in the worker (email_member). A notification is marked emailed
just before its email goes (committed first, so that no email is sent twice),
and unmarked when the send fails: the task is enqueued again with a growing
delay, and a later email still carries it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override
from django_tasks import task

from accounts.models import EmailChoice, Notification, email_choice
from comments.models import Comment

HOLD_BACK = timedelta(hours=1)  # at most one email per discussion per hour
ATTEMPTS = 5
UNSUBSCRIBE_SALT = "kindred.unsubscribe"
# What may be emailed: news of public comments only (held or removed content
# reaches nobody), except a decision on one's own comment and the review of
# one's report, which are news whatever the comment's status now is; their
# emails never quote a comment that is not public (Notification.public_excerpt).
EMAILABLE = Q(comment__status=Comment.Status.PUBLISHED) | Q(
    kind__in=[Notification.Kind.DECISION, Notification.Kind.REPORT]
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
    in_discussion = member.notifications.filter(comment__discussion_id=discussion_id)
    last = in_discussion.filter(emailed_at__gt=now - HOLD_BACK).aggregate(
        last=Max("emailed_at")
    )["last"]
    if last is not None:
        # Replies within the hour fold into one email sent when the hour is up.
        email_member.using(run_after=last + HOLD_BACK).enqueue(member_id, discussion_id)
        return 0
    try:
        return send_pending(member, in_discussion, now)
    except Exception:
        # Nothing was marked emailed: try again later, up to ATTEMPTS times.
        if attempt < ATTEMPTS:
            email_member.using(run_after=now + timedelta(minutes=2**attempt)).enqueue(
                member_id, discussion_id, attempt + 1
            )
        raise


def send_pending(member, notifications, now):
    """Send what waits in `notifications` as one email; mark it emailed."""
    with transaction.atomic():
        # Locked, and skipped by another worker sending the same ones meanwhile.
        waiting = (
            notifications.filter(EMAILABLE, emailed_at=None)
            .for_list()
            .select_for_update(skip_locked=True, of=("self",))
        )
        pending = [
            note
            for note in waiting
            if member.email_choice(note.kind) == EmailChoice.NOW
        ]
        mark_emailed(pending, now)
    send_marked(member, pending, now)
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
            # Straight to the comment, which opens without logging in.
            "items": [
                (note, site_url(note.comment.get_absolute_url())) for note in notes
            ],
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


def many_in_one(notes):
    return ngettext(
        "%(count)s new comment on “%(where)s”",
        "%(count)s new comments on “%(where)s”",
        len(notes),
    ) % {"count": len(notes), "where": notes[0].comment.discussion.owner}


@task()
def send_digests():
    """Enqueue one digest per member who has notifications waiting for one.
    Run daily (manage.py send_digests from cron, README)."""
    waiting = (
        Notification.objects.filter(EMAILABLE, emailed_at=None)
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
        waiting = (
            member.notifications.filter(EMAILABLE, emailed_at=None)
            .for_list()
            .select_for_update(skip_locked=True, of=("self",))
        )
        notes = [
            note
            for note in waiting
            if member.email_choice(note.kind) == EmailChoice.DIGEST
        ]
        now = timezone.now()
        mark_emailed(notes, now)
    with override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "Your daily digest: %(count)s new comment",
            "Your daily digest: %(count)s new comments",
            len(notes),
        ) % {"count": len(notes)}
    send_marked(member, notes, now, subject=subject)
    return len(notes)
