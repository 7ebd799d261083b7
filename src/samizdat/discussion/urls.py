from django.urls import path

from samizdat.discussion import views

app_name = "discussion"

urlpatterns = [
    path("comments/post/", views.post_comment_view, name="post-comment"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
]
