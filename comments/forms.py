import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from accounts.validators import visible_name

GUEST_COOKIE = "kindred_guest"
GUEST_COOKIE_SALT = "kindred.comments.guest"
EDIT_SALT = "kindred.comments.edit"
EDIT_NOTE_SECONDS = 24 * 60 * 60


class CommentForm(forms.Form):
    """One comment, from a member (body only) or a guest (with name and email).

    The text is kept exactly as typed (no stripping): what people wrote is theirs.
    No field carries a time: a form never expires, however slowly it is filled in.
    """

    body = forms.CharField(
        label=_("Comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown works: *italic*, **bold**, [a link](https://…), > quote, - lists."
        ),
        error_messages={"required": _("Please write your comment before posting.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please give a name to show with your comment.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Never shown to anyone."),
        error_messages={
            "required": _("Please give your email address; it is never shown.")
        },
    )
    url = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label=_("Remember my name and email in this browser"),
        required=False,
    )
    # A field people never see or hear; software that fills in every field does.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, guest=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        # A guest's form is the same for every reader (config.guest_csrf), so it
        # carries no token of its own: a copy sent twice is found by its text
        # (comments.services.post_comment).
        for name in ("token",) if guest else ("name", "email", "url", "remember"):
            del self.fields[name]

    def clean_body(self):
        body = self.cleaned_data["body"]
        limit = settings.KINDRED["COMMENTS_MAX_LENGTH"]
        if not body.strip():
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        if len(body) > limit:
            raise forms.ValidationError(
                _(
                    "Your comment is %(length)s characters long; the limit is "
                    "%(limit)s. Please shorten it."
                ),
                params={"length": len(body), "limit": limit},
            )
        return body

    def clean_name(self):
        return visible_name(self.cleaned_data["name"])

    @property
    def visible_fields_in_order(self):
        return [self[name] for name in self.fields if name not in ("homepage", "token")]


class EditForm(forms.Form):
    """New text for one's own comment. The edit window is checked when the form is
    opened, not when it is sent: the form carries a signed note made when it was
    opened inside the window, so someone who types slowly can still save it."""

    body = CommentForm.base_fields["body"]
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    clean_body = CommentForm.clean_body

    def __init__(self, *args, comment, in_window, **kwargs):
        super().__init__(*args, **kwargs)
        self.comment, self.in_window = comment, in_window
        if not self.is_bound:
            self.initial["opened"] = signing.dumps(comment.pk, salt=EDIT_SALT)

    def opened_in_window(self):
        # Forms are only given out inside the window; the note is good for a day.
        try:
            return self.comment.pk == signing.loads(
                self.data.get("opened", ""), salt=EDIT_SALT, max_age=EDIT_NOTE_SECONDS
            )
        except signing.BadSignature:
            return False

    def clean(self):
        cleaned = super().clean()
        if not self.in_window and not self.opened_in_window():
            self.add_error(
                "body",
                _(
                    "The time for editing this comment is over, so it was not "
                    "changed. Your new text is still here: copy it, or reply to "
                    "your comment with it."
                ),
            )
        return cleaned
