from django.urls import path

from news import feeds, views

app_name = "news"

urlpatterns = [
    path("tin-tuc/", views.PostListView.as_view(), name="list"),
    path("tin-tuc/rss/", feeds.LatestPostsFeed(), name="feed"),
    path("tin-tuc/chuyen-muc/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tin-tuc/chuyen-muc/<slug:slug>/rss/", feeds.CategoryFeed(), name="category-feed"),
    path("tin-tuc/xem-truoc/<int:pk>/", views.post_preview, name="preview"),
    path("tin-tuc/<slug:slug>/", views.post_detail, name="detail"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
]
