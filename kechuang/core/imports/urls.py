"""Included by kechuang/core/urls.py at "import/": the names live in the ``core`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_page, name="import"),
    path("jobs/<int:pk>/", views.import_preview, name="import-preview"),
    path("jobs/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("jobs/<int:pk>/result/", views.import_result, name="import-result"),
    path("jobs/<int:pk>/status/", views.import_status, name="import-status"),
    path("jobs/<int:pk>/errors.csv", views.import_errors, name="import-errors"),
    path("templates/<slug:kind>.xlsx", views.import_template, name="import-template"),
    path("export/<slug:kind>/", views.export, name="import-export"),
]
