from allauth.account.models import EmailAddress
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Mute
from articles.models import Article
from comments import drafting
from comments.markup import render_markup
from comments.models import Visit
from comments.models.discussion import MODERATE
from comments.owners import registry
from comments.views.reading import discussion_context, render_with_thread
from config.public_cache import public_page
from forums.forms import (
    TITLE_MAX,
    ArticleTopicForm,
    ModerateForm,
    TitleForm,
    TopicForm,
)
from forums.models import Category, CategoryFollow, Topic, cursor_of
from forums.services import start_topic

TOPICS_PER_PAGE = 30
LATEST_ON_INDEX = 5


def _topics_page(request, topics, count):
    """A page of topics; the count is kept as data, not counted per request."""
    paginator = Paginator(topics, TOPICS_PER_PAGE)
    paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    rows = None
    # Reached by its Next or Previous link, a page starts from the key of the
    # row before (after) it: a keyset page, the same cost at any depth. A page
    # number typed alone is found by counting through the index.
    if page.number == _number(request.GET.get("page")):
        for key, forward in (("after", True), ("before", False)):
            if cursor := request.GET.get(key):
                rows = topics.next_to(cursor, TOPICS_PER_PAGE, forward=forward)
                break
    if not rows:
        start = (page.number - 1) * TOPICS_PER_PAGE
        rows = topics.page(start, start + TOPICS_PER_PAGE, count)
    page.object_list = with_new_replies(request, rows)
    if page.object_list:
        fields = [name.removeprefix("-") for name in topics._order()]
        first, last = page.object_list[0], page.object_list[-1]
        if page.has_previous():
            page.previous_url = _page_link(
                request, page.number - 1, "before", cursor_of(first, fields)
            )
        if page.has_next():
            page.next_url = _page_link(
                request, page.number + 1, "after", cursor_of(last, fields)
            )
    return page


def _number(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _page_link(request, number, key, cursor):
    """?page=NUMBER&KEY=CURSOR, keeping the other parameters."""
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    query["page"] = number
    query[key] = cursor
    return "?" + query.urlencode()


def with_new_replies(request, topics):
    """The topics, each with `new_replies`: how many replies others posted since
    this member last read it (0 for a topic they never opened, and for guests),
    not counting members they muted. One query for the whole list, none for
    guests."""
    topics = list(topics)
    counts = {}
    if request.user.is_authenticated and topics:
        discussions = [topic.discussion_id for topic in topics]
        muted = Mute.objects.filter(muter=request.user).values("muted_id")
        counts = Visit.objects.new_counts(
            request.user, discussions, hidden_authors=muted
        )
    for topic in topics:
        topic.new_replies = counts.get(topic.discussion_id, 0)
    return topics


@public_page
def index(request):
    categories = list(Category.objects.for_index())
    groups = {}
    for category in categories:
        groups.setdefault(category.group, []).append(category)
    latest = Topic.objects.listed().order_by("-last_active", "-id")
    latest = with_new_replies(request, latest.page(0, LATEST_ON_INDEX))
    return render(
        request,
        "forums/index.html",
        {"groups": groups.items(), "latest": latest},
    )


def latest_for_articles(count=4):
    """The latest active topics, for the article page's sidebar (one query)."""
    return list(
        Topic.objects.listed()
        .select_related("category")
        .order_by("-last_active", "-id")[:count]
    )


@public_page
def latest(request):
    count = Category.objects.aggregate(total=Sum("topic_count"))["total"] or 0
    topics = Topic.objects.listed().order_by("-last_active", "-id")
    page_obj = _topics_page(request, topics, count)
    return render(request, "forums/latest.html", {"page_obj": page_obj})


@public_page
def category(request, slug):
    category = get_object_or_404(Category, slug=slug)
    topics = category.topics.listed()
    return render(
        request,
        "forums/category.html",
        {
            "category": category,
            "page_obj": _topics_page(request, topics, category.topic_count),
            "may_start": _start_refusal(request.user, category) is None,
            "following": request.user.is_authenticated
            and CategoryFollow.objects.filter(
                category=category, member=request.user
            ).exists(),
        },
    )


@require_POST
def follow_category(request, slug):
    """Follow (follow=1) or unfollow (follow=0) a category: its new topics
    reach the member through the notifications."""
    category = get_object_or_404(Category, slug=slug)
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?next={category.get_absolute_url()}"
        )
    if request.POST.get("follow") == "1":
        CategoryFollow.objects.get_or_create(member=request.user, category=category)
        messages.success(
            request,
            _("You now follow %(name)s: new topics there appear in your notifications.")
            % {"name": category.name},
        )
    else:
        CategoryFollow.objects.filter(member=request.user, category=category).delete()
        messages.success(
            request, _("You no longer follow %(name)s.") % {"name": category.name}
        )
    return redirect(category)


