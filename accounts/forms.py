from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import visible_name


class SignupForm(forms.Form):
    """Extra fields for allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown beside everything you write. Your email is never shown."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["email", "display_name", "password1"]

    def clean_display_name(self):
        return visible_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.Form):
    display_name = SignupForm.base_fields["display_name"]
    bio = forms.CharField(
        label=_("About you"), required=False, max_length=2000, widget=forms.Textarea
    )

    clean_display_name = SignupForm.clean_display_name
