from django.urls import path

from assessment.views import catalog, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.health, name="health"),
    path("catalog/", catalog.model_list, name="catalog-models"),
    path("catalog/<slug:key>/<str:version>/", catalog.model_detail, name="catalog-model"),
    path("catalog/<slug:key>/<str:version>/parts/<str:part_code>/", catalog.part_detail, name="catalog-part"),
    path(
        "catalog/<slug:key>/<str:version>/subdomains/<str:subdomain_code>/",
        catalog.subdomain_detail,
        name="catalog-subdomain",
    ),
    path(
        "catalog/<slug:key>/<str:version>/subitems/<str:subitem_code>/", catalog.subitem_detail, name="catalog-subitem"
    ),
]
