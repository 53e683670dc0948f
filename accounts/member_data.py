"""Everything Kindred keeps about a member, section by section: what the export
gives them and what deleting their account erases.

Each app that stores something of a member's registers a Section from its
ready(), as the pages that own discussions join comments.owners: accounts knows
its own tables and the comments engine's, the forums add their topics. A new
kind of member data is a new Section, so the export and the deletion cannot
forget it in one place and not the other.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import FORMER_DOMAIN, EmailChoice, Notification
from comments.models import Comment, Discussion, MemberNote, ModerationRecord, Report


@dataclass(frozen=True)
class Section:
    """One kind of member data: `export(member)` gives it as JSON-ready values;
    `erase(member, keep_posts)` removes it when the account is deleted (before
    the member's own row is emptied)."""

    name: str
    export: Callable
    erase: Callable | None = None


SECTIONS: list[Section] = []


def register(section):
    if all(known.name != section.name for known in SECTIONS):
        SECTIONS.append(section)


def export(member):
    """Everything about `member`, ready for json.dumps (DjangoJSONEncoder)."""
    data = {"exported_at": timezone.now()}
    for section in SECTIONS:
        data[section.name] = section.export(member)
    return data


# What deleting an account does with what the member wrote: kept under
# "Former member", or every post replaced by a "Deleted by the author" tombstone.
KEEP_POSTS = "keep"
TOMBSTONES = "tombstones"


@transaction.atomic
def delete_account(member, *, keep_posts):
    """Erase `member`: each section's data, then the person themselves. The row
    stays, emptied, as "Former member", so that their posts, their replies and
    the moderators' decisions keep their place."""
    for section in SECTIONS:
        if section.erase is not None:
            section.erase(member, keep_posts)
    end_sessions(member)
    if picture := member.avatar.name:
        # The file goes once the deletion is stored, not before.
        storage = member.avatar.storage
        transaction.on_commit(lambda: storage.delete(picture))
        member.avatar = ""
    member.email = f"former-member-{member.pk}@{FORMER_DOMAIN}"
    member.display_name = gettext("Former member")
    member.bio = member.role = ""
    member.email_choices = {}
    member.is_active = member.is_staff = member.is_superuser = False
    member.last_login = None
    member.set_unusable_password()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()


def end_sessions(member):
    """Delete every stored session of `member`, through the session engine so
    that a cached copy goes too (cached_db with Redis). Sessions are not indexed
    by user, so each row is decoded; a deletion is rare, and the emptied
    password would end them at their next request anyway (Django checks the
    session's hash)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for session in Session.objects.iterator(chunk_size=500):
        if session.get_decoded().get("_auth_user_id") == str(member.pk):
            store.delete(session.session_key)


def when(moment):
    return moment.isoformat() if moment else None


# The sections of accounts and of the comments engine.


def export_profile(member):
    from allauth.account.models import EmailAddress

    return {
        "id": member.pk,
        "email": member.email,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
        "display_name": member.display_name,
        "bio": member.bio,
        "role": member.get_role_display(),
        "picture": member.avatar.url if member.avatar else None,
        "joined": when(member.date_joined),
        "last_login": when(member.last_login),
    }


def erase_profile(member, keep_posts):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()


def export_passkeys(member):
    from allauth.mfa.models import Authenticator

    rows = Authenticator.objects.filter(user=member).order_by("created_at", "pk")
    return [
        {
            "name": str(key),
            "added": when(key.created_at),
            "last_used": when(key.last_used_at),
        }
        for key in rows
    ]


def export_email_settings(member):
    return {
        str(label): str(EmailChoice(member.email_choice(kind)).label)
        for kind, label in Notification.Kind.choices
    }


def export_comments(member):
    rows = (
        Comment.objects.filter(author=member).with_owners().order_by("created_at", "pk")
    )
    return [
        {
            "id": c.pk,
            "where": str(c.discussion.owner),
            "url": c.get_absolute_url(),
            "in_reply_to": c.parent_id,
            "text": c.body,
            "status": str(c.get_status_display()),
            "posted": when(c.created_at),
            "edited": when(c.edited_at),
            "ip_address": c.ip_address,
        }
        for c in rows
    ]


def erase_comments(member, keep_posts):
    """Their comments lose the address they were sent from; as tombstones, the
    words too: published and held ones become "Deleted by the author" (a record
    each, counts moved), those a moderator took down keep that decision. The
    nodes stay, so every reply keeps its place in the thread."""
    theirs = Comment.objects.filter(author=member)
    if keep_posts:
        theirs.update(ip_address=None)
    else:
        tombstone(theirs)
    # Their name (now "Former member") shows in these threads: render afresh.
    Discussion.objects.filter(pk__in=theirs.values("discussion_id")).update(
        version=F("version") + 1
    )


def tombstone(theirs):
    live = theirs.filter(
        status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING]
    ).order_by()
    published_here = (
        live.filter(status=Comment.Status.PUBLISHED, discussion=OuterRef("pk"))
        .values("discussion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Discussion.objects.filter(pk__in=live.values("discussion_id")).update(
        comment_count=F("comment_count") - Coalesce(Subquery(published_here), 0)
    )
    ModerationRecord.objects.bulk_create(
        ModerationRecord(
            comment_id=pk,
            from_status=status,
            to_status=Comment.Status.DELETED,
            rule="account-deleted",
        )
        for pk, status in live.values_list("pk", "status")
    )
    live.update(status=Comment.Status.DELETED, status_reason="")
    theirs.update(body="", body_html="", ip_address=None, author_note="")


def export_reactions(member):
    """Reactions stay when the account goes: they were support given, and
    nobody sees who left them, only how many did."""
    rows = member.reactions.order_by("created_at", "pk")
    return [
        {
            "comment": r.comment_id,
            "reaction": str(r.get_kind_display()),
            "left": when(r.created_at),
        }
        for r in rows
    ]


def export_drafts(member):
    rows = member.drafts.order_by("updated_at", "pk")
    return [
        {"form": d.place, "title": d.title, "text": d.body, "saved": when(d.updated_at)}
        for d in rows
    ]


def erase_drafts(member, keep_posts):
    member.drafts.all().delete()


def export_follows(member):
    follows = member.follows.select_related("discussion").order_by("created_at")
    return [
        {
            "where": str(f.discussion.owner),
            "url": f.discussion.get_absolute_url(),
            "since": when(f.created_at),
        }
        for f in follows
    ]


def export_mutes(member):
    """The members this member muted (their ids and names: whom they chose not
    to read is the member's own data)."""
    mutes = member.mutes.select_related("muted").order_by("created_at", "pk")
    return [
        {
            "member": m.muted_id,
            "name": m.muted.display_name,
            "since": when(m.created_at),
        }
        for m in mutes
    ]


def erase_mutes(member, keep_posts):
    member.mutes.all().delete()


def export_notifications(member):
    rows = member.notifications.for_list().order_by("created_at", "pk")
    return [
        {
            "what": n.summary,
            "comment": n.comment_id,
            "created": when(n.created_at),
            "read": when(n.read_at),
            "emailed": when(n.emailed_at),
        }
        for n in rows
    ]


def export_visits(member):
    rows = member.visits.select_related("discussion").order_by("seen_at", "pk")
    return [
        {
            "where": str(v.discussion.owner),
            "url": v.discussion.get_absolute_url(),
            "last_read": when(v.seen_at),
        }
        for v in rows
    ]


def export_emails_sent(member):
    """When they were last emailed about each discussion (what holds the next
    email about it back for an hour)."""
    rows = member.discussion_emails.exclude(sent_at=None).select_related("discussion")
    return [
        {
            "where": str(e.discussion.owner),
            "url": e.discussion.get_absolute_url(),
            "last_emailed": when(e.sent_at),
        }
        for e in rows.order_by("sent_at", "pk")
    ]


def erase_received(member, keep_posts):
    member.discussion_emails.all().delete()
    member.visits.all().delete()
    member.follows.all().delete()
    member.notifications.all().delete()


def export_moderation(member):
    """What the moderators keep about the member, and the reports they made."""
    return {
        "reports_made": [
            {
                "comment": r.comment_id,
                "reason": str(r.get_reason_display()),
                "note": r.note,
                "reported": when(r.created_at),
                "decided": when(r.resolved_at),
            }
            for r in member.reports_made.order_by("created_at")
        ],
        "restrictions": [
            {
                "kind": str(r.get_kind_display()),
                "until": when(r.until),
                "reason": r.reason,
                "since": when(r.created_at),
            }
            for r in member.restrictions.order_by("created_at")
        ],
        "moderators_notes": [
            {"note": n.text, "written": when(n.created_at)}
            for n in MemberNote.objects.filter(member=member).order_by("created_at")
        ],
    }


def erase_moderation(member, keep_posts):
    """Decisions stay (restrictions, reports, records) without the person's
    words: their report notes and the moderators' notes about them go."""
    Report.objects.filter(reporter=member).update(note="")
    MemberNote.objects.filter(member=member).delete()


for _section in [
    Section("profile", export_profile, erase_profile),
    Section("passkeys", export_passkeys),
    Section("email_settings", export_email_settings),
    Section("comments", export_comments, erase_comments),
    Section("reactions", export_reactions),
    Section("drafts", export_drafts, erase_drafts),
    Section("follows", export_follows),
    Section("mutes", export_mutes, erase_mutes),
    Section("pages_read", export_visits),
    Section("notifications", export_notifications, erase_received),
    Section("emails_sent", export_emails_sent),
    Section("moderation", export_moderation, erase_moderation),
]:
    register(_section)
