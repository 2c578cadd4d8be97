from rest_framework.routers import SimpleRouter

from .views import EnterpriseYearViewSet, OrganizationViewSet, QualificationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("enterprise-years", EnterpriseYearViewSet, basename="enterprise-year")
router.register("qualifications", QualificationViewSet, basename="qualification")
urlpatterns = router.urls
