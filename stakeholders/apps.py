from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from . import signals
        from .models import Platform
        from .review import register_reviewable

        signals.connect()
        register_reviewable(Platform)
