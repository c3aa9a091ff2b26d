from rest_framework.routers import SimpleRouter

from directives.api.views import DirectiveViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")

urlpatterns = router.urls
