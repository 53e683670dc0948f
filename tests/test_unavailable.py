"""The primary database down: 503 with Retry-After, never a 500, and a form's
text given back (config/unavailable.py)."""

from unittest import mock

from django.db import connections
from django.db.utils import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse


def database_down():
    return mock.patch.object(
        connections["default"],
        "cursor",
        side_effect=OperationalError("the database system is shutting down"),
    )


def test_a_comment_sent_while_the_database_is_down_is_given_back(client):
    with database_down():
        response = client.post(
            reverse("comments:post", args=[1]),
            {"body": "Three weeks on the new dose & no change yet."},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Your form was not saved" in html
    assert "Three weeks on the new dose &amp; no change yet." in html
    assert '<label for="typed-body">Your comment</label>' in html


def test_a_page_read_while_the_database_is_down_is_a_503(client):
    with database_down():
        response = client.get(reverse("articles:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "This page cannot be shown right now" in response.content.decode()


def test_the_503_page_needs_neither_request_nor_database():
    html = render_to_string("503.html", {"retry_after": 30})
    assert "<h1>The site is busy for a moment</h1>" in html
