"""Install the cross-row rules (see ``tracker.triggers``)."""

from django.db import migrations


def create(apps, schema_editor):
    from tracker.triggers import install

    install(schema_editor.connection)


def drop(apps, schema_editor):
    from tracker.triggers import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
