from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MainstreamingConfig(AppConfig):
    name = "mainstreaming"
    verbose_name = _("Mainstreaming")

    def ready(self) -> None:
        from stakeholders.review import register_reviewable

        from . import models

        for model in (
            models.SituationSection,
            models.Priority,
            models.Objective,
            models.Action,
            models.KPI,
            models.ProgressUpdate,
        ):
            register_reviewable(model)
