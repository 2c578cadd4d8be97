"""技术市场: enterprise technology needs, achievements, experts, dockings and contracts."""

from django.urls import path

from .views import hall, records, search_index

app_name = "market"
urlpatterns = [
    path("needs/", records.NeedListView.as_view(), name="need-list"),
    path("needs/new/", records.NeedCreateView.as_view(), name="need-create"),
    path("needs/<int:pk>/", records.NeedDetailView.as_view(), name="need-detail"),
    path("needs/<int:pk>/edit/", records.NeedUpdateView.as_view(), name="need-edit"),
    path(
        "needs/<int:pk>/transition/",
        records.NeedTransitionView.as_view(),
        name="need-transition",
    ),
    path(
        "needs/<int:pk>/dockings/new/",
        records.DockingCreateView.as_view(),
        name="docking-create",
    ),
    path("achievements/", records.AchievementListView.as_view(), name="achievement-list"),
    path("achievements/new/", records.AchievementCreateView.as_view(), name="achievement-create"),
    path(
        "achievements/<int:pk>/",
        records.AchievementDetailView.as_view(),
        name="achievement-detail",
    ),
    path(
        "achievements/<int:pk>/edit/",
        records.AchievementUpdateView.as_view(),
        name="achievement-edit",
    ),
    path(
        "achievements/<int:pk>/transition/",
        records.AchievementTransitionView.as_view(),
        name="achievement-transition",
    ),
    path("experts/", records.ExpertListView.as_view(), name="expert-list"),
    path("experts/<int:pk>/", records.ExpertDetailView.as_view(), name="expert-detail"),
    path("dockings/", records.DockingListView.as_view(), name="docking-list"),
    path("dockings/<int:pk>/", records.DockingDetailView.as_view(), name="docking-detail"),
    path(
        "dockings/<int:pk>/transition/",
        records.DockingTransitionView.as_view(),
        name="docking-transition",
    ),
    path("contracts/", records.ContractListView.as_view(), name="contract-list"),
    path("contracts/<int:pk>/", records.ContractDetailView.as_view(), name="contract-detail"),
    path(
        "contracts/<int:pk>/revoke/",
        records.ContractRevokeView.as_view(),
        name="contract-revoke",
    ),
    path("events/", records.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", records.EventDetailView.as_view(), name="event-detail"),
    path("search-index/", search_index.SearchIndexView.as_view(), name="search-index"),
    # 供需大厅: public
    path("hall/", hall.HallView.as_view(), name="hall"),
    path("hall/mine/", hall.MyMarketView.as_view(), name="hall-mine"),
    path("hall/<str:kind>/<int:pk>/", hall.HallDetailView.as_view(), name="hall-detail"),
]
