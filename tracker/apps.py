from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "India–Russia tracker"

    def ready(self):
        from . import loaders  # noqa: F401 (connects its signal receiver)
        from .api import cors  # noqa: F401 (connects its signal receiver)