def _topic_or_404(request, pk):
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related(
            "category",
            "author",
            "opening_post",
            "article",
            *[f"discussion__{name}" for name in registry.related_names()],
        ),
        pk=pk,
    )
    # The discussion reaches its page without another query (comments.owners).
    topic.discussion.topic = topic
    return topic


@public_page
def topic(request, category_slug, pk, slug):
    topic = _topic_or_404(request, pk)
    if (category_slug, slug) != (topic.category.slug, topic.slug):
        return redirect(topic, permanent=True)
    moderator = request.user.has_perm(MODERATE)
    if topic.is_removed and not moderator:  # its author: why, and nothing else
        return render(request, "forums/removed.html", {"topic": topic})
    context = {
        "topic": topic,
        "is_moderator": moderator,
        "may_retitle": topic.title_editable_by(request.user),
        **discussion_context(request, topic.discussion),
    }
    if moderator:
        context["categories"] = Category.objects.exclude(pk=topic.category_id)
    return render_with_thread(request, "forums/topic.html", context)


def _start_refusal(user, category):
    """Why `user` may not start a topic in `category`, or None when they may."""
    if not user.is_authenticated:
        return _("Please log in to start a topic.")
    if category.is_archived:
        return _("This category is archived: it is kept for reading.")
    if not Category.objects.startable_by(user).filter(pk=category.pk).exists():
        return _("Only the site team starts topics in this category.")
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return _(
            "Please verify your email address before starting a topic: follow "
            "the link in the email we sent you, or ask for a new one in your "
            "account settings."
        )
    return None


@require_http_methods(["GET", "POST"])
def start(request, slug):
    category = get_object_or_404(Category, slug=slug)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    context = {"category": category}
    refusal = _start_refusal(request.user, category)
    if refusal:
        unsent = request.POST.get("body", "") if request.method == "POST" else ""
        return render(
            request,
            "forums/start.html",
            {**context, "refusal": refusal, "unsent": unsent},
            status=403,
        )
    where = drafting.Where(
        draft_place(category),
        reverse("forums:start", args=[category.slug]),
        _("New topic in %(category)s") % {"category": category.name},
    )
    drafted = drafting.answer(
        request,
        where,
        limits={"title": TITLE_MAX, "body": drafting.body_limit()},
    )
    if drafted:  # an autosave, or "Discard draft"
        return drafted
    draft = drafting.restored(request, where.place) if request.method == "GET" else None
    initial = {"title": draft.title, "body": draft.body} if draft else None
    form = TopicForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    context.update(form=form, draft=draft)
    if request.method == "GET" or not form.is_valid():
        return render(request, "forums/start.html", context)
    data = form.cleaned_data
    if "preview" in request.POST:
        drafting.keep(request, where, title=data["title"], body=data["body"])
        context["preview"] = render_markup(data["body"])
        return render(request, "forums/start.html", context)
    topic, verdict = start_topic(
        category=category,
        author=request.user,
        title=data["title"],
        body=data["body"],
        token=data["token"],
        ip_address=request.META.get("REMOTE_ADDR"),
        honeypot=data.get("homepage", ""),
    )
    if topic is None:
        drafting.keep(request, where, title=data["title"], body=data["body"])
        form.add_error(verdict.field or "body", verdict.message)
        return render(request, "forums/start.html", context, status=verdict.status_code)
    drafting.forget(request, where)
    if verdict.action == "hold":
        messages.info(
            request,
            _(
                "Thank you. Your topic is awaiting moderation: a moderator will "
                "read it soon, and then it will appear for everyone."
            ),
        )
    else:
        messages.success(request, _("Your topic was started."))
    return redirect(topic)


def draft_place(category):
    """The draft key of the new-topic form of a category (comments.Draft)."""
    return f"topic-in-{category.pk}"


