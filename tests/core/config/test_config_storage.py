"""The configuration stored in the workspace, and templates filled in for a message."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy.orm import Session

from core.config import (
    ConfigError,
    ReminderCadence,
    default_config,
    load_config,
    render_template,
    save_config,
)
from core.config.storage import CONFIG_SETTING_KEY
from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.settings import set_setting


def test_a_new_workspace_uses_the_shipped_defaults(db: DbRunner) -> None:
    config = db.read(load_config).result()

    assert config == default_config()
    assert {reason.code for reason in config.reason_codes} == {
        "resolution_time",
        "technical_expertise",
        "business_impact",
        "customer_request",
        "known_defect",
        "policy_exception",
    }
    assert config.reminders == ReminderCadence(business_days=(2, 5), propose_auto_close=True)
    request_information = next(t for t in config.templates if t.id == "request_information")
    assert request_information.moves_to_stage == Stage.AWAITING_CUSTOMER.value


def test_a_saved_configuration_is_what_the_workspace_loads(db: DbRunner) -> None:
    changed = dataclasses.replace(
        default_config(), reminders=ReminderCadence(business_days=(1, 3), propose_auto_close=False)
    )

    db.write(save_config, changed).result()

    assert db.read(load_config).result() == changed


def test_an_invalid_configuration_is_refused_and_nothing_is_stored(db: DbRunner) -> None:
    broken = dataclasses.replace(
        default_config(), reminders=ReminderCadence(business_days=(), propose_auto_close=True)
    )

    with pytest.raises(ConfigError, match=r"\[reminders\] business_days: must list at least one day"):
        db.write(save_config, broken).result()
    assert db.read(load_config).result() == default_config()


def test_templates_fill_known_placeholders_and_leave_the_rest_visible() -> None:
    body = "Hi {contact_name}, case {case_number}: next update by {next_update_due}. {unknown} {} {{x}} {"

    rendered = render_template(body, {"contact_name": "Dana", "case_number": "10044"})

    assert rendered == "Hi Dana, case 10044: next update by {next_update_due}. {unknown} {} {{x}} {"


def test_the_request_information_template_renders_for_a_case() -> None:
    template = next(t for t in default_config().templates if t.id == "request_information")

    rendered = render_template(
        template, {"contact_name": "Dana", "case_number": "10044", "specialist": "Priya"}
    )

    assert rendered.startswith("Hello Dana,\n\nto continue with case 10044 we need")
    assert rendered.endswith("Best regards,\nPriya")


def test_a_stored_configuration_missing_a_newer_section_loads_it_from_the_defaults(db: DbRunner) -> None:
    def store_partial(session: Session) -> None:
        set_setting(session, CONFIG_SETTING_KEY, json.dumps({"format_version": 1, "root_causes": []}))

    db.write(store_partial).result()

    with pytest.raises(ConfigError, match=r"\[root_causes\]: must list at least one category"):
        db.read(load_config).result()

    def store_without_reminders(session: Session) -> None:
        set_setting(session, CONFIG_SETTING_KEY, json.dumps({"format_version": 1}))

    db.write(store_without_reminders).result()
    assert db.read(load_config).result() == default_config()


def test_saving_the_configuration_tells_views_to_reload_it(db: DbRunner) -> None:
    changes = db.write(save_config, default_config()).result()

    assert changes.config and not changes.is_empty
