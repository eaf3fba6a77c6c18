from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators import demo as indicators_demo
from mainstreaming import demo as mainstreaming_demo
from mainstreaming.services.corridors import share_demo_items
from profiles import demo as profiles_demo
from stakeholders import demo as stakeholders_demo
from stakeholders import demo_corridors, demo_mapping, demo_platforms, demo_practices


class Command(BaseCommand):
    help = "Load the illustrative demo data (development only; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo is for development only: it is refused when DEBUG is off.")
        workspaces = stakeholders_demo.load()
        demo_platforms.load()
        demo_mapping.load()
        demo_practices.load()
        demo_corridors.load()
        indicators_demo.load()
        profiles_demo.load()
        cycles = mainstreaming_demo.load()
        share_demo_items()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(workspaces)} workspaces, {len(cycles)} planning cycles."
            )
        )
        self.stdout.write(
            f"Demo accounts (password {stakeholders_demo.DEMO_PASSWORD}): "
            + ", ".join([*stakeholders_demo.ACCOUNTS, demo_corridors.PARTNER_USERNAME])
        )
