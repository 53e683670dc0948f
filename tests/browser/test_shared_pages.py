"""In a real browser: an anonymous reader's page sets no cookie and breaks no rule
of the Content-Security-Policy, and a guest still posts from it (README, "Pages
every reader can share")."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, ModerationSettings
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the policy blocks; added before any script of the page runs.
WATCH_POLICY = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.policyViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_a_guest_reads_without_cookies_and_posts_from_the_same_origin(
    page, live_server
):
    ModerationSettings.objects.create(hold_first_comments=False)
    article = ArticleFactory(title="Tofersen trial results")
    page.add_init_script(WATCH_POLICY)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    # The JSON-LD block is inline data: it needs no nonce and breaks no rule.
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.evaluate("window.policyViolations") == []
    assert page.context.cookies() == []

    page.get_by_role("textbox", name="Comment", exact=True).fill("Reading along.")
    page.get_by_role("textbox", name="Name", exact=True).fill("Rosa")
    page.get_by_role("textbox", name="Email", exact=True).fill("rosa@example.org")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.get_by_text("Reading along.")).to_be_visible()
    assert Comment.objects.get().guest_name == "Rosa"
    assert page.evaluate("window.policyViolations") == []


def test_the_login_page_runs_its_passkey_script_within_the_policy(page, live_server):
    page.add_init_script(WATCH_POLICY)
    page.goto(live_server.url + "/accounts/login/")
    # allauth's data-allauth-onload block wired the passkey button up.
    expect(page.get_by_role("button", name="Log in with a passkey")).to_be_visible()
    assert page.evaluate("window.policyViolations") == []
