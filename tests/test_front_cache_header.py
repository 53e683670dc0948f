import gzip
from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.front_cache import FrontCacheMiddleware


def answer(cache_control=None, cookie=None):
    def view(request):
        response = HttpResponse("page")
        if cache_control:
            response["Cache-Control"] = cache_control
        if cookie:
            response.set_cookie(cookie, "value")
        return response

    return FrontCacheMiddleware(view)


def test_a_public_page_is_fresh_in_nginx_until_its_second_ends():
    with mock.patch("time.time", return_value=1_800_000_000.9):
        response = answer("public, max-age=1")(RequestFactory().get("/"))
    assert response["X-Accel-Expires"] == "@1800000000"


def test_private_pages_and_pages_that_set_a_cookie_carry_no_freshness():
    request = RequestFactory().get("/")
    for middleware in (
        answer(),
        answer("private, no-store"),
        answer("max-age=0, no-cache, no-store, must-revalidate, private"),
        answer("public, max-age=1", cookie="csrftoken"),
    ):
        assert "X-Accel-Expires" not in middleware(request)


@pytest.mark.django_db
def test_a_page_is_compressed_once_by_the_app_when_the_browser_accepts_it(client):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert b"</html>" in gzip.decompress(packed.content)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]


@pytest.mark.django_db
def test_a_compressed_public_page_is_fresh_to_the_second_and_answers_304(client):
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Cache-Control"] == "public, max-age=1"
    assert packed["X-Accel-Expires"].startswith("@")
    again = client.get(
        "/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]
    )
    assert again.status_code == 304


@pytest.mark.django_db
def test_a_members_page_carries_no_freshness_for_nginx(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(email="m@example.com"))
    assert "X-Accel-Expires" not in client.get("/")
