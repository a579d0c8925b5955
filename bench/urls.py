"""The app's URLs plus the trivial view benchmarks compare against: sign-in checked, one small query."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

from assessment.models import Membership


@login_required
def trivial(request):
    return HttpResponse(str(Membership.objects.filter(user=request.user).count()))


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), path("", include("config.urls"))]
