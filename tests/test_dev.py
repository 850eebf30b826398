"""``dev.py``'s environment step: what it installs, and when it installs nothing."""

import importlib.util

import pytest
from django.conf import settings


@pytest.fixture
def dev(tmp_path, monkeypatch):
    """dev.py as a module, its virtualenv in ``tmp_path`` (already created), and every
    command it would run recorded instead of run."""
    spec = importlib.util.spec_from_file_location("dev", settings.BASE_DIR / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "PYTHON", venv / "bin" / "python")
    module.commands = []
    monkeypatch.setattr(module, "sh", lambda *args, **kwargs: module.commands.append(args))
    return module


def test_run_installs_nothing_where_test_installed_the_dev_lock(dev):
    (dev.VENV / ".installed-requirements-dev.lock").write_text(dev.pins(dev.DEV_LOCK))
    dev.ensure_environment(dev.RUNTIME_LOCK)
    assert dev.commands == []


def test_run_installs_the_runtime_lock_in_a_new_environment(dev):
    dev.ensure_environment(dev.RUNTIME_LOCK)
    assert dev.commands[-1][-2:] == ("-r", str(dev.RUNTIME_LOCK))
    assert dev.installed(dev.RUNTIME_LOCK)


def test_a_changed_dev_lock_is_installed_again(dev):
    (dev.VENV / ".installed-requirements-dev.lock").write_text("an older lock")
    dev.ensure_environment(dev.RUNTIME_LOCK)
    assert dev.commands[-1][-2:] == ("-r", str(dev.RUNTIME_LOCK))
