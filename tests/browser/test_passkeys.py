"""A member adds a passkey and logs in with it, in Chromium with a virtual
authenticator (DevTools Protocol WebAuthn domain); removes it; the passkey pages
pass axe-core with 44 px targets."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.forums.make import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"  # tests/factories.py


def virtual_authenticator(page):
    """A platform authenticator that holds passkeys and verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def log_in_with_password(page, base, email):
    page.goto(base + reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("navigation", name="Your account")).to_be_visible()


def log_out(page, name):
    page.get_by_role("navigation", name="Your account").get_by_text(
        name, exact=True
    ).click()  # the menu under the member's name
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def check(page):
    assert_accessible(page)
    assert small_targets(page, within="main", skip=NOT_TARGETS) == []


def test_a_member_adds_a_passkey_logs_in_with_it_and_removes_it(
    page, live_server, settings
):
    # WebAuthn takes a domain, never an IP address, as the site's identity.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    base = live_server.url.replace("127.0.0.1", "localhost")
    ana = verified(email="ana@example.org", display_name="Ana")
    virtual_authenticator(page)
    log_in_with_password(page, base, ana.email)

    page.goto(base + reverse("accounts:settings"))
    page.get_by_role("link", name="Passkeys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkeys")
    expect(page.get_by_text("You have no passkey yet.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Add a passkey").click()
    # allauth asks for the password again before any change to how one logs in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    check(page)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    check(page)
    page.get_by_label("Name").fill("My laptop")
    page.get_by_role("button", name="Add this passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkeys")
    expect(page.locator(".passkey-list strong")).to_have_text("My laptop")
    check(page)
    key = Authenticator.objects.get(user=ana, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless is True

    log_out(page, "Ana")
    page.goto(base + reverse("account_login"))
    check(page)
    page.get_by_role("button", name="Log in with a passkey").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")

    # With a passkey, the password alone is no longer enough.
    log_out(page, "Ana")
    page.goto(base + reverse("account_login"))
    page.get_by_label("Email").fill(ana.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirm with your passkey"
    )
    check(page)
    page.get_by_role("button", name="Use my passkey").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")

    page.goto(base + reverse("mfa_list_webauthn"))
    page.get_by_role("link", name="Remove My laptop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_role("link", name="Use my passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    check(page)
    page.get_by_role("button", name="Use my passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this passkey?")
    check(page)
    page.get_by_role("button", name="Remove passkey").click()
    expect(page.get_by_text("You have no passkey yet.")).to_be_visible()
    assert not Authenticator.objects.filter(user=ana).exists()


def test_without_javascript_no_passkey_button_does_nothing(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("account_login"))
    expect(page.get_by_role("button", name="Log in with a passkey")).to_be_hidden()
    expect(page.get_by_role("link", name="Email me a code to log in")).to_be_visible()
    context.close()
