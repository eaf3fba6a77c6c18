"""Load the starter catalogue (48 indicators in 8 dimensions) and the six SDG migration indicators."""

from types import SimpleNamespace

from django.db import migrations


def load(apps, schema_editor):
    from indicators.catalogue import load_starter_catalogue

    models = SimpleNamespace(
        **{name: apps.get_model("indicators", name) for name in ("Framework", "Dimension", "Unit", "Indicator")}
    )
    load_starter_catalogue(models)


def unload(apps, schema_editor):
    apps.get_model("indicators", "Framework").objects.filter(code__in=["starter", "sdg"]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
