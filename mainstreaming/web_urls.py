from django.urls import path

from . import views

app_name = "mainstreaming"

urlpatterns = [
    path("", views.WorkspaceListView.as_view(), name="workspace_list"),
    path("w/<slug:slug>/", views.WorkspaceHomeView.as_view(), name="workspace_home"),
]
