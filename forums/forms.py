import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.forms import CommentForm
from forums.models import Category

TITLE_MIN, TITLE_MAX = 5, 150


def title_field(label=None):
    return forms.CharField(
        label=label or _("Title"),
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text=_("Between 5 and 150 characters: say what the topic is about."),
        error_messages={
            "required": _("Please give your topic a title."),
            "min_length": _("The title needs at least 5 characters."),
            "max_length": _("The title can have at most 150 characters."),
        },
    )


class TopicForm(forms.Form):
    """A new topic: its title and first post. The first post is checked like a
    comment (same field, same limits); the honeypot and the form token too."""

    title = title_field()
    body = forms.CharField(
        label=_("First post"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=CommentForm.base_fields["body"].help_text,
        error_messages={"required": _("Please write the first post of your topic.")},
    )
    homepage = CommentForm.base_fields["homepage"]
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    clean_body = CommentForm.clean_body

    @property
    def visible_fields_in_order(self):
        return [self["title"], self["body"]]


class ArticleTopicForm(TopicForm):
    """An editor's topic for an article: the category, then what TopicForm asks."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the category of the topic.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.startable_by(user)

    @property
    def visible_fields_in_order(self):
        return [self["category"], self["title"], self["body"]]


class TitleForm(forms.Form):
    title = title_field()


class ModerateForm(forms.Form):
    """One of the moderators' moves; `action` says which fields it needs."""

    ACTIONS = ("pin", "unpin", "lock", "unlock", "move", "rename", "remove", "restore")
    NEEDS = {"move": "category", "rename": "title", "remove": "reason"}

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    category = forms.ModelChoiceField(
        label=_("Move to"), queryset=Category.objects.all(), required=False
    )
    title = title_field(_("New title"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Shown to the author, and for a lock to everyone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False

    def clean(self):
        data = super().clean()
        needed = self.NEEDS.get(data.get("action"))
        if needed and not data.get(needed):
            messages = {
                "category": _("Choose the category to move the topic to."),
                "title": _("Please give the new title."),
                "reason": _("Give a reason: the author will see it."),
            }
            self.add_error(needed, messages[needed])
        return data
