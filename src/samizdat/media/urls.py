from django.urls import path

from samizdat.media import views

app_name = "media"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
