"""The registry of pages that own discussions, and the one scope built from it."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article
from articles.owners import ArticleOwner
from comments.models import Comment, Discussion
from comments.owners import Owner, Registry, registry
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def reader(user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = {}
    return request


def editor():
    person = UserFactory(is_staff=True)
    person.groups.add(Group.objects.get(name="Editors"))
    return person


@pytest.fixture
def pages():
    now = timezone.now()
    return {
        "draft": ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        "scheduled": ArticleFactory(published_at=now + timezone.timedelta(hours=2)),
        "published": ArticleFactory(published_at=now - timezone.timedelta(hours=2)),
    }


def test_articles_join_the_registry_when_the_app_is_ready():
    assert "article" in registry.related_names()
    with pytest.raises(ValueError, match="already owns discussions"):
        registry.register(Article, ArticleOwner)


def test_a_discussion_knows_its_page_and_whether_it_may_be_written_to(pages):
    for kind, article in pages.items():
        discussion = Discussion.objects.get(pk=article.discussion_id)
        assert discussion.owner == article
        assert discussion.may_write(AnonymousUser()) == (kind == "published")
    with pytest.raises(LookupError):
        Discussion.objects.create().owner  # noqa: B018


@pytest.mark.parametrize("who", ["anonymous", "member", "editor"])
def test_one_query_finds_the_comments_a_reader_may_see(
    pages, who, django_assert_num_queries
):
    for article in pages.values():
        for n in range(5):
            comment(article.discussion, body=f"{article.title} {n}")
    comment(Discussion.objects.create(), body="On no page at all")
    user = {"anonymous": None, "member": UserFactory(), "editor": editor()}[who]
    request = reader(user)
    request.user.has_perm("articles.change_article")  # read once per request
    with django_assert_num_queries(1):
        seen = {
            c.discussion.owner.pk
            for c in Comment.objects.visible_to(request).with_owners()
        }
    kinds = ["draft", "scheduled", "published"] if who == "editor" else ["published"]
    assert seen == {pages[kind].pk for kind in kinds}
    with django_assert_num_queries(1):
        discussions = set(
            Discussion.objects.visible_to(request).values_list("pk", flat=True)
        )
    assert discussions == {pages[kind].discussion_id for kind in kinds}


def test_another_kind_of_page_joins_without_changing_the_engine(pages):
    class OpenToAll(Owner):
        related_name = "article"

        def visible_to(self, user):
            return Article.objects.all()

        def may_write(self, page, user):
            return True

    forums = Registry()
    assert Discussion.objects.filter(forums.visible(AnonymousUser())).count() == 0
    forums.register(Article, OpenToAll)
    visible = Discussion.objects.filter(forums.visible(AnonymousUser()))
    assert visible.count() == 3
    draft = Discussion.objects.get(pk=pages["draft"].discussion_id)
    assert forums.may_write(draft, AnonymousUser())
