from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.avatars import FORMATS, checked_image
from accounts.models import EmailChoice, Notification, Role
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
    role = forms.ChoiceField(
        label=_("How you are part of this community"),
        required=False,
        choices=[("", _("Rather not say"))] + Role.choices,
        help_text=_("Optional: shown beside your name."),
    )
    # A FileField, not an ImageField: accounts.avatars gives the reasons in words.
    avatar = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_(
            "Optional. A JPEG, PNG, WebP or GIF image, at most 5 MB. Without one, "
            "your initials are shown."
        ),
        widget=forms.FileInput(
            attrs={"accept": ",".join(f"image/{kind.lower()}" for kind in FORMATS)}
        ),
    )
    remove_avatar = forms.BooleanField(
        label=_("Remove my picture and show my initials"), required=False
    )

    clean_display_name = SignupForm.clean_display_name

    def clean_avatar(self):
        upload = self.cleaned_data["avatar"]
        if upload:
            self.cleaned_data["avatar_image"] = checked_image(upload)
        return upload


class EmailChoicesForm(forms.Form):
    """One choice per kind of notification: at once, a daily digest, or none."""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=EmailChoice.choices,
                initial=member.email_choice(kind),
            )
