from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization-list"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization-create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization-edit"),
    path("<int:pk>/years/add/", views.EnterpriseYearFormView.as_view(), name="enterprise-year-add"),
    path(
        "<int:pk>/years/<int:year>/edit/",
        views.EnterpriseYearFormView.as_view(),
        name="enterprise-year-edit",
    ),
    path(
        "<int:pk>/qualifications/add/",
        views.QualificationCreateView.as_view(),
        name="qualification-add",
    ),
    path("years/", views.EnterpriseYearListView.as_view(), name="enterprise-year-list"),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification-list"),
]
