from rest_framework.routers import DefaultRouter

from assessment.api.catalog import MaturityModelViewSet

router = DefaultRouter()
router.register("catalog/models", MaturityModelViewSet, basename="catalog-model")

urlpatterns = router.urls
