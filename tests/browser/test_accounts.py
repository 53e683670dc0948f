"""A newcomer signs up, confirms the email from var/mail, logs out and in again;
the account pages by keyboard, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import NOT_TARGETS, assert_accessible, read_mail, small_targets
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "slow typing is fine here"
# The focused field's name, or a button's or link's text.
FOCUSED = "(el => el.name || el.textContent.trim())(document.activeElement)"


def test_newcomer_signs_up_confirms_and_logs_in(page, live_server, settings):
    ArticleFactory(title="Blood marker tracks ALS progression")
    page.goto(live_server.url)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Display name").fill("Ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    mail = read_mail(settings)[-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail).group(0)
    page.goto(link)  # one click: no page asking to confirm again
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")

    page.get_by_text("Ana", exact=True).click()  # the menu under the name
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_label("Remember me")).to_be_checked()
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")


def test_a_member_logs_in_with_a_code_from_their_email(page, live_server, settings):
    from tests.forums.make import verified

    verified(email="ana@example.org", display_name="Ana")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Email me a code to log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in with a code")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Type your code")
    assert_accessible(page)
    assert small_targets(page, within="main", skip=NOT_TARGETS) == []
    mail = read_mail(settings)[-1]
    assert "Your code to log in" in mail and "ana@example.org" in mail
    code = re.search(r"\n\n([A-Z0-9-]{6,9})\n\n", mail).group(1)
    page.get_by_label("Code").fill("WRONG1")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator(".errorlist")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana")


def test_a_mistake_in_sign_up_is_shown_next_to_the_field(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Display name").fill("Ana")
    page.get_by_label("Password").fill("123")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_password1_error")).to_contain_text("too short")
    expect(page.get_by_label("Email")).to_have_value("ana@example.org")
    expect(page.get_by_label("Display name")).to_have_value("Ana")
    assert_accessible(page)


def test_show_password_works_by_keyboard(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    password = page.get_by_label("Password")
    password.fill(PASSWORD)
    page.keyboard.press("Tab")
    toggle = page.get_by_role("button", name="Show password")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Enter")
    expect(password).to_have_attribute("type", "text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(password).to_have_attribute("type", "password")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(password).to_have_value(PASSWORD)


def test_without_javascript_the_password_stays_hidden_and_nothing_is_dead(
    browser, live_server
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_label("Password")).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name="Show password")).to_have_count(0)
    context.close()


def test_log_in_tabs_from_password_to_remember_me_to_the_button(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").focus()
    stops = []
    for _ in range(5):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
    assert stops == [
        "password",
        "Show password",
        "remember",
        "Log in",
        "Forgot your password?",
    ]


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/accounts/login/", "Log in"),
        ("/accounts/signup/", "Sign up"),
        ("/accounts/login/code/", "Log in with a code"),
        ("/accounts/password/reset/", "Forgotten your password?"),
        ("/accounts/password/reset/key/1-used/", "This link no longer works"),
        ("/accounts/password/reset/key/done/", "Your password was changed"),
        ("/accounts/confirm-email/used/", "This link no longer works"),
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_account_pages_are_accessible_with_large_targets(
    page, live_server, path, heading, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    assert small_targets(page, within="main", skip=NOT_TARGETS) == []
