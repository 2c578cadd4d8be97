from rest_framework.routers import SimpleRouter

from .views import DivisionViewSet, ZoneViewSet

router = SimpleRouter()
router.register("divisions", DivisionViewSet, basename="division")
router.register("zones", ZoneViewSet, basename="zone")
urlpatterns = router.urls
