"""The Windows policy reader's QSettings code, run on an INI file (the registry itself needs Windows)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from core.policy import Feature, load_policy
from core.policy.loader import SourceKind
from desktop.policy_source import read_registry_policy


def test_values_read_through_qsettings_become_the_policy(qapp: QApplication, tmp_path: Path) -> None:
    path = str(tmp_path / "policy.ini")
    written = QSettings(path, QSettings.Format.IniFormat)
    written.setValue("policy_version", 1)
    written.setValue("allowed_hosts", '["acme.zendesk.com"]')
    written.setValue("features", '{"demo": false}')
    written.setValue("locked_settings", '["updates.channel"]')
    written.sync()

    values = read_registry_policy(path, QSettings.Format.IniFormat)
    assert values is not None and set(values) == {
        "policy_version",
        "allowed_hosts",
        "features",
        "locked_settings",
    }
    loaded = load_policy(environ={}, platform="win32", read_registry=lambda: values)
    assert loaded.source.kind is SourceKind.REGISTRY and loaded.problems == ()
    assert loaded.policy.allowed_hosts == ("acme.zendesk.com",)
    assert loaded.policy.is_locked("updates.channel") and not loaded.policy.feature_enabled(Feature.DEMO)


def test_no_key_means_no_policy(qapp: QApplication, tmp_path: Path) -> None:
    assert read_registry_policy(str(tmp_path / "absent.ini"), QSettings.Format.IniFormat) is None
