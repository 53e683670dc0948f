"""Display names: nobody is blank, and a new name or staff badge shows at once."""

import json
import re
import unicodedata
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
CORPORA = Path(__file__).resolve().parent.parent / "corpora"
NAUGHTY = json.loads((CORPORA / "blns.json").read_text())
PASSWORD = "a long enough pass phrase"
# Each shows nothing: spaces aside, zero-width, word joiner, byte order mark, soft
# hyphen, a bell, a combining accent with no letter, a Hangul filler, and mixes.
BLANK_LOOKING = [
    "\u200b",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\x07",
    "\u0301",
    "\u3164",
    " \u200b \u200d\u200c ",
    "\u202e\u0301\u0308",
]


def refused_next_to_the_field(response, typed):
    html = response.content.decode()
    assert response.status_code == 200
    assert "This name has nothing that others could see" in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_display_name"', html)
    assert 'id="id_display_name_error"' in html
    assert response.context["form"]["display_name"].value() == typed
    return html


def visible_characters(text):
    return [char for char in text if unicodedata.category(char)[0] in "LNPS"]


@pytest.mark.parametrize("typed", BLANK_LOOKING)
def test_settings_refuse_a_blank_looking_name_and_keep_what_was_typed(client, typed):
    member = UserFactory(display_name="Dee")
    client.force_login(member)
    response = client.post(
        reverse("accounts:settings"), {"display_name": typed, "bio": "Hello"}
    )
    html = refused_next_to_the_field(response, typed)
    assert "Hello</textarea>" in html
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Dee", "")


@pytest.mark.parametrize("typed", BLANK_LOOKING)
def test_sign_up_refuses_a_blank_looking_name(client, typed):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ana@example.org",
            "display_name": typed,
            "password1": PASSWORD,
        },
    )
    refused_next_to_the_field(response, typed)
    assert not User.objects.exists()


@pytest.mark.parametrize("typed", BLANK_LOOKING)
def test_guests_are_refused_the_same_blank_looking_names(client, typed):
    article = ArticleFactory()
    response = client.post(
        reverse("comments:post", args=[article.discussion_id]),
        {
            "body": "Thank you for this.",
            "name": typed,
            "email": "guest@example.org",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "This name has nothing that others could see" in response.content.decode()
    assert not article.discussion.comments.exists()


def test_names_with_something_to_see_are_kept_without_control_characters(client):
    member = UserFactory()
    client.force_login(member)
    for typed, kept in [
        ("  Ana   María ", "Ana María"),
        ("Jo\x07\x1b", "Jo"),
        ("\u200bSam\u200b", "\u200bSam\u200b"),
        ("👩\u200d🦽", "👩\u200d🦽"),
        ("é", "é"),
    ]:
        response = client.post(reverse("accounts:settings"), {"display_name": typed})
        assert response.status_code == 302, repr(typed)
        member.refresh_from_db()
        assert member.display_name == kept


def test_every_naughty_string_as_a_display_name(client):
    member = UserFactory(display_name="Before")
    client.force_login(member)
    for typed in NAUGHTY:
        response = client.post(reverse("accounts:settings"), {"display_name": typed})
        assert response.status_code in (200, 302), repr(typed)
        member.refresh_from_db()
        if response.status_code == 302:
            assert visible_characters(member.display_name), repr(typed)
            assert member.display_name.strip() == member.display_name
            assert (
                escape(member.display_name)
                in client.get(member.get_absolute_url()).content.decode()
            ), repr(typed)
            continue
        # Refused only for what cannot be a name: nothing visible, too long, NUL.
        assert response.context["form"]["display_name"].value() == typed
        assert (
            not visible_characters(typed) or len(typed.strip()) > 60 or "\x00" in typed
        ), repr(typed)


def thread_of(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html[html.index('<ol class="thread">') : html.index("</section>")]


def test_a_new_display_name_shows_at_once_in_cached_threads(client):
    member = UserFactory(display_name="Old Name")
    article, elsewhere = ArticleFactory(), ArticleFactory()
    comment(article.discussion, author=member, body="My first words here.")
    comment(elsewhere.discussion, body="Not by them.")
    assert "Old Name" in thread_of(client, article)  # now cached
    elsewhere.discussion.refresh_from_db()
    untouched = elsewhere.discussion.version
    client.force_login(member)
    response = client.post(reverse("accounts:settings"), {"display_name": "New Name"})
    assert response.status_code == 302
    client.logout()
    thread = thread_of(client, article)
    assert "New Name" in thread and "Old Name" not in thread
    elsewhere.discussion.refresh_from_db()
    assert elsewhere.discussion.version == untouched


def admin_change(client, user, **changes):
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **changes,
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_staff_status_given_in_the_admin_shows_at_once_in_cached_threads(
    client, admin_user
):
    member = UserFactory(display_name="Dana Okafor")
    article = ArticleFactory()
    comment(article.discussion, author=member, body="The link is under the summary.")
    assert "Kindred team" not in thread_of(client, article)  # now cached
    client.force_login(admin_user)
    response = admin_change(client, member, is_staff="on")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff
    client.logout()
    assert "Kindred team" in thread_of(client, article)


def test_a_name_changed_in_the_admin_shows_at_once_and_must_be_visible(
    client, admin_user
):
    member = UserFactory(display_name="Old Name")
    article = ArticleFactory()
    comment(article.discussion, author=member, body="Hello.")
    assert "Old Name" in thread_of(client, article)
    client.force_login(admin_user)
    refused = admin_change(client, member, display_name="\u200b\u2060")
    assert refused.status_code == 200
    assert "This name has nothing that others could see" in refused.content.decode()
    assert admin_change(client, member, display_name="New Name").status_code == 302
    client.logout()
    assert "New Name" in thread_of(client, article)
