from django.urls import path

from articles import feeds, views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("archive/", views.archive, name="archive"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("sections/<slug:slug>/", views.section, name="section"),
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("articles/<slug:slug>/", views.detail, name="detail"),
]
