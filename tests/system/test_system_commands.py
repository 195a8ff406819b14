"""Backup, restore, logs and restart through the real daemon's API."""

from __future__ import annotations

import copy

import pytest

from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError
from firmware.errors import RESTART_EXIT
from tests.system.boxprocs import start_daemon, wait_for_api

HASH = "scrypt$16384$8$1$" + "c2FsdHNhbHRzYWx0c2FsdA==" + "$" + "A" * 43 + "="


def api(box_paths, cmd, **args):
    with ApiClient(box_paths.socket, timeout=10) as client:
        return client.call(cmd, **args)


def test_a_backup_brings_the_settings_back_after_they_changed(daemon, box_paths):
    api(box_paths, "web.user.add", name="boss", role="admin", password_hash=HASH)
    backup = api(box_paths, "system.backup")
    assert backup["format"] == "ringback-backup" and backup["version"] == 1
    assert [u["name"] for u in backup["tables"]["web_users"]] == ["boss"]
    before = api(box_paths, "pbx.config")

    changed = dict(before, line_access="9",
                   extensions=[dict(e, name="Renamed") for e in before["extensions"]])
    api(box_paths, "pbx.configure", config=changed)
    api(box_paths, "web.user.add", name="temp", role="staff", password_hash=HASH,
        extension="21")
    assert api(box_paths, "pbx.config")["line_access"] == "9"

    answer = api(box_paths, "system.restore", backup=backup)
    assert answer["restored"] == ["pbx", "callback", "notify", "web", "web_users"]
    assert api(box_paths, "pbx.config") == before  # applied live: no restart
    assert [u["name"] for u in api(box_paths, "web.users")] == ["boss"]


def test_a_bad_backup_changes_nothing_and_names_each_problem(daemon, box_paths):
    backup = api(box_paths, "system.backup")
    before = api(box_paths, "pbx.config")
    tables = backup["tables"]
    tables["pbx"] = copy.deepcopy(dict(before, line_access="9"))
    tables["pbx"]["extensions"][0]["port"] = "nope"
    tables["web_users"] = [{"name": "x", "role": "staff", "password_hash": HASH}]
    with pytest.raises(ApiError) as e:
        api(box_paths, "system.restore", backup=backup)
    assert e.value.message.startswith("the backup was not restored")
    assert "pbx.extensions[0].port" in e.value.fields
    assert "needs at least one admin" in e.value.fields["web_users"]
    assert api(box_paths, "pbx.config") == before

    with pytest.raises(ApiError) as e:
        api(box_paths, "system.restore", backup={"hello": 1})
    assert "not a Ringback backup" in e.value.fields["backup"]


def test_logs_show_the_daemons_recent_lines(daemon, box_paths):
    lines = api(box_paths, "system.logs", lines=50)["lines"]
    assert 0 < len(lines) <= 50
    assert any("event=started" in line or "event=l1_state" in line for line in lines)
    with pytest.raises(ApiError) as e:
        api(box_paths, "system.logs", lines=0)
    assert "lines" in e.value.fields


def test_reboot_ends_the_daemon_with_the_restart_code(box_paths):
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    assert api(box_paths, "system.reboot", reason="test") == {"restarting": True}
    assert proc.wait(15) == RESTART_EXIT
    assert "reason=\"restart: test\"" in proc.stderr.read()
    proc = start_daemon(box_paths)  # and it comes back on the same store
    wait_for_api(box_paths, proc)
    assert api(box_paths, "status")["boots"] == 2
    proc.terminate()
    assert proc.wait(15) == 0
