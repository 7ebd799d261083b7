from django.urls import path

from samizdat.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.start, name="start"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("data/<str:token>/", views.data, name="data"),
    path("moderate/<str:token>/", views.moderate, name="moderate"),
    path("staff/", views.staff_settings, name="staff"),
]
