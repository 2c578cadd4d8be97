from rest_framework.routers import SimpleRouter

from .views import PlatformViewSet

router = SimpleRouter()
router.register("platforms", PlatformViewSet, basename="platform")
urlpatterns = router.urls
