from rest_framework.routers import SimpleRouter

from .views import (
    AchievementViewSet,
    DockingViewSet,
    ExpertViewSet,
    MatchEventViewSet,
    TechContractViewSet,
    TechNeedViewSet,
)

router = SimpleRouter()
router.register("needs", TechNeedViewSet, basename="need")
router.register("achievements", AchievementViewSet, basename="achievement")
router.register("experts", ExpertViewSet, basename="expert")
router.register("dockings", DockingViewSet, basename="docking")
router.register("events", MatchEventViewSet, basename="match-event")
router.register("contracts", TechContractViewSet, basename="contract")
urlpatterns = router.urls
