import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Follow
from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def follow(client, article, value):
    url = reverse("accounts:follow", args=[article.discussion_id])
    return client.post(url, {"follow": value})


def test_a_member_follows_and_unfollows_a_discussion(client):
    ana, article = UserFactory(), ArticleFactory()
    client.force_login(ana)
    response = follow(client, article, "1")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    follow(client, article, "1")  # twice is still once
    assert list(Follow.objects.values_list("member", "discussion")) == [
        (ana.pk, article.discussion_id)
    ]
    follow(client, article, "0")
    assert not Follow.objects.exists()


def test_a_discussion_the_member_cannot_see_cannot_be_followed(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(UserFactory())
    assert follow(client, draft, "1").status_code == 404
    assert not Follow.objects.exists()


def test_following_needs_a_login_and_a_post(client):
    article = ArticleFactory()
    assert follow(client, article, "1").status_code == 302
    assert not Follow.objects.exists()
    client.force_login(UserFactory())
    url = reverse("accounts:follow", args=[article.discussion_id])
    assert client.get(url).status_code == 405


def render_button(user, discussion):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load members %}{% follow_button discussion %}")
    return template.render(Context({"request": request, "discussion": discussion}))


def test_the_button_says_the_state_in_words(django_assert_num_queries):
    ana, article = UserFactory(), ArticleFactory()
    with django_assert_num_queries(1):
        html = render_button(ana, article.discussion)
    assert "Follow this discussion" in html and "You follow" not in html
    Follow.objects.create(member=ana, discussion=article.discussion)
    html = render_button(ana, article.discussion)
    assert "You follow this discussion" in html and "Unfollow this discussion" in html
