from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MainstreamingConfig(AppConfig):
    name = "mainstreaming"
    verbose_name = _("Mainstreaming")

    def ready(self) -> None:
        from stakeholders.review import register_reviewable

        from .models import SituationSection

        register_reviewable(SituationSection)
