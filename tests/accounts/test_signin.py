"""Logging in, signing up and the emails they send, in Kindred's words."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.accounts.test_accounts import link_in, sign_up, verified_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FACTORY_PASSWORD = "correct horse battery"  # tests/factories.py


@pytest.fixture
def outbox(settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_NAME = "Kindred"
    settings.SITE_DOMAIN = "kindred.example"
    return mailoutbox


def form_of(html):
    start = html.index('<form class="account-form"')
    return html[start : html.index("</form>", start)]


def inputs(html, **attributes):
    """The <input> tags of the page's form that carry all `attributes`."""
    tags = re.findall(r"<input[^>]*>", form_of(html))
    wanted = [f'{name}="{value}"' for name, value in attributes.items()]
    return [tag for tag in tags if all(attr in tag for attr in wanted)]


def log_in(client, **changes):
    data = {"login": "ana@example.org", "password": FACTORY_PASSWORD, **changes}
    return client.post(reverse("account_login"), data)


# Each way an email leaves the site: what sends it, who gets it, what it is about.
def signing_up(client):
    sign_up(client)
    return "ana@example.org", "Confirm your email address to finish signing up"


def adding_an_address(client):
    client.force_login(verified_member(email="old@example.org"))
    client.post(reverse("account_email"), {"action_add": "", "email": "new@ex.org"})
    return "new@ex.org", "Confirm your email address"


def forgetting_a_password(client):
    verified_member(email="ben@example.org")
    client.post(reverse("account_reset_password"), {"email": "ben@example.org"})
    return "ben@example.org", "Choose a new password"


def asking_a_reset_for_an_unknown_address(client):
    client.post(reverse("account_reset_password"), {"email": "who@example.org"})
    return "who@example.org", "No account uses this email address"


def signing_up_again(client):
    verified_member(email="ana@example.org")
    sign_up(client)
    return "ana@example.org", "You already have an account"


def changing_the_password(client):
    client.force_login(verified_member(email="cy@example.org"))
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": FACTORY_PASSWORD,
            "password1": "another long pass phrase",
            "password2": "another long pass phrase",
        },
    )
    return "cy@example.org", "Your password was changed"


@pytest.mark.parametrize(
    "act",
    [
        signing_up,
        adding_an_address,
        forgetting_a_password,
        asking_a_reset_for_an_unknown_address,
        signing_up_again,
        changing_the_password,
    ],
)
def test_every_email_is_kindreds_own_in_text_and_html(client, outbox, act):
    to, subject = act(client)
    [mail] = outbox
    assert mail.to == [to]
    assert mail.subject == f"[Kindred] {subject}"
    [(html, kind)] = mail.alternatives
    assert kind == "text/html"
    for body in (mail.body, html):
        assert "Kindred" in body and "kindred.example" in body
        assert "testserver" not in body.split("http://testserver/")[0]
        assert "Hello from" not in body and "You're receiving" not in body
    link = link_in(mail.body)
    assert f'href="http://testserver{link}"' in html
    assert mail.body.endswith("The Kindred team\nkindred.example")


def test_the_site_name_comes_from_settings(client, outbox, settings):
    settings.SITE_NAME = "Kith"
    sign_up(client)
    [mail] = outbox
    assert mail.subject.startswith("[Kith] ")
    assert "Welcome to Kith." in mail.body and "The Kith team" in mail.body
    assert "Kindred" not in mail.body + mail.alternatives[0][0]


def test_emails_greet_members_by_their_display_name(client, outbox):
    sign_up(client, display_name="Ana & Bo")
    [mail] = outbox
    assert mail.body.startswith("Hello Ana & Bo,")
    assert "<p>Hello Ana &amp; Bo,</p>" in mail.alternatives[0][0]


def test_without_a_domain_setting_emails_name_the_host_asked(client, outbox, settings):
    settings.SITE_DOMAIN = ""
    sign_up(client)
    assert outbox[0].body.endswith("The Kindred team\ntestserver")


def test_a_notice_says_how_to_undo_a_change_that_was_not_yours(client, outbox):
    changing_the_password(client)
    body = outbox[0].body
    assert "If it was not, choose a new password now:" in body
    assert f"http://testserver{reverse('account_reset_password')}" in body


@pytest.mark.parametrize(
    "name, heading, button",
    [
        ("account_login", "Log in", "Log in"),
        ("account_signup", "Sign up", "Sign up"),
        ("account_logout", "Log out", "Log out"),
    ],
)
def test_account_pages_use_the_words_of_the_menu(client, name, heading, button):
    if name == "account_logout":
        client.force_login(verified_member())
    html = client.get(reverse(name)).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<button type="submit">{button}</button>' in form_of(html)
    assert f"<title>{heading} · Kindred</title>" in html
    assert not re.search(r"Sign[ -]?[IiOo]|Sign Up|signup process", html)


@pytest.mark.parametrize(
    "name, heading",
    [
        ("account_reset_password", "Forgotten your password?"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
    ],
)
def test_the_pages_on_the_way_in_speak_plainly(client, name, heading):
    html = client.get(reverse(name)).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert not re.search(r"Sign[ -]?[IiOo]|Sign Up|signup process|Reset My", html)


def test_a_new_password_leads_back_to_log_in(client, outbox):
    forgetting_a_password(client)
    link = link_in(outbox[0].body)
    form = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "password1": "a brand new pass phrase",
            "password2": "a brand new pass phrase",
        },
        follow=True,
    ).content.decode()
    assert "<h1>Your password was changed</h1>" in done
    assert f'<a class="button" href="{reverse("account_login")}">Log in</a>' in done


