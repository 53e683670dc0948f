import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from articles.models import Article
from tests.comments.make import comment
from tests.conftest import read_mail
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough pass phrase"


def verified_member(**fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def link_in(mail):
    return re.search(r"https?://[^/\s]+(/\S+)", mail).group(1)


def sign_up(client, **changes):
    data = {
        "email": "ana@example.org",
        "display_name": "Ana",
        "password1": PASSWORD,
        **changes,
    }
    return client.post(reverse("account_signup"), data)


def test_sign_up_verify_by_email_then_log_in(client, settings):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="ana@example.org")
    assert user.display_name == "Ana"
    assert not EmailAddress.objects.get(user=user).verified
    # Not verified yet: logging in sends the verification again instead.
    client.post(
        reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    mail = read_mail(settings)[-1]
    assert "ana@example.org" in mail
    confirm = link_in(mail)
    client.get(confirm)  # opening the link is enough
    assert EmailAddress.objects.get(user=user).verified
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("account_login"), {"login": "ANA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"display_name": "   "}, "display_name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password1": "123"}, "password1", "too short"),
    ],
)
def test_bad_sign_up_is_explained_next_to_the_field_and_keeps_what_was_typed(
    client, changes, field, message
):
    response = sign_up(client, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="id_{field}"', html)
    if field != "email":
        assert 'value="ana@example.org"' in html
    assert not User.objects.exists()


def test_signing_up_with_a_taken_email_does_not_reveal_the_account(client):
    fresh = sign_up(client, email="new@example.org")
    verified_member(email="ana@example.org")
    client.logout()
    taken = sign_up(client)
    # The same answer as for a new address: nobody learns who has an account.
    assert (taken.status_code, taken["Location"]) == (302, fresh["Location"])
    assert User.objects.filter(email="ana@example.org").count() == 1


def test_password_reset_by_email(client, settings):
    user = verified_member(email="ben@example.org")
    client.post(reverse("account_reset_password"), {"email": "ben@example.org"})
    reset = link_in(read_mail(settings)[-1])
    form = client.get(reset, follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else reset,
        {
            "password1": "a brand new pass phrase",
            "password2": "a brand new pass phrase",
        },
    )
    user.refresh_from_db()
    assert user.check_password("a brand new pass phrase")


def test_change_password(client):
    user = verified_member()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct horse battery",
            "password1": "another long pass phrase",
            "password2": "another long pass phrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another long pass phrase")


def test_change_email_needs_verification_of_the_new_address(client, settings):
    user = verified_member(email="old@example.org")
    client.force_login(user)
    client.post(
        reverse("account_email"), {"action_add": "", "email": "new@example.org"}
    )
    assert "new@example.org" in read_mail(settings)[-1]
    client.post(link_in(read_mail(settings)[-1]))
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_member_page_shows_the_display_name_never_the_email(client):
    user = verified_member(
        display_name="Chris", email="chris@example.org", bio="Caring for my mum."
    )
    html = client.get(user.get_absolute_url()).content.decode()
    assert "<h1>Chris</h1>" in html and "Caring for my mum." in html
    assert "chris@example.org" not in html
    client.force_login(user)
    html = client.get(reverse("articles:home")).content.decode()
    assert "Chris" in html and "chris@example.org" not in html


def test_member_page_lists_what_they_said_in_public(client, django_assert_num_queries):
    user = verified_member(display_name="Chris")
    public = ArticleFactory(title="Tofersen one year on")
    draft = ArticleFactory(title="Unpublished draft", status=Article.Status.DRAFT)
    comment(public.discussion, author=user, body="Our clinic starts in May.")
    comment(public.discussion, author=user, body="Held words", status="pending")
    comment(draft.discussion, author=user, body="Said on a draft")
    html = client.get(user.get_absolute_url()).content.decode()
    assert "1 comment" in html and "Our clinic starts in May." in html
    assert "On “Tofersen one year on”" in html
    assert "Held words" not in html and "Said on a draft" not in html
    for n in range(30):
        comment(public.discussion, author=user, body=f"More words {n}")
    # the person, the count of comments, of topics (none here), the list
    with django_assert_num_queries(4):
        html = client.get(user.get_absolute_url()).content.decode()
    assert "31 comments" in html and "Page 1 of 2" in html
    assert "More words 29" in html and "More words 9" not in html  # newest first


def test_member_page_shows_comments_as_the_discussion_does_not_as_markdown(client):
    user = verified_member()
    article = ArticleFactory()
    comment(
        article.discussion,
        author=user,
        body="**Bold** words and <script>alert(1)</script>\n\n- a list",
    )
    html = client.get(user.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in html and "<li>a list</li>" in html
    assert "**Bold**" not in html and "<script>alert(1)" not in html


def test_settings_change_the_public_profile(client):
    user = verified_member()
    client.force_login(user)
    assert client.get(reverse("accounts:settings")).status_code == 200
    response = client.post(
        reverse("accounts:settings"), {"display_name": "  Dee  ", "bio": "Hello"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Dee", "Hello")


def test_settings_need_a_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email_verification_sent",
        "account_reset_password_done",
    ],
)
def test_account_pages_use_the_site_layout_with_one_heading(client, name):
    html = client.get(reverse(name)).content.decode()
    assert html.count("<h1") == 1
    assert 'class="skip-link"' in html and "Search articles" in html


@pytest.mark.parametrize(
    "name",
    ["account_email", "account_change_password", "account_logout", "accounts:settings"],
)
def test_member_account_pages_use_the_site_layout(client, name):
    client.force_login(verified_member())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
