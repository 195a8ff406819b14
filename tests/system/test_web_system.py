"""/system against the real daemon: backup download, restore upload (good and bad),
logs, restart; admin only, CSRF on every form."""

from __future__ import annotations

import json

from firmware import __version__
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD
from tests.system.webclient import WebClient, log_in


def test_system_page_shows_version_and_recent_logs(admin):
    page = admin.get("/system")
    assert page.status == 200
    assert f"Firmware</span> {__version__}</div>" in page.body
    assert "event=" in page.body  # the daemon's own log lines
    assert admin.get("/system?lines=500").body.count('value="500" selected') == 1


def test_backup_download_then_restore_brings_the_settings_back(admin):
    answer = admin.get("/system/backup")
    assert answer.status == 200 and answer.content_type.startswith("application/json")
    backup = json.loads(answer.body)
    assert backup["format"] == "ringback-backup"
    assert {u["name"] for u in backup["tables"]["web_users"]} == {"admin", STAFF}

    admin.get("/system")
    answer = admin.post_file("/system/restore", "backup", "b.json", json.dumps(backup).encode())
    assert answer.status == 303 and "Restored+the+backup" in answer.location


def test_a_bad_backup_file_is_refused_with_its_problems_listed(admin):
    backup = json.loads(admin.get("/system/backup").body)
    backup["tables"]["pbx"]["extensions"][0]["port"] = "nope"
    admin.get("/system")
    answer = admin.post_file("/system/restore", "backup", "b.json", json.dumps(backup).encode())
    assert answer.status == 200
    assert "the backup was not restored" in answer.body
    assert "<code>pbx.extensions[0].port</code>" in answer.body

    answer = admin.post_file("/system/restore", "backup", "b.json", b"hello")
    assert answer.field_errors()["backup"].startswith("not a backup file (not JSON")


def test_restore_needs_the_csrf_token(admin):
    admin.get("/system")
    admin.token = "forged"
    answer = admin.post_file("/system/restore", "backup", "b.json", b"{}")
    assert answer.status == 403


def test_restart_asks_for_confirmation_first(admin, daemon):
    admin.get("/system")
    answer = admin.post("/system/reboot", {})
    assert answer.field_errors()["confirm"].startswith("tick the box")
    assert daemon.poll() is None
    answer = admin.post("/system/reboot", {"confirm": "yes"})
    assert answer.status == 200 and "The box is restarting" in answer.body
    assert daemon.wait(15) == 3  # RESTART_EXIT: devbox or init starts it again


def test_staff_may_not_open_the_system_page(box_paths, admin):
    staff = WebClient(admin.base)
    assert log_in(staff, STAFF, STAFF_PASSWORD).status == 303
    assert staff.get("/system").status == 403
    assert staff.get("/system/backup").status == 403
