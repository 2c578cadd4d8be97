"""技术市场: enterprise technology needs, achievements, experts, dockings and contracts."""

from django.urls import path

from . import hall, index_views, views

app_name = "market"
urlpatterns = [
    path("needs/", views.NeedListView.as_view(), name="need-list"),
    path("needs/new/", views.NeedCreateView.as_view(), name="need-create"),
    path("needs/<int:pk>/", views.NeedDetailView.as_view(), name="need-detail"),
    path("needs/<int:pk>/edit/", views.NeedUpdateView.as_view(), name="need-edit"),
    path(
        "needs/<int:pk>/transition/",
        views.NeedTransitionView.as_view(),
        name="need-transition",
    ),
    path(
        "needs/<int:pk>/dockings/new/",
        views.DockingCreateView.as_view(),
        name="docking-create",
    ),
    path("achievements/", views.AchievementListView.as_view(), name="achievement-list"),
    path("achievements/new/", views.AchievementCreateView.as_view(), name="achievement-create"),
    path(
        "achievements/<int:pk>/",
        views.AchievementDetailView.as_view(),
        name="achievement-detail",
    ),
    path(
        "achievements/<int:pk>/edit/",
        views.AchievementUpdateView.as_view(),
        name="achievement-edit",
    ),
    path(
        "achievements/<int:pk>/transition/",
        views.AchievementTransitionView.as_view(),
        name="achievement-transition",
    ),
    path("experts/", views.ExpertListView.as_view(), name="expert-list"),
    path("experts/<int:pk>/", views.ExpertDetailView.as_view(), name="expert-detail"),
    path("dockings/", views.DockingListView.as_view(), name="docking-list"),
    path("dockings/<int:pk>/", views.DockingDetailView.as_view(), name="docking-detail"),
    path(
        "dockings/<int:pk>/transition/",
        views.DockingTransitionView.as_view(),
        name="docking-transition",
    ),
    path("contracts/", views.ContractListView.as_view(), name="contract-list"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path(
        "contracts/<int:pk>/revoke/",
        views.ContractRevokeView.as_view(),
        name="contract-revoke",
    ),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("search-index/", index_views.SearchIndexView.as_view(), name="search-index"),
    # 供需大厅: public
    path("hall/", hall.HallView.as_view(), name="hall"),
    path("hall/mine/", hall.MyMarketView.as_view(), name="hall-mine"),
    path("hall/<str:kind>/<int:pk>/", hall.HallDetailView.as_view(), name="hall-detail"),
]
