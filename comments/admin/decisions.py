"""Decisions on comments in the admin, all made from the one table of
transitions (comments.models.moderation.TRANSITIONS): the batch actions of the
lists, the buttons of each queue row and the "Decide" box of a comment's page.

After a decision from a row or a comment's page the moderator goes back to the
queue they came from (its filters kept), with focus on the next comment and a
message saying what was done, or that another moderator decided first.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from comments.models import Comment, RemovalReason
from comments.models.transitions import BY_VERB, DECISIONS, KEEP

# The query parameter naming the row to focus when a queue opens; taken out of
# the query string before the admin reads its filters from it.
FOCUS = "focus"


class ReasonForm(forms.Form):
    """What a removal or rejection says: the public reason readers see, a note
    only the author reads, and the moderators' own words."""

    reason = forms.ModelChoiceField(
        label=gettext_lazy("Public reason"),
        queryset=RemovalReason.objects.filter(is_active=True),
        to_field_name="label",
        empty_label=gettext_lazy("Pick a reason"),
        help_text=gettext_lazy("Readers see “Removed by a moderator · <reason>”."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the author (optional)"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Only the author sees it, on their comment."),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    internal = forms.CharField(
        label=gettext_lazy("For moderators only (optional)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def decision(self):
        """The keyword arguments of a transition that asks for a reason."""
        return {
            "public_reason": self.cleaned_data["reason"],
            "note": self.cleaned_data["note"],
            "reason": self.cleaned_data["internal"],
        }


def decision_action(transition):
    """The admin's batch action for one decision of the transition table."""

    def action(modeladmin, request, queryset):
        if transition.asks_reason:
            return modeladmin.decide_with_reason(request, queryset, transition)
        modeladmin.decide_each(request, queryset, transition)
        return None

    action.__name__ = transition.verb
    return admin.action(description=transition.batch, permissions=["moderate"])(action)


def already_decided(count):
    return ngettext(
        "%(count)s comment was already decided by another moderator; it was "
        "left as they decided.",
        "%(count)s comments were already decided by another moderator; they "
        "were left as decided.",
        count,
    ) % {"count": count}


class Decisions:
    """For the comment admins: decide on many comments (actions) or on one."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_decide"
        decide = self.admin_site.admin_view(self.decide_view)
        return [path("<int:pk>/decide/", decide, name=name), *super().get_urls()]

    def decide_each(self, request, queryset, transition, **kwargs):
        """Make the decision on each comment, one recorded transition each."""
        changed = already = skipped = 0
        for comment in queryset.select_related("discussion"):
            seen = comment.status
            if getattr(comment, transition.verb)(by=request.user, **kwargs):
                changed += 1
                self.log_change(request, comment, transition.verb)
            elif comment.status != seen:  # decided meanwhile by someone else
                already += 1
            else:
                skipped += 1
        self.message_user(
            request, transition.done % {"count": changed}, messages.SUCCESS
        )
        if already:
            self.message_user(request, already_decided(already), messages.WARNING)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s comment was left as it was: that change does not "
                    "apply to its status.",
                    "%(count)s comments were left as they were: that change does not "
                    "apply to their status.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        return changed

    def decide_with_reason(self, request, queryset, transition):
        """Ask once for the reason of a whole batch, then decide each comment."""
        if "apply" in request.POST:
            form = ReasonForm(request.POST)
            if form.is_valid():
                try:
                    self.decide_each(request, queryset, transition, **form.decision())
                except ValidationError as error:
                    self.message_user(request, error.messages[0], messages.ERROR)
                return None
        else:
            form = ReasonForm()
        return TemplateResponse(
            request,
            "admin/comments/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": transition.batch,
                "form": form,
                "comments": queryset,
                "action": transition.verb,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def decide_url(self, comment, *, filters="", following=None):
        """Where a row's or a page's decision on `comment` is sent: it carries the
        status the moderator saw, the queue's filters and the next row."""
        query = {"seen": comment.status}
        if filters:
            query["_changelist_filters"] = filters
        if following is not None:
            query["next"] = following.pk
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_decide",
            args=[comment.pk],
        )
        return f"{url}?{urlencode(query)}"

    def back_to_queue(self, request, focus):
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        filters = request.GET.get("_changelist_filters", "")
        query = "&".join(part for part in (filters, urlencode({FOCUS: focus})) if part)
        return HttpResponseRedirect(f"{url}?{query}")

    def decide_view(self, request, pk):
        """One decision on one comment, from a queue row or the comment's page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment.objects.select_related("discussion"), pk=pk)
        decision = BY_VERB.get(request.POST.get("decision", ""))
        if decision not in (*DECISIONS, KEEP):
            messages.error(request, _("Choose one of the decisions offered."))
            return self.back_to_queue(request, comment.pk)
        seen = request.GET.get("seen", comment.status)
        following = request.GET.get("next", "")
        kwargs = {}
        if decision.asks_reason:
            form = ReasonForm(
                {
                    field: request.POST.get(f"{field}-{pk}", request.POST.get(field))
                    for field in ReasonForm.base_fields
                }
            )
            if not form.is_valid():
                messages.error(
                    request,
                    _("%(decision)s: pick a public reason first; nothing changed.")
                    % {"decision": decision.label},
                )
                return self.back_to_queue(request, comment.pk)
            kwargs = form.decision()
        if comment.status == seen and getattr(comment, decision.verb)(
            by=request.user, **kwargs
        ):
            self.log_change(request, comment, decision.verb)
            messages.success(
                request,
                _("%(done)s (by %(name)s: “%(excerpt)s”)")
                % {
                    "done": decision.done % {"count": 1},
                    "name": comment.author_name,
                    "excerpt": comment.body[:60],
                },
            )
        elif comment.status != seen or decision is KEEP:
            messages.warning(request, already_decided(1))
        else:
            messages.warning(
                request,
                _("Nothing changed: “%(decision)s” does not apply to this comment.")
                % {"decision": decision.label},
            )
        return self.back_to_queue(request, following or comment.pk)
