"""Pages outside any one feature: the home page and the health checks."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.selectors import catalog as catalog_selectors
from assessment.selectors import projects as project_selectors
from assessment.services.readiness import readiness


@require_GET
def home(request):
    """Each person lands where their work is; visitors see what the product does."""
    context = {"models": catalog_selectors.list_models()}
    if request.user.is_authenticated:
        context |= project_selectors.home_page(request.user)
    return render(request, "home.html", context)


@require_GET
def health(request):
    """Liveness for load balancers and docker-compose: the process answers; nothing else is asked."""
    return JsonResponse({"status": "ok"})


@require_GET
def ready(request):
    """Readiness: 200 when the database, the broker (if any) and the file store answer, else 503 naming which not."""
    checks = readiness()
    failed = sorted(name for name, state in checks.items() if state == "failed")
    body = {"status": "unavailable" if failed else "ok", "checks": checks, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
