"""Where requests read: the replica for anonymous readers, the primary for the
rest (config/replica.py). The "replica" here is a second alias of the test
database; tests/test_stack.py reads from a real streaming replica."""

from unittest import mock

import pytest
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from config import replica
from tests.factories import ArticleFactory


@pytest.fixture
def second_alias():
    """A "replica" alias on the test database, found by the router like a real
    one; the lag check then reads 0 (the server is not in recovery)."""
    connections.settings[replica.ALIAS] = {**connections["default"].settings_dict}
    replica.forget()
    yield connections[replica.ALIAS]
    connections[replica.ALIAS].close()
    del connections[replica.ALIAS]
    del connections.settings[replica.ALIAS]
    replica.forget()


@pytest.fixture
def replica_db(transactional_db, second_alias):
    """A second connection sees only committed data: a transactional test.
    Django's test case refuses to open a connection to an alias it was not told
    of, so it is opened here, as the replica's pool would."""
    second_alias.connect()
    return second_alias


@pytest.fixture
def replica_in_sync(second_alias):
    """For the routing decisions alone: the replica answers, 0 s behind."""
    with mock.patch("config.replica.lag", return_value=0.0):
        yield


def read_alias_during(request):
    """The alias a model read would use inside the middleware, for this request."""
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Article)
        return HttpResponse("ok")

    response = replica.ReplicaMiddleware(view)(request)
    return seen["read"], response


@pytest.mark.usefixtures("replica_in_sync")
def test_an_anonymous_get_reads_from_the_replica():
    alias, _ = read_alias_during(RequestFactory().get("/"))
    assert alias == "replica"
    # Outside a request (workers, commands): the primary.
    assert router.db_for_read(Article) == "default"


@pytest.mark.usefixtures("replica_in_sync")
def test_a_browser_with_a_session_reads_from_the_primary(settings):
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    alias, _ = read_alias_during(request)
    assert alias == "default"


@pytest.mark.usefixtures("replica_in_sync")
def test_a_form_pins_the_browser_to_the_primary_for_a_while(settings):
    alias, response = read_alias_during(RequestFactory().post("/", {"body": "hi"}))
    assert alias == "default"
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == settings.KINDRED["REPLICA"]["PIN_SECONDS"] == 30
    assert cookie["httponly"]
    follow = RequestFactory().get("/")
    follow.COOKIES[replica.PIN_COOKIE] = "1"
    alias, response = read_alias_during(follow)
    assert alias == "default"
    assert replica.PIN_COOKIE not in response.cookies


@pytest.mark.usefixtures("replica_in_sync")
def test_a_request_that_wrote_reads_its_write_from_the_primary():
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article))
        router.db_for_write(Article)
        seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    replica.ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert seen == ["replica", "default"]


@pytest.mark.usefixtures("replica_in_sync")
@pytest.mark.parametrize("lag", [None, 5.1, 60.0])
def test_a_replica_down_or_behind_is_not_read_from(lag):
    with mock.patch("config.replica.lag", return_value=lag):
        alias, _ = read_alias_during(RequestFactory().get("/"))
    assert alias == "default"


@pytest.mark.usefixtures("replica_in_sync")
def test_a_replica_just_behind_is_read_from():
    with mock.patch("config.replica.lag", return_value=4.9):
        alias, _ = read_alias_during(RequestFactory().get("/"))
    assert alias == "replica"


def test_without_a_replica_everything_reads_from_the_primary():
    alias, _ = read_alias_during(RequestFactory().get("/"))
    assert alias == "default"
    assert replica.describe() == "none configured"


def test_the_lag_is_asked_once_per_interval_and_a_dead_replica_is_noticed(
    replica_db,
):
    with CaptureQueriesContext(replica_db) as asked:
        assert replica.lag() == 0.0
        assert replica.lag() == 0.0
    assert len(asked) == 1
    assert replica.describe() == "ok, 0.0 s behind"
    replica.forget()
    with mock.patch.object(
        replica_db, "cursor", side_effect=Exception("connection refused")
    ):
        assert replica.lag() is None
    assert replica.describe() == "down, reading from the primary"


def test_an_anonymous_article_page_is_read_from_the_replica(client, replica_db):
    article = ArticleFactory()
    with (
        CaptureQueriesContext(replica_db) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert any("articles_article" in q["sql"] for q in on_replica)
    assert not any("articles_article" in q["sql"] for q in on_primary)


def test_a_member_reads_the_article_page_from_the_primary(client, replica_db):
    from tests.factories import UserFactory

    article = ArticleFactory()
    client.force_login(UserFactory())
    with CaptureQueriesContext(replica_db) as on_replica:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert not on_replica
