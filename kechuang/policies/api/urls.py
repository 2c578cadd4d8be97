from rest_framework.routers import SimpleRouter

from .views import PolicyViewSet, RedemptionViewSet

router = SimpleRouter()
router.register("policies", PolicyViewSet, basename="policy")
router.register("redemptions", RedemptionViewSet, basename="redemption")
urlpatterns = router.urls