@require_http_methods(["GET", "POST"])
def discuss_article(request, article_id):
    """An editor starts the topic where readers discuss an article ("Discuss
    this in the forums"), from the article's admin page: category, title and
    first post, judged like any topic; the article then links to it."""
    if not request.user.has_perm("articles.change_article"):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        raise Http404
    article = get_object_or_404(
        Article.objects.select_related("forum_topic__category"), pk=article_id
    )
    context = {"article": article}
    if _has_topic(article):
        context["existing"] = article.forum_topic
        return render(request, "forums/discuss_article.html", context)
    if not article.is_published:
        context["refusal"] = _(
            "This article is not published yet: publish it first, so that readers "
            "of the topic can follow its link to the article."
        )
        return render(request, "forums/discuss_article.html", context, status=403)
    initial = {"title": article.title[:150], "body": article.summary}
    form = ArticleTopicForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=request.user,
    )
    context["form"] = form
    if request.method == "GET" or not form.is_valid():
        return render(request, "forums/discuss_article.html", context)
    data = form.cleaned_data
    if "preview" in request.POST:
        context["preview"] = render_markup(data["body"])
        return render(request, "forums/discuss_article.html", context)
    with transaction.atomic():
        # One topic an article: a second editor sending the form at the same
        # moment waits here, then finds the first one's topic.
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        if Topic.objects.filter(article=article).exists():
            messages.info(request, _("This article already has a forum topic."))
            return redirect(Topic.objects.get(article=article))
        topic, verdict = start_topic(
            category=data["category"],
            author=request.user,
            title=data["title"],
            body=data["body"],
            token=data["token"],
            article=article,
            paced=False,
            ip_address=request.META.get("REMOTE_ADDR"),
            honeypot=data.get("homepage", ""),
        )
    if topic is None:
        form.add_error(verdict.field or "body", verdict.message)
        return render(
            request,
            "forums/discuss_article.html",
            context,
            status=verdict.status_code,
        )
    if verdict.action == "hold":
        messages.info(
            request,
            _(
                "The topic is awaiting moderation: the article will link to it "
                "once a moderator lets it through."
            ),
        )
    else:
        messages.success(
            request, _("The topic was started; the article now links to it.")
        )
    return redirect(topic)


def _has_topic(article):
    try:
        return article.forum_topic is not None
    except Topic.DoesNotExist:
        return False


@require_http_methods(["GET", "POST"])
def retitle(request, pk):
    topic = _topic_or_404(request, pk)
    if not topic.title_editable_by(request.user):
        raise Http404
    form = TitleForm(request.POST or None, initial={"title": topic.title})
    if request.method == "POST" and form.is_valid():
        if topic.rename(title=form.cleaned_data["title"], by=request.user):
            messages.success(request, _("The title was changed."))
        return redirect(topic)
    return render(request, "forums/retitle.html", {"topic": topic, "form": form})


@require_POST
def moderate(request, pk):
    if not request.user.has_perm(MODERATE):
        raise Http404
    topic = _topic_or_404(request, pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forums/moderate.html", {"topic": topic, "form": form}, status=400
        )
    data, by = form.cleaned_data, request.user
    action = data["action"]
    try:
        done = {
            "pin": lambda: topic.pin(by=by),
            "unpin": lambda: topic.unpin(by=by),
            "lock": lambda: topic.lock(by=by, reason=data["reason"]),
            "unlock": lambda: topic.unlock(by=by),
            "move": lambda: topic.move(to=data["category"], by=by),
            "rename": lambda: topic.rename(title=data["title"], by=by),
            "remove": lambda: topic.remove(by=by, reason=data["reason"]),
            "restore": lambda: topic.restore(by=by),
        }[action]()
    except ValidationError as error:
        form.add_error("reason", error)
        return render(
            request, "forums/moderate.html", {"topic": topic, "form": form}, status=400
        )
    if done:
        messages.success(request, DONE_MESSAGES[action])
    return redirect(topic)


DONE_MESSAGES = {
    "pin": gettext_lazy("The topic is pinned."),
    "unpin": gettext_lazy("The topic is no longer pinned."),
    "lock": gettext_lazy("The topic is locked."),
    "unlock": gettext_lazy("The topic is unlocked."),
    "move": gettext_lazy("The topic was moved."),
    "rename": gettext_lazy("The topic was renamed."),
    "remove": gettext_lazy("The topic was removed."),
    "restore": gettext_lazy("The topic was restored."),
}
