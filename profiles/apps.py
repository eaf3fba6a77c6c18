from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Migration profiles")

    def ready(self) -> None:
        from stakeholders.review import register_reviewable

        from .models import Section

        register_reviewable(Section)
