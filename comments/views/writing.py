import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from comments import drafting
from comments.forms import GUEST_COOKIE, GUEST_COOKIE_SALT, EditForm
from comments.markup import render_markup
from comments.models import Comment, Discussion, place_for
from comments.models.discussion import GUEST_SESSION_KEY
from comments.posting import Submission
from comments.services import RESENT, edit_comment, post_comment
from comments.views.notices import tell_beside
from comments.views.reading import comment_form, place_url, posting_block
from config.clientip import client_ip
from config.guest_csrf import guest_form
from config.public_cache import public_page

REMEMBER_SECONDS = 60 * 60 * 24 * 365


# A guest's form sent by a browser that said neither where it was sent from nor
# carried a token (config.guest_csrf).
NOT_VERIFIED = gettext_lazy(
    "Your browser did not say which page this form came from, so your comment "
    "was not posted yet. Your text is kept below: please choose “Post comment” "
    "again."
)


@guest_form
@require_POST
def post(request, discussion_id):
    discussion = get_object_or_404(
        Discussion.objects.visible_to(request).with_owners(), pk=discussion_id
    )
    return _compose(request, discussion, parent=None)


@public_page
@guest_form
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    parent = get_object_or_404(
        Comment.objects.published()
        .visible_to(request)
        .with_owners()
        .select_related("author"),
        pk=pk,
    )
    return _compose(request, parent.discussion, parent=parent)


def _compose(request, discussion, parent):
    """The "Leave a comment" / "Reply to NAME" flow: form, preview, post."""
    context = {"discussion": discussion, "owner": discussion.owner, "parent": parent}
    block = posting_block(request, discussion)
    guests_allowed = settings.KINDRED["COMMENTS_ALLOW_GUESTS"]
    if not block and not request.user.is_authenticated and not guests_allowed:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    where = _draft_of_post(discussion, parent)
    drafted = drafting.answer(request, where)
    if drafted:  # an autosave, or "Discard draft"
        return drafted
    if block:  # closed, or the person may not post: say why, keep what they wrote
        if request.method == "POST":
            unsent = request.POST.get("body", "")
            drafting.keep_if_it_fits(request, where, body=unsent)
        else:  # or what they left in this form before it closed
            draft = drafting.restored(request, where.place)
            unsent = draft.body if draft else ""
        return render(
            request,
            "comments/compose.html",
            {**context, "posting_block": block, "unsent": unsent},
            status=403,
        )
    draft = drafting.restored(request, where.place) if request.method == "GET" else None
    form = comment_form(
        request, request.POST if request.method == "POST" else None, draft=draft
    )
    focus_on_text(form)
    context["draft"] = draft
    if request.method == "GET" or not form.is_valid():
        return render(request, "comments/compose.html", {**context, "form": form})
    if request.csrf_unverified:  # config.guest_csrf: back with a token, text kept
        form.add_error(None, NOT_VERIFIED)
        return render(
            request, "comments/compose.html", {**context, "form": form}, status=403
        )
    if "preview" in request.POST:
        focus_on_text(form, False)  # the page opens at the preview instead
        drafting.keep(request, where, body=form.cleaned_data["body"])
        preview = render_markup(form.cleaned_data["body"])
        return render(
            request,
            "comments/compose.html",
            {**context, "form": form, "preview": preview},
        )
    data = form.cleaned_data
    submission = Submission(
        discussion=discussion,
        body=data["body"],
        parent=parent,
        author=request.user if request.user.is_authenticated else None,
        guest_name=data.get("name", ""),
        guest_email=data.get("email", ""),
        guest_url=data.get("url", ""),
        ip_address=client_ip(request),
        honeypot=data.get("homepage", ""),
        guest_comments=tuple(request.session.get(GUEST_SESSION_KEY, [])),
    )
    try:
        comment, verdict = post_comment(submission=submission, token=data.get("token"))
    except IntegrityError:  # a copy of the form that raced the first one
        existing = get_object_or_404(Comment, form_token=data["token"])
        return redirect(existing.get_absolute_url())
    if verdict.rule == RESENT:  # a copy of a form already stored: its comment
        return redirect(comment.get_absolute_url())
    drafting.forget(request, where)
    if comment is None:
        drafting.keep(request, where, body=data["body"])  # refused, not lost
        if verdict.rule == "form_reused":
            # The form's token is spent: a fresh one, with the text kept.
            form = comment_form(request, {**request.POST.dict(), "token": uuid.uuid4()})
            form.is_valid()
        form.add_error(verdict.field, _refusal(verdict))  # next to its field
        return render(
            request,
            "comments/compose.html",
            {**context, "form": form},
            status=verdict.status_code,
        )
    if verdict.action == "hold":
        tell_beside(request, comment, verdict.message)
    else:
        tell_beside(request, comment, _("Your comment was posted."))
    response = redirect(comment.get_absolute_url())
    if comment.author_id is None:
        _remember_guest(request, response, comment, data)
    return response