def test_a_used_reset_link_offers_a_new_one(client):
    html = client.get(
        reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "1", "key": "used"}
        )
    ).content.decode()
    assert "<h1>This link no longer works</h1>" in html
    assert f'href="{reverse("account_reset_password")}">Email me a new link' in html


def test_login_and_signup_pages_link_to_each_other(client):
    login = client.get(reverse("account_login")).content.decode()
    signup = client.get(reverse("account_signup")).content.decode()
    assert f'<a href="{reverse("account_signup")}">Sign up</a>' in login
    assert f'<a href="{reverse("account_login")}">Log in</a>' in signup


def test_the_forgotten_password_link_comes_after_the_password(client):
    form = form_of(client.get(reverse("account_login")).content.decode())
    order = [
        form.index('id="id_login"'),
        form.index('id="id_password"'),
        form.index(f'href="{reverse("account_reset_password")}"'),
    ]
    assert order == sorted(order)
    assert form.count(reverse("account_reset_password")) == 1


def test_remember_me_is_ticked_until_someone_unticks_it(client):
    verified_member(email="ana@example.org")
    page = client.get(reverse("account_login")).content.decode()
    assert inputs(page, name="remember", type="checkbox")[0].endswith(" checked>")
    assert "Remember me" in page
    refused = log_in(client, password="wrong").content.decode()  # unticked
    assert " checked" not in inputs(refused, name="remember")[0]


def test_remembered_login_outlives_the_browser_session(client):
    verified_member(email="ana@example.org")
    assert log_in(client, remember="on").status_code == 302
    assert not client.session.get_expire_at_browser_close()
    client.logout()
    log_in(client)
    assert client.session.get_expire_at_browser_close()


def test_sign_up_asks_for_the_password_once(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert len(inputs(html, type="password")) == 1
    assert "Password (again)" not in html
    assert sign_up(client).status_code == 302
    assert EmailAddress.objects.filter(email="ana@example.org").exists()


def test_password_fields_carry_a_show_password_button_for_scripts(client):
    for name in ("account_login", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        # Inert without JavaScript: in a <template>, made a button by password.js.
        assert re.search(
            r'<template class="show-password"><button type="button" [^>]*'
            r'aria-controls="id_password1?" aria-pressed="false">Show password',
            html,
        )
        assert "/static/js/password.js" in html


def test_a_refused_sign_up_keeps_everything_typed_but_the_password(client):
    html = sign_up(client, password1="123").content.decode()
    assert inputs(html, name="email", value="ana@example.org")
    assert inputs(html, name="display_name", value="Ana")
    assert inputs(html, name="password1")
    assert not inputs(html, name="password1", value="123")


def test_a_refused_login_keeps_the_email_but_not_the_password(client):
    verified_member(email="ana@example.org")
    html = log_in(client, password="not my password").content.decode()
    assert "The email address and/or password you specified are not correct." in html
    assert inputs(html, name="login", value="ana@example.org")
    assert not inputs(html, name="password", value="not my password")


def test_a_refused_reset_request_keeps_the_email_typed(client):
    response = client.post(reverse("account_reset_password"), {"email": "ana@ex"})
    assert inputs(response.content.decode(), name="email", value="ana@ex")


def test_opening_the_emailed_link_confirms_and_logs_in(client, outbox):
    sign_up(client)
    response = client.get(link_in(outbox[0].body))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ana@example.org").verified
    assert client.session["_auth_user_id"]


def test_a_link_opened_elsewhere_confirms_but_logs_nobody_in(client, outbox):
    sign_up(client)
    elsewhere = Client()  # a mail scanner, or another device
    elsewhere.get(link_in(outbox[0].body))
    assert EmailAddress.objects.get(email="ana@example.org").verified
    assert "_auth_user_id" not in elsewhere.session


def test_a_used_or_wrong_link_says_so(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True)
    html = client.get(reverse("account_confirm_email", args=["nonsense"]))
    assert html.status_code == 200
    assert "<h1>This link no longer works</h1>" in html.content.decode()
    assert f'href="{reverse("account_login")}">Log in</a>' in html.content.decode()
    assert not EmailAddress.objects.get(user=user).verified


def test_account_settings_name_the_login_details_plainly(client):
    client.force_login(verified_member())
    html = client.get(reverse("accounts:settings")).content.decode()
    assert "<h2>Email and password</h2>" in html
    assert "Sign-in" not in html


def test_logging_in_by_a_code_read_from_the_mail_file(client, settings):
    from tests.conftest import read_mail

    ana = UserFactory(email="ana@example.org")
    EmailAddress.objects.create(user=ana, email=ana.email, verified=True, primary=True)
    login_page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in login_page
    response = client.post(
        reverse("account_request_login_code"), {"email": "ana@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    mail = read_mail(settings)[-1]
    code = re.search(r"\n\n([A-Z0-9-]{6,9})\n\n", mail).group(1)
    page = client.get(reverse("account_confirm_login_code")).content.decode()
    assert "Type your code" in page and "15 minutes" in page
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ana.pk)


def test_a_code_for_an_unknown_address_reveals_nothing(client, settings):
    from tests.conftest import read_mail

    response = client.post(
        reverse("account_request_login_code"), {"email": "nobody@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    assert "_auth_user_id" not in client.session
    assert all("Your code to log in" not in mail for mail in read_mail(settings))
