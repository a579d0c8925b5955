from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Delivery metrics")

    def ready(self) -> None:
        # Registers the tasks in every process (web too), so services can enqueue them by name.
        from metrics import tasks  # noqa: F401
