from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessment.views import accounts

urlpatterns = [
    path("", include("assessment.urls")),
    path("", include("metrics.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("assessment.api.urls")),
    path("api/v1/", include("metrics.api.urls")),
    path("hooks/", include("metrics.hooks.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
