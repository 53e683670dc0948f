"""Reacting to a comment: a small form of four buttons at each published
comment, for signed-in members. Without JavaScript the form posts and the
member lands back at the comment, told what changed; static/js/reactions.js
sends the same form with fetch and updates the counts in place."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments import rendering
from comments.models import Comment
from comments.models.reactions import Kind, counts_words, reacting_too_fast
from comments.services import react_to_comment
from comments.views.notices import tell_beside
from comments.views.reading import posting_block


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def back_to(request, comment):
    """The comment's place, in the order the member was reading."""
    url = comment.get_absolute_url()
    order = request.GET.get("order")
    return f"{url}?order={order}" if order in rendering.ORDERS else url


@require_POST
def reaction(request, pk):
    comment = get_object_or_404(
        Comment.objects.published().visible_to(request).with_owners(), pk=pk
    )
    if not request.user.is_authenticated:
        login = reverse("account_login")
        return redirect(f"{login}?next={comment.get_absolute_url()}")
    # An unpressed button sends kind=, the member's own (pressed) take_back=.
    take_back = "take_back" in request.POST
    kind = request.POST.get("take_back" if take_back else "kind")
    refusal = posting_block(request, comment.discussion)
    status = 400
    if not refusal and kind not in Kind.values:
        refusal = _("Choose one of the reactions.")
    if not refusal and reacting_too_fast(request.user):
        refusal = _(
            "You changed reactions many times this minute; please wait a minute."
        )
        status = 429
    if refusal:
        if wants_json(request):
            return JsonResponse({"message": str(refusal)}, status=status)
        tell_beside(request, comment, refusal)
        return redirect(back_to(request, comment))
    now = react_to_comment(
        comment=comment, member=request.user, kind=kind, take_back=take_back
    )
    if now is None:
        message = _("Your reaction was taken back.")
    else:
        message = _("Your reaction: %(label)s.") % {"label": Kind(now).label}
    if wants_json(request):
        counts = counts_words(comment.reaction_counts)
        return JsonResponse({"kind": now, "counts": counts, "message": message})
    tell_beside(request, comment, message)
    return redirect(back_to(request, comment))
