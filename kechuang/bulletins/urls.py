from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.BulletinListView.as_view(), name="bulletin-list"),
    path("new/", views.BulletinGenerateView.as_view(), name="bulletin-generate"),
    path("<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin-detail"),
    path("<int:pk>/edit/", views.BulletinEditView.as_view(), name="bulletin-edit"),
    path("<int:pk>/publish/", views.BulletinPublishView.as_view(), name="bulletin-publish"),
    path("<int:pk>/copy/", views.BulletinCopyView.as_view(), name="bulletin-copy"),
    path("<int:pk>/delete/", views.BulletinDeleteView.as_view(), name="bulletin-delete"),
    path(
        "<int:pk>/download/<str:fmt>/",
        views.BulletinDownloadView.as_view(),
        name="bulletin-download",
    ),
]
