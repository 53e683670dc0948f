"""The comment forms carry Django's CSRF token, as a browser needs them to."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationSettings
from tests.comments.make import comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


def post_through_page(browser, url):
    """Fill in the form found on the page at `url` and send it, as a browser does."""
    html = browser.get(url).content.decode()
    form = html[html.index('<form class="comment-form"') :]
    return browser.post(
        re.search(r'action="([^"]+)"', form).group(1),
        {
            "csrfmiddlewaretoken": TOKEN.search(form).group(1),
            "token": TOKEN_FIELD.search(form).group(1),
            "body": "Sent from the form on the page.",
            "name": "Rosa",
            "email": "rosa@example.org",
        },
    )


def test_the_leave_a_comment_form_passes_the_csrf_check():
    browser = Client(enforce_csrf_checks=True)
    article = ArticleFactory()
    response = post_through_page(browser, article.get_absolute_url())
    assert response.status_code == 302
    assert Comment.objects.get().guest_name == "Rosa"


def test_the_reply_page_form_passes_the_csrf_check():
    browser = Client(enforce_csrf_checks=True)
    parent = comment(ArticleFactory().discussion, guest_name="Fran")
    response = post_through_page(browser, reverse("comments:reply", args=[parent.pk]))
    assert response.status_code == 302
    assert Comment.objects.get(guest_name="Rosa").parent == parent
