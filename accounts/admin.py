import allauth.mfa.admin  # noqa: F401  (registers Authenticator, unregistered below)
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import SHOWN_IN_THREADS, refresh_threads_of
from accounts.validators import visible_name


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]

    def clean_display_name(self):
        return visible_name(self.cleaned_data["display_name"])


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    clean_display_name = UserCreationForm.clean_display_name


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    # Recorded by the site, never typed in.
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "bio", "role"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "display_name",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(SHOWN_IN_THREADS) & set(form.changed_data):
            refresh_threads_of(obj)


# Passkeys belong to their member alone (added and removed at /accounts/2fa/
# webauthn/); someone who loses theirs logs in by an emailed code instead. So the
# admin keeps no page of them (allauth.mfa registers one).
admin.site.unregister(Authenticator)
