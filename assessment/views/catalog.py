"""The catalogue browser: model → part → sub-domain → sub-item with its five-level ladder."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.access import access_maturity_model, visible_maturity_models
from assessment.selectors import catalog as selectors


@require_GET
def model_list(request):
    models = selectors.list_models().filter(pk__in=visible_maturity_models(request.user).values("pk"))
    return render(request, "catalog/model_list.html", {"models": models})


@require_GET
def model_detail(request, key: str, version: str):
    model = access_maturity_model(request.user, key=key, version=version)
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "model": model,
        "levels": selectors.model_levels(model),
        "parts": selectors.parts_with_counts(model),
        "query": query,
        "results": selectors.search_subitems(model, query) if query else None,
    }
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "catalog/model_detail.html#search-results", context)
    return render(request, "catalog/model_detail.html", context)


@require_GET
def part_detail(request, key: str, version: str, part_code: str):
    model = access_maturity_model(request.user, key=key, version=version)
    part = selectors.get_part(model, part_code)
    if part is None:
        raise Http404("No such part in this model.")
    return render(
        request, "catalog/part_detail.html", {"model": model, "part": part, "subdomains": selectors.part_tree(part)}
    )


@require_GET
def subdomain_detail(request, key: str, version: str, subdomain_code: str):
    model = access_maturity_model(request.user, key=key, version=version)
    subdomain = selectors.get_subdomain(model, subdomain_code)
    if subdomain is None:
        raise Http404("No such sub-domain in this model.")
    context = {
        "model": model,
        "part": subdomain.part,
        "subdomain": subdomain,
        "levels": selectors.model_levels(model),
        "items": selectors.subdomain_ladders(subdomain),
    }
    return render(request, "catalog/subdomain_detail.html", context)


@require_GET
def subitem_detail(request, key: str, version: str, subitem_code: str):
    model = access_maturity_model(request.user, key=key, version=version)
    subitem = selectors.subitem_with_context(model, subitem_code)
    if subitem is None:
        raise Http404("No such sub-item in this model.")
    context = {
        "model": model,
        "subitem": subitem,
        "item": subitem.item,
        "subdomain": subitem.item.subdomain,
        "part": subitem.item.subdomain.part,
        "levels": selectors.model_levels(model),
    }
    return render(request, "catalog/subitem_detail.html", context)
