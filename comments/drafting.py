"""Drafts in the views: every form that members write in keeps their text as a
draft (on Preview, on a refusal, and every few seconds with JavaScript), offers it
back when they open that form again, and forgets it once the post is stored.

Each form's own view calls these with a Where: the form's draft key (comments.
models.place_for, or an owner's own key such as forums' "topic-in-<id>"), its
address and its name, so the same permission scopes decide who may keep a draft
where, and the member's list of drafts can lead back to each one. Guests keep none.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from comments.models import Draft
from comments.models.drafts import LABEL_LENGTH

SAVE = "save_draft"  # the field that the autosave script sends with the form
DISCARD = "discard_draft"  # the name of the "Discard draft" button


@dataclass(frozen=True)
class Where:
    """Where a draft belongs: its key, the address of its form, and what the
    member's list of drafts calls it ("Reply to Fran on “Cold hands”")."""

    place: str
    url: str
    label: str


def body_limit():
    return settings.KINDRED["COMMENTS_MAX_LENGTH"]


def restored(request, place):
    """The member's draft for this form, or None (no query for a guest)."""
    if not request.user.is_authenticated:
        return None
    return Draft.objects.of(request.user, place).first()


def over_limit(fields, limits):
    """Why the text cannot be kept as it is, or "" when it fits."""
    for name, limit in limits.items():
        length = len(fields.get(name, ""))
        if length > limit:
            return _(
                "Not saved as a draft: the text is %(length)s characters long; "
                "the limit is %(limit)s. Please shorten it."
            ) % {"length": length, "limit": limit}
    return ""


def keep(request, where, *, body, title=""):
    """Keep what the member wrote (after Preview, or a refusal)."""
    if request.user.is_authenticated:
        Draft.objects.keep(
            author=request.user,
            place=where.place,
            body=body,
            title=title,
            url=where.url,
            label=str(where.label)[:LABEL_LENGTH],
        )


def keep_if_it_fits(request, where, *, body):
    """Keep text that no form checked (a post refused before its form was read),
    unless it is empty or longer than the form allows."""
    if body.strip() and not over_limit({"body": body}, {"body": body_limit()}):
        keep(request, where, body=body)


def forget(request, where):
    """The post is stored: its draft has done its work."""
    if request.user.is_authenticated:
        Draft.objects.of(request.user, where.place).delete()


def answer(request, where, *, limits=None):
    """The response to an autosave or to "Discard draft", or None when the request
    is neither (the form view then goes on as usual)."""
    if request.method != "POST" or not (
        SAVE in request.POST or DISCARD in request.POST
    ):
        return None
    if not request.user.is_authenticated:
        if SAVE in request.POST:
            return JsonResponse({"message": _("Log in to keep drafts.")}, status=403)
        return redirect(where.url)
    if DISCARD in request.POST:
        Draft.objects.of(request.user, where.place).delete()
        messages.success(request, _("Your draft was discarded."))
        return redirect(where.url)
    return _autosave(request, where, limits or {"body": body_limit()})


def _autosave(request, where, limits):
    fields = {name: request.POST.get(name, "") for name in ("title", "body")}
    refusal = over_limit(fields, limits)
    if refusal:  # refused whole, never cut short
        return JsonResponse({"message": refusal}, status=400)
    if not fields["body"].strip() and not fields["title"].strip():
        Draft.objects.of(request.user, where.place).delete()
        return JsonResponse({"message": ""})
    keep(request, where, **fields)
    return JsonResponse({"message": _("Draft saved")})
