from django.urls import path

from assessment.views import catalog, pages

# Each block belongs to one feature; keep edits inside your block.
urlpatterns = [
    # pages
    path("", pages.home, name="home"),
    path("healthz", pages.health, name="health"),
    # catalogue browser
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
    # organisation admin and accounts
    # projects, assessments, questionnaire and evidence
]
