from rest_framework.routers import SimpleRouter

from .views import (
    ServiceProviderViewSet,
    VoucherClaimViewSet,
    VoucherSchemeViewSet,
    VoucherSettlementViewSet,
    VoucherUseViewSet,
)

router = SimpleRouter()
router.register("voucher-schemes", VoucherSchemeViewSet, basename="voucher-scheme")
router.register("voucher-providers", ServiceProviderViewSet, basename="voucher-provider")
router.register("voucher-claims", VoucherClaimViewSet, basename="voucher-claim")
router.register("voucher-uses", VoucherUseViewSet, basename="voucher-use")
router.register("voucher-settlements", VoucherSettlementViewSet, basename="voucher-settlement")
urlpatterns = router.urls
