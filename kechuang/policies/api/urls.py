from rest_framework.routers import SimpleRouter

from .views import (
    InnovationAssessmentViewSet,
    PolicyBudgetViewSet,
    PolicyViewSet,
    RedemptionViewSet,
)

router = SimpleRouter()
router.register("policies", PolicyViewSet, basename="policy")
router.register("redemptions", RedemptionViewSet, basename="redemption")
router.register(
    "innovation-assessments", InnovationAssessmentViewSet, basename="innovation-assessment"
)
router.register("policy-budgets", PolicyBudgetViewSet, basename="policy-budget")
urlpatterns = router.urls
