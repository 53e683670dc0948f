"""Forms and forgery: a guest's form is on pages every reader shares, so it carries
no token and sets no cookie; the browser says where it was sent from instead
(config.guest_csrf). Members' forms carry Django's CSRF token."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationSettings
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
TYPED = {
    "body": "Sent from the form on the page.",
    "name": "Rosa",
    "email": "rosa@example.org",
}


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def form_on(html):
    """The comment form's opening tag and fields, and where it is sent."""
    form = html[html.index('<form class="comment-form"') :]
    form = form[: form.index("</form>")]
    return form, re.search(r'action="([^"]+)"', form).group(1)


def post_through_page(browser, url, headers=SAME_ORIGIN, **typed):
    """Fill in the form found on the page at `url` and send it, as a browser does."""
    form, action = form_on(browser.get(url).content.decode())
    data = {**TYPED, **typed}
    for hidden in re.finditer(r'type="hidden" name="([^"]+)" value="([^"]+)"', form):
        data[hidden.group(1)] = hidden.group(2)
    return browser.post(action, data, headers=headers)


def test_a_guests_form_carries_no_token_and_the_page_sets_no_cookie(browser):
    response = browser.get(ArticleFactory().get_absolute_url())
    form, _action = form_on(response.content.decode())
    assert "csrfmiddlewaretoken" not in form and 'name="token"' not in form
    assert not response.cookies


def test_the_leave_a_comment_form_posts_from_the_same_origin(browser):
    response = post_through_page(browser, ArticleFactory().get_absolute_url())
    assert response.status_code == 302
    assert Comment.objects.get().guest_name == "Rosa"


def test_the_reply_page_form_posts_from_the_same_origin(browser):
    parent = comment(ArticleFactory().discussion, guest_name="Fran")
    response = post_through_page(browser, reverse("comments:reply", args=[parent.pk]))
    assert response.status_code == 302
    assert Comment.objects.get(guest_name="Rosa").parent == parent


def test_an_origin_header_naming_this_site_is_enough(browser):
    response = post_through_page(
        browser,
        ArticleFactory().get_absolute_url(),
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
    ],
)
def test_a_form_sent_from_another_site_is_refused_with_the_text_kept(browser, headers):
    response = post_through_page(
        browser, ArticleFactory().get_absolute_url(), headers=headers
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form was not sent" in html
    assert "Sent from the form on the page.</textarea>" in html
    assert not Comment.objects.exists()


def test_without_either_header_the_form_comes_back_with_a_token(browser):
    article = ArticleFactory()
    response = post_through_page(browser, article.get_absolute_url(), headers={})
    assert response.status_code == 403
    assert not Comment.objects.exists()
    html = response.content.decode()
    assert "Your browser did not say which page this form came from" in html
    assert "Sent from the form on the page.</textarea>" in html
    assert settings.CSRF_COOKIE_NAME in response.cookies
    # Sent again from that form, with its token and the cookie: posted.
    form, action = form_on(html)
    again = browser.post(
        action, {**TYPED, "csrfmiddlewaretoken": TOKEN.search(form).group(1)}
    )
    assert again.status_code == 302
    assert Comment.objects.get().body == TYPED["body"]


def test_without_either_header_a_wrong_token_is_not_enough(browser):
    article = ArticleFactory()
    url = reverse("comments:post", args=[article.discussion_id])
    response = browser.post(url, {**TYPED, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_guest_form_sent_twice_stores_one_comment(browser):
    article = ArticleFactory()
    first = post_through_page(browser, article.get_absolute_url())
    second = post_through_page(browser, article.get_absolute_url())
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_a_members_form_needs_djangos_token_even_from_the_same_origin(browser):
    article = ArticleFactory()
    browser.force_login(UserFactory())
    url = reverse("comments:post", args=[article.discussion_id])
    refused = browser.post(url, {"body": "No token"}, headers=SAME_ORIGIN)
    assert refused.status_code == 403
    assert not Comment.objects.exists()
    form, _action = form_on(browser.get(article.get_absolute_url()).content.decode())
    assert 'name="token"' in form
    posted = post_through_page(browser, article.get_absolute_url())
    assert posted.status_code == 302
    assert Comment.objects.get().body == TYPED["body"]
