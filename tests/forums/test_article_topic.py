"""Articles and forums meet: an editor starts an article's forum topic from its
admin page; the article shows it above its comments and the topic links back."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from forums.models import Topic
from tests.articles.test_views import forget_cached_pages
from tests.factories import ArticleFactory
from tests.forums import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published():
    make.publish_first_posts()


@pytest.fixture
def editor():
    return make.in_group("Editors")


def discuss_url(article):
    return reverse("forums:discuss_article", args=[article.pk])


def start(client, article, room, **fields):
    form = client.get(discuss_url(article)).context["form"]
    data = {
        "category": room.pk,
        "title": "Talking about the tofersen results",
        "body": "What do you make of it?",
        "token": form["token"].value(),
        "post": "",
        **fields,
    }
    return client.post(discuss_url(article), data)


def test_an_editor_starts_the_topic_and_both_pages_link(client, editor):
    article = ArticleFactory(title="Tofersen results", summary="Two-year data.")
    room = make.category(name="Research and trials")
    client.force_login(editor)
    form = client.get(discuss_url(article))
    assert form.status_code == 200
    assert form.context["form"]["title"].value() == "Tofersen results"
    assert "Research and trials" in form.content.decode()

    response = start(client, article, room)
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    assert topic.article == article and topic.category == room
    assert topic.author == editor and topic.is_listed

    forget_cached_pages()
    html = client.get(article.get_absolute_url()).content.decode()
    title = "Talking about the tofersen results"
    link = f'<a href="{topic.get_absolute_url()}">{title}</a>'
    assert "Discuss this in the forums" in html and link in html
    assert html.index(link) < html.index('id="comments"')
    topic_html = client.get(topic.get_absolute_url()).content.decode()
    assert "This topic discusses the article" in topic_html
    assert f'href="{article.get_absolute_url()}">Tofersen results</a>' in topic_html


def test_the_link_shows_for_readers_until_the_topic_is_removed(client, editor):
    article = ArticleFactory()
    topic = make.topic(author=editor, title="Readers talk")
    Topic.objects.filter(pk=topic.pk).update(article=article)
    forget_cached_pages()
    assert "Readers talk" in client.get(article.get_absolute_url()).content.decode()
    topic.remove(by=make.in_group("Moderators"), reason="Off-topic")
    forget_cached_pages()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Readers talk" not in html and "Discuss this in the forums" not in html


def test_the_link_costs_the_article_page_no_query(client, editor):
    def count(article):
        forget_cached_pages()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    plain, linked = ArticleFactory(), ArticleFactory()
    topic = make.topic(author=editor)
    Topic.objects.filter(pk=topic.pk).update(article=linked)
    assert count(linked) == count(plain)


def test_an_article_gets_one_topic(client, editor):
    article = ArticleFactory()
    room = make.category()
    client.force_login(editor)
    start(client, article, room)
    again = client.get(discuss_url(article))
    assert "This article already links to its forum topic" in again.content.decode()
    assert "form" not in again.context
    assert Topic.objects.count() == 1


def test_a_second_topic_for_the_same_article_is_refused(client, editor):
    article = ArticleFactory()
    room = make.category()
    client.force_login(editor)
    form = client.get(discuss_url(article)).context["form"]
    start(client, article, room)
    response = client.post(
        discuss_url(article),
        {
            "category": room.pk,
            "title": "Another topic on it",
            "body": "Again",
            "token": form["token"].value(),
        },
    )
    assert response.status_code == 200
    assert "already links to its forum topic" in response.content.decode()
    assert Topic.objects.count() == 1


def test_editors_are_not_held_to_the_members_topic_rate(client, editor):
    room = make.category()
    client.force_login(editor)
    articles = [ArticleFactory() for _ in range(3)]
    moment = timezone.now()
    for n, article in enumerate(articles):
        # a minute apart: past the comments' pace, within the topic rate
        with mock.patch("django.utils.timezone.now", return_value=moment):
            response = start(client, article, room, title=f"Article talk {n}")
        assert response.status_code == 302
        moment += timezone.timedelta(minutes=1)
    assert Topic.objects.filter(article__isnull=False).count() == 3


def test_bad_input_is_explained_and_kept(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = start(client, article, make.category(), title="Hi", body="My words")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The title needs at least 5 characters." in html
    assert "My words" in html
    assert not Topic.objects.exists()


def test_drafts_cannot_have_a_topic_yet(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(discuss_url(article))
    assert response.status_code == 403
    assert "publish it first" in response.content.decode()


def test_only_editors_may_start_an_article_topic(client):
    article = ArticleFactory()
    url = discuss_url(article)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(make.verified())
    assert client.get(url).status_code == 404
    client.force_login(make.in_group("Moderators"))
    assert client.post(url, {"title": "Something here"}).status_code == 404
    assert not Topic.objects.exists()


def test_the_articles_admin_page_offers_the_link(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    html = client.get(change).content.decode()
    assert f'href="{discuss_url(article)}">Discuss this in the forums</a>' in html
    start(client, article, make.category())
    html = client.get(change).content.decode()
    topic = Topic.objects.get()
    assert f'href="{topic.get_absolute_url()}">Forum topic: ' in html
