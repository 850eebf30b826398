"""The two roles of the admin: Editors change records, Viewers only read them.

Permissions are created by a post_migrate signal, after all migrations have run, so on a fresh
database they do not exist yet here: ``create_permissions`` makes them first (the pattern the
Django documentation gives for data migrations that need permissions).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

#: Group → (actions, apps). Editors also issue and revoke API tokens (authtoken).
GROUPS = {
    "Editors": (("add", "change", "delete", "view"), ("tracker", "authtoken")),
    "Viewers": (("view",), ("tracker",)),
}


def _permissions(apps, actions, app_labels):
    """The permissions for ``actions`` on the apps' models (not on their history tables)."""
    Permission = apps.get_model("auth", "Permission")
    by_action = Q()
    for action in actions:
        by_action |= Q(codename__startswith=f"{action}_")
    return Permission.objects.filter(by_action, content_type__app_label__in=app_labels).exclude(
        content_type__model__startswith="historical"
    )


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, (actions, app_labels) in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(apps, actions, app_labels))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_vocabularies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # Fields added in 0005 do not change the permissions; running first keeps one leaf.
    run_before = [("tracker", "0005_curated_data_fields")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
