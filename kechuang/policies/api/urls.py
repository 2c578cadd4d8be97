from rest_framework.routers import SimpleRouter

from .views import PolicyViewSet

router = SimpleRouter()
router.register("policies", PolicyViewSet, basename="policy")
urlpatterns = router.urls
