"""The entry-point concerns named by the seed (DESIGN §2), shared by every workspace."""

from django.db import migrations

# Stored in English; shown translated (EntryPointConcern.__str__ and the catalogue).
DEFAULTS = (
    ("diaspora", "Diaspora engagement"),
    ("skills", "Skills development and labour matching"),
    ("workers", "Migrant workers' welfare and recruitment"),
    ("social_costs", "Social costs of migration in origin communities"),
    ("integration", "Integration and social cohesion"),
    ("internal", "Internal migration and urban services"),
    ("climate", "Migration, environment and climate adaptation"),
    ("remittances", "Remittances"),
)


def add_defaults(apps, schema_editor):
    concern = apps.get_model("mainstreaming", "EntryPointConcern")
    for code, name in DEFAULTS:
        concern.objects.update_or_create(workspace=None, code=code, defaults={"name": name})


def remove_defaults(apps, schema_editor):
    concern = apps.get_model("mainstreaming", "EntryPointConcern")
    concern.objects.filter(workspace=None, code__in=[code for code, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("mainstreaming", "0002_planning_and_monitoring")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
