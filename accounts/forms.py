from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import confirmation
from accounts.avatars import FORMATS, checked_image
from accounts.member_data import KEEP_POSTS, TOMBSTONES
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


class DeleteAccountForm(forms.Form):
    """What becomes of their posts, and proof that it is them: their password,
    or for an account without one, the code emailed to them
    (accounts.confirmation)."""

    posts = forms.ChoiceField(
        label=_("What becomes of what you wrote"),
        choices=[
            (
                KEEP_POSTS,
                _("Keep my posts, shown under “Former member”"),
            ),
            (
                TOMBSTONES,
                _("Replace every post of mine by “Deleted by the author”"),
            ),
        ],
        widget=forms.RadioSelect,
        help_text=_("Replies from others stay in place either way."),
        error_messages={"required": _("Choose what becomes of your posts.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to confirm.")},
    )
    code = forms.CharField(
        label=_("The code we emailed you"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        error_messages={"required": _("Type the code from the email to confirm.")},
    )

    def __init__(self, *args, member, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.member, self.session = member, session
        if member.has_usable_password():
            del self.fields["code"]
        else:
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not confirmation.check_code(self.session, code):
            raise forms.ValidationError(
                _("This code is wrong or has expired. Ask for a new one.")
            )
        return code
