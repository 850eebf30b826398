"""The production server's settings (indoru/gunicorn.conf.py) as gunicorn reads them."""

import gc
import runpy
from types import SimpleNamespace

from django.conf import settings
from gunicorn.config import Config


def test_a_worker_leaves_what_it_loaded_at_start_out_of_its_collections():
    """gunicorn calls ``post_worker_init`` once a worker has loaded the app: everything
    loaded by then is frozen, so full collections no longer walk it."""
    names = runpy.run_path(str(settings.BASE_DIR / "indoru" / "gunicorn.conf.py"))
    config = Config()
    config.set("post_worker_init", names["post_worker_init"])
    gc.unfreeze()
    try:
        config.post_worker_init(SimpleNamespace())
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
