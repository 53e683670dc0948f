from django.urls import path

from forums import feeds, views

app_name = "forums"
urlpatterns = [
    path("", views.index, name="index"),
    path("latest/", views.latest, name="latest"),
    path("topic/<int:pk>/title/", views.retitle, name="retitle"),
    path("article/<int:article_id>/", views.discuss_article, name="discuss_article"),
    path("topic/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/", views.category, name="category"),
    path("<slug:slug>/new/", views.start, name="start"),
    path("<slug:slug>/follow/", views.follow_category, name="follow"),
    path("<slug:slug>/feed/", feeds.CategoryFeed(), name="feed"),
    path("<slug:category_slug>/<int:pk>-<slug:slug>/", views.topic, name="topic"),
]
