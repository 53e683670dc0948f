from django.conf import settings

from articles.models import Section


def site(request):
    """Site name and the section navigation, on every page (cached, see Section)."""
    return {"site_name": settings.SITE_NAME, "nav_sections": Section.navigation()}
