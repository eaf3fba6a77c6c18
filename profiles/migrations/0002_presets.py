"""Load the two template presets (full Extended Migration Profile, and a light first profile)."""

from django.db import migrations


def load(apps, schema_editor):
    from profiles.presets import load_presets

    load_presets(apps.get_model("profiles", "ProfileTemplate"), apps.get_model("profiles", "TemplateSection"))


def unload(apps, schema_editor):
    apps.get_model("profiles", "ProfileTemplate").objects.filter(
        workspace__isnull=True, code__in=["emp-full", "emp-light"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
