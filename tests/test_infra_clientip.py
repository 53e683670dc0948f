"""config.clientip: the client's address, and what a forged header cannot do."""

import pytest
from django.test import RequestFactory

from config.clientip import client_ip


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.fixture
def proxies(settings):
    def set_count(count):
        settings.KINDRED = {**settings.KINDRED, "TRUSTED_PROXIES": count}

    return set_count


def test_without_proxies_a_forged_forwarded_for_is_ignored(proxies):
    proxies(0)
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_one_proxy_takes_the_entry_it_appended(proxies):
    proxies(1)
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_two_proxies_take_the_second_entry_from_the_right(proxies):
    proxies(2)
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.7, 10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_too_few_entries_fall_back_to_the_socket_address(proxies):
    proxies(2)
    assert client_ip(request_from("10.0.0.2", "203.0.113.7")) == "10.0.0.2"


def test_a_missing_header_behind_a_proxy_falls_back_to_the_socket_address(proxies):
    proxies(1)
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_an_entry_that_is_no_address_falls_back_to_the_socket_address(proxies):
    proxies(1)
    assert client_ip(request_from("10.0.0.2", "<script>")) == "10.0.0.2"


def test_ipv6_addresses_are_kept(proxies):
    proxies(1)
    assert client_ip(request_from("::1", "2001:db8::7")) == "2001:db8::7"
