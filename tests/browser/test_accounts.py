"""A newcomer signs up, confirms the email from var/mail, logs out and in again."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, read_mail
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "slow typing is fine here"
# "Password" and not "Password (again)"; a required mark may follow it.
PASSWORD_LABEL = re.compile(r"^Password\W*$")


def test_newcomer_signs_up_confirms_and_logs_in(page, live_server, settings):
    ArticleFactory(title="Blood marker tracks ALS progression")
    page.goto(live_server.url)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sign Up"))
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Display name").fill("Ana")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify"))

    mail = read_mail(settings)[-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")


def test_a_mistake_in_sign_up_is_shown_next_to_the_field(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Display name").fill("Ana")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill("something else")
    page.get_by_role("button", name="Sign Up").click()
    again = page.get_by_label("Password (again)")
    expect(again).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_password2_error")).to_contain_text("same password")
    expect(page.get_by_label("Email")).to_have_value("ana@example.org")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_have_no_accessibility_violations(page, live_server, path):
    page.goto(live_server.url + path)
    assert_accessible(page)
