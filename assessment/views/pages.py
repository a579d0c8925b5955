"""Pages outside any one feature: the home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.selectors import catalog as catalog_selectors
from assessment.selectors import projects as project_selectors


@require_GET
def home(request):
    """Each person lands where their work is; visitors see what the product does."""
    context = {"models": catalog_selectors.list_models()}
    if request.user.is_authenticated:
        context |= project_selectors.home_page(request.user)
    return render(request, "home.html", context)


@require_GET
def health(request):
    """For load balancers and docker-compose: the app answers and its database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