def _draft_of_post(discussion, parent):
    """Where the draft of a new comment or of a reply belongs."""
    place = place_for(discussion=discussion, parent=parent)
    page = discussion.owner
    if parent is None:
        url = discussion.get_absolute_url() + "#leave-comment"
        return drafting.Where(place, url, _("Comment on “%(page)s”") % {"page": page})
    label = _("Reply to %(name)s on “%(page)s”") % {
        "name": parent.author_name,
        "page": page,
    }
    return drafting.Where(place, reverse("comments:reply", args=[parent.pk]), label)


def focus_on_text(form, focus=True):
    """A page that is only a form opens with the cursor in its text, except
    after Preview, which opens at the preview just above the form."""
    attrs = form.fields["body"].widget.attrs
    if focus:
        attrs["autofocus"] = True
    else:
        attrs.pop("autofocus", None)


def _refusal(verdict):
    if verdict.duplicate_of is not None:
        return format_html(
            '{} <a href="{}">{}</a>',
            verdict.message,
            verdict.duplicate_of.get_absolute_url(),
            _("See your first comment."),
        )
    return verdict.message


def _remember_guest(request, response, comment, data):
    """This browser session may edit the comment; the browser may keep the name."""
    own = request.session.get(GUEST_SESSION_KEY, [])
    request.session[GUEST_SESSION_KEY] = [*own[-49:], comment.pk]
    if data.get("remember"):
        saved = json.dumps(
            {"name": data["name"], "email": data["email"], "url": data.get("url", "")}
        )
        response.set_signed_cookie(
            GUEST_COOKIE,
            saved,
            salt=GUEST_COOKIE_SALT,
            max_age=REMEMBER_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(GUEST_COOKIE)


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    # Opening the form needs the window; sending it needs only a form opened in it.
    own = Comment.objects.visible_to(request)
    in_window = own.editable_by(request).filter(pk=pk).exists()
    if request.method == "GET" and not in_window:
        raise Http404
    comment = get_object_or_404(own.deletable_by(request).with_owners(), pk=pk)
    where = drafting.Where(
        place_for(comment=comment),
        reverse("comments:edit", args=[comment.pk]),
        _("Edit of your comment on “%(page)s”") % {"page": comment.discussion.owner},
    )
    drafted = drafting.answer(request, where)
    if drafted:  # an autosave, or "Discard draft"
        return drafted
    draft = drafting.restored(request, where.place) if request.method == "GET" else None
    form = EditForm(
        request.POST or None,
        initial={"body": draft.body if draft else comment.body},
        comment=comment,
        in_window=in_window,
    )
    focus_on_text(form, "preview" not in request.POST)
    context = {
        "comment": comment,
        "owner": comment.discussion.owner,
        "form": form,
        "draft": draft,
        # Said before any typing; sending is still judged in full (edit_comment).
        "posting_block": posting_block(request, comment.discussion),
    }
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if "preview" in request.POST:
            drafting.keep(request, where, body=body)
            return render(
                request,
                "comments/edit.html",
                {**context, "preview": render_markup(body)},
            )
        verdict = edit_comment(
            comment=comment, body=body, ip_address=client_ip(request)
        )
        if verdict.action == "refuse":  # the text stays in the form, and kept
            drafting.keep(request, where, body=body)
            form.add_error(verdict.field or "body", verdict.message)
            return render(
                request, "comments/edit.html", context, status=verdict.status_code
            )
        drafting.forget(request, where)
        if verdict.action == "hold":
            tell_beside(request, comment, verdict.message)
        else:
            tell_beside(request, comment, _("Your comment was updated."))
        return redirect(comment.get_absolute_url())
    return render(request, "comments/edit.html", context)


def _where_it_was(request, comment):
    """The place of a comment just deleted: itself when replies keep it on the
    page (as "Deleted by the author"), else the comment shown just above it,
    or below it, or the top of the discussion; the confirmation goes there."""
    discussion = comment.discussion
    shown = discussion.comments.published()
    if shown.filter(path__startswith=comment.path).exists():
        place = comment
    else:
        place = (
            shown.filter(path__lt=comment.path).order_by("-path").first()
            or shown.filter(path__gt=comment.path).order_by("path").first()
        )
    if place is None:
        messages.success(request, _("Your comment was deleted."))
        return discussion.get_absolute_url() + "#comments"
    tell_beside(request, place, _("Your comment was deleted."))
    return place_url(request, discussion, place.path, place.pk)


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    comment = get_object_or_404(
        Comment.objects.visible_to(request).deletable_by(request).with_owners(), pk=pk
    )
    if request.method == "POST":
        comment.delete_by_author(
            by=request.user if request.user.is_authenticated else None
        )
        return redirect(_where_it_was(request, comment))
    return render(
        request,
        "comments/delete.html",
        {"comment": comment, "owner": comment.discussion.owner},
    )
