from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        # Registers the tasks in every process (web too), so services can enqueue them by name.
        from assessment import tasks  # noqa: F401
