"""The person's notifications: the list, opening one (marks it read), marking all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from assessment.models import Notification
from assessment.selectors.notifications import notifications_of
from assessment.services import notifications


@login_required
@require_GET
def notification_list(request):
    page = Paginator(notifications_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"notifications": page})


@login_required
@require_POST
def notification_open(request, notification_id: int):
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    notifications.mark_read(user=request.user, notification_ids=[notification.pk])
    allowed = url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()})
    return redirect(notification.link if allowed else "notifications")


@login_required
@require_POST
def notification_read_all(request):
    notifications.mark_read(user=request.user)
    return redirect("notifications")
