from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from articles.sitemaps import sitemaps as article_sitemaps
from config import health
from config.public_cache import public_page
from forums.sitemaps import sitemaps as forum_sitemaps

admin.site.login = secure_admin_login(admin.site.login)


def page(route, name, **context):
    """A page of plain editorial text (templates/pages/NAME.html)."""
    view = TemplateView.as_view(
        template_name=f"pages/{name}.html", extra_context=context
    )
    return path(route, public_page(view), name=name)


# What a community site owes its readers: who runs it, its rules, what it keeps.
pages = (
    [
        page("about/", "about"),
        page("community-guidelines/", "guidelines"),
        page("privacy/", "privacy"),
        # The address our own emails come from, which production sets.
        page("contact/", "contact", contact_email=settings.DEFAULT_FROM_EMAIL),
    ],
    "pages",
)
admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} administration"


urlpatterns = [
    path("admin/", admin.site.urls),
    # Passkeys are the only second way in (MFA_SUPPORTED_TYPES): allauth's
    # overview of "two-factor" methods, where it returns after adding one, is
    # the list of passkeys.
    path("accounts/2fa/", RedirectView.as_view(pattern_name="mfa_list_webauthn")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("accounts.urls")),
    path("notifications/", include("accounts.notification_urls")),
    path("comments/", include("comments.urls")),
    path("forums/", include("forums.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {**article_sitemaps, **forum_sitemaps}},
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # The balancer's checks and Prometheus (config/health.py).
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("metrics", health.metrics, name="metrics"),
    path("", include(pages)),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
