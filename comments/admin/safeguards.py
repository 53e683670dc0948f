"""What moderators keep besides comments: the record, restrictions on people,
notes on members, words and thresholds."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.admin.lists import CheckedListAdmin
from comments.models import (
    Comment,
    MemberNote,
    ModerationRecord,
    ModerationSettings,
    ModerationWord,
    RemovalReason,
    Restriction,
)


class ReadOnlyForModerators(CheckedListAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationRecord)
class ModerationRecordAdmin(ReadOnlyForModerators):
    list_display = [
        "created_at",
        "comment",
        "actor",
        "from_status",
        "to_status",
        "rule",
        "reason",
    ]
    list_filter = ["to_status", "from_status", "rule", "created_at"]
    search_fields = ["reason", "actor__display_name", "comment__body"]
    list_select_related = ["actor", "comment__author"]
    date_hierarchy = "created_at"


class RestrictionForm(forms.ModelForm):
    remove_comments = forms.BooleanField(
        label=_("Also remove all their published comments"),
        required=False,
        help_text=_("Replies keep their place."),
    )
    public_reason = forms.ModelChoiceField(
        label=_("Public reason for the removals"),
        queryset=RemovalReason.objects.filter(is_active=True),
        required=False,
        help_text=_(
            "Readers see “Removed by a moderator · <reason>”; the member "
            "reads the restriction's reason as a note on each comment."
        ),
    )

    class Meta:
        model = Restriction
        fields = ["kind", "member", "guest_email", "ip_address", "until", "reason"]
        # One native date and time field: labelled, and usable by keyboard and
        # voice, where the admin's split widget has two unlabelled boxes.
        field_classes = {"until": forms.DateTimeField}
        widgets = {
            "until": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }


@admin.register(Restriction)
class RestrictionAdmin(CheckedListAdmin):
    form = RestrictionForm
    list_display = ["__str__", "kind", "until", "reason", "created_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = [
        "member__display_name",
        "member__email",
        "guest_email",
        "ip_address",
        "reason",
    ]
    autocomplete_fields = ["member"]
    list_select_related = ["member", "created_by"]

    def get_changeform_initial_data(self, request):
        """The form filled in from the query string ("Restrict this author"),
        leaving out any value its field would refuse, so that a mangled link
        opens an emptier form rather than a server error."""
        fields = RestrictionForm.base_fields
        initial = {}
        for name, value in super().get_changeform_initial_data(request).items():
            if name in fields:
                try:
                    fields[name].clean(value)
                except (ValidationError, ValueError, TypeError, OverflowError):
                    continue
            initial[name] = value
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("remove_comments"):
            comments = (
                Comment.objects.published()
                .filter(
                    Q(author=obj.member)
                    if obj.member_id
                    else Q(author=None, guest_email__iexact=obj.guest_email)
                    if obj.guest_email
                    else Q(ip_address=obj.ip_address)
                )
                .select_related("discussion")
            )
            public_reason = form.cleaned_data.get("public_reason")
            count = sum(
                bool(
                    c.remove(
                        by=request.user,
                        public_reason=public_reason,
                        note=obj.reason,
                        reason=obj.reason,
                    )
                )
                for c in comments
            )
            self.message_user(
                request,
                ngettext(
                    "Removed %(count)s comment.", "Removed %(count)s comments.", count
                )
                % {"count": count},
            )


@admin.register(MemberNote)
class MemberNoteAdmin(CheckedListAdmin):
    list_display = ["member", "text", "author", "created_at"]
    search_fields = ["member__display_name", "member__email", "text"]
    autocomplete_fields = ["member"]
    fields = ["member", "text"]
    list_select_related = ["member", "author"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ModerationWord)
class ModerationWordAdmin(CheckedListAdmin):
    list_display = ["word", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["word"]
    fields = ["word", "kind"]  # when it was added is set, not typed


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "links_to_hold",
        "reports_to_hold",
        "hold_first_comments",
    ]

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not ModerationSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row only: open it (creating it with the defaults the first time).
        from django.shortcuts import redirect

        if self.has_view_permission(request):
            settings = ModerationSettings.objects.first()
            if settings is None and request.user.has_perm(
                "comments.change_moderationsettings"
            ):
                settings = ModerationSettings.objects.create()
            if settings is not None:
                return redirect("admin:comments_moderationsettings_change", settings.pk)
        return super().changelist_view(request, extra_context)


@admin.register(RemovalReason)
class RemovalReasonAdmin(CheckedListAdmin):
    """The public reasons moderators pick from. A reason is retired (no longer
    offered) rather than deleted: the comments removed with it keep it."""

    list_display = ["label", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    fields = ["label", "position", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False
