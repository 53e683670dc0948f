"""Error pages speak plainly, and a refused form gives back what was typed."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_helpful_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'class="skip-link"' in html
    assert reverse("articles:archive") in html


def test_the_500_page_needs_neither_request_nor_database():
    html = render_to_string("500.html")
    assert "Something went wrong" in html and '<html lang="' in html


def test_a_form_refused_by_the_csrf_check_gives_back_what_was_typed():
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    text = "Three paragraphs typed slowly over an hour.\n\n<b>not markup</b>"
    response = client.post(
        reverse("comments:post", args=[article.discussion_id]),
        {
            "body": text,
            "name": "Rosa",
            "email": "rosa@example.org",
            "password": "never shown",
            "token": "a-token",
        },
        HTTP_REFERER="http://testserver" + article.get_absolute_url(),
        # A guest's form is checked by where the browser says it came from.
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form was not sent" in html and "Nothing was saved" in html
    assert "Three paragraphs typed slowly over an hour." in html
    assert "&lt;b&gt;not markup&lt;/b&gt;" in html and "<b>not markup" not in html
    assert "rosa@example.org" in html
    assert "never shown" not in html and "a-token" not in html
    assert f'href="http://testserver{article.get_absolute_url()}"' in html
    assert not article.discussion.comments.exists()


def test_the_csrf_page_never_links_to_another_site():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"), {}, HTTP_REFERER="https://evil.example/"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
