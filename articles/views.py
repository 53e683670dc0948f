import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles import extras
from articles.models import Article, Section, Tag
from articles.search import SearchError, clean_query, results, search_site
from comments.views.reading import discussion_context, render_with_thread
from config.public_cache import public_page

LATEST_ON_HOME = 9  # the first three beside the lead story, the rest below
PER_SECTION_ON_HOME = 3


def _page(request, queryset):
    per_page = settings.KINDRED["ARTICLES_PER_PAGE"]
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@public_page
def home(request):
    articles = Article.objects.published().for_listing()
    lead = articles.filter(is_lead=True).first() or articles.first()
    latest = list(articles.exclude(pk=getattr(lead, "pk", None))[:LATEST_ON_HOME])
    shown = [article.pk for article in latest] + [getattr(lead, "pk", None)]
    # The newest few of every section not shown above, in one query, whatever the
    # number of sections.
    by_section = (
        articles.exclude(pk__in=shown)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("section"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=PER_SECTION_ON_HOME)
    )
    sections = {}
    for article in by_section.order_by("section__position", "section__name", "rank"):
        sections.setdefault(article.section, []).append(article)
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "latest": latest,
            "sections": sections.items(),
        },
    )


@public_page
def archive(request):
    articles = Article.objects.published().for_listing()
    return render(
        request, "articles/archive.html", {"page_obj": _page(request, articles)}
    )


@public_page
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = Article.objects.published().for_listing().filter(section=section)
    return render(
        request,
        "articles/section.html",
        {"section": section, "page_obj": _page(request, articles)},
    )


@public_page
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().for_listing().filter(tags=tag)
    return render(
        request, "articles/tag.html", {"tag": tag, "page_obj": _page(request, articles)}
    )


@public_page
def detail(request, slug):
    article = get_object_or_404(
        Article.objects.visible_to(request.user)
        .select_related("section", "discussion", *extras.related_names())
        .with_byline(),
        slug=slug,
    )
    context = {
        "article": article,
        "below_article": extras.below(article),
        "aside_parts": extras.aside(),
        "structured_data": _json_ld(request, article),
        **discussion_context(request, article.discussion),
    }
    return render_with_thread(request, "articles/detail.html", context)


def _json_ld(request, article):
    """schema.org NewsArticle, escaped for a <script> block like json_script does."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat()
        if article.published_at
        else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author["name"],
                "url": request.build_absolute_uri(
                    reverse("accounts:member", args=[author["id"]])
                ),
            }
            for author in article.byline
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "articleSection": article.section.name,
        "keywords": [tag["name"] for tag in article.tag_list],
    }
    if article.image:
        data["image"] = request.build_absolute_uri(article.image.url)
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


@public_page
def search(request):
    raw = request.GET.get("q", "")
    context = {"search_query": raw[: settings.KINDRED["SEARCH_MAX_LENGTH"]]}
    if "q" in request.GET:
        try:
            query = clean_query(raw)
        except SearchError as error:
            context["error"] = error.message
        else:
            context["search_query"] = query
            page = _page(request, search_site(query))
            page.object_list = results(page.object_list, query)
            context["page_obj"] = page
    return render(request, "articles/search.html", context)
