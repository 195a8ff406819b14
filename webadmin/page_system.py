"""/system: version, backup download and restore upload, recent logs, restart."""

from __future__ import annotations

import json
import time
from typing import Any

import bottle

from firmware.api.protocol import ApiError
from webadmin.pages import Web

MAX_BACKUP_BYTES = 2 * 1024 * 1024  # a backup is settings only: a few hundred KB at most
LOG_LINES = (100, 200, 500, 2000)


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("System", "/system")

    def page(restore_errors: dict[str, str] | None = None, **values: Any) -> str:
        lines = bottle.request.query.get("lines", "200")
        count = int(lines) if lines.isdigit() and int(lines) in LOG_LINES else 200
        return web.render("system", s=web.api("status"), log_lines=LOG_LINES, count=count,
                          logs=web.api("system.logs", lines=count)["lines"],
                          restore_errors=restore_errors or {}, **values)

    @app.get("/system")
    @web.require("admin")
    def system() -> str:
        return page()

    @app.get("/system/backup")
    @web.require("admin")
    def backup() -> str:
        doc = web.api("system.backup")
        name = time.strftime("ringback-backup-%Y%m%d-%H%M.json", time.gmtime())
        bottle.response.content_type = "application/json"
        bottle.response.set_header("Content-Disposition", f'attachment; filename="{name}"')
        bottle.response.set_header("Cache-Control", "no-store")  # it holds secrets
        return json.dumps(doc, indent=1, sort_keys=True)

    @app.post("/system/restore")
    @web.require("admin")
    def restore() -> str:
        upload = bottle.request.files.get("backup")
        if upload is None or not upload.raw_filename:
            return page({"backup": "choose the backup file to restore"})
        data = upload.file.read(MAX_BACKUP_BYTES + 1)
        if len(data) > MAX_BACKUP_BYTES:
            return page({"backup": f"larger than {MAX_BACKUP_BYTES // 1024} KB: not a "
                                   "backup of this box"})
        try:
            doc = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            return page({"backup": f"not a backup file (not JSON: {e})"})
        try:
            result = web.api("system.restore", backup=doc)
        except ApiError as e:
            return page(web.form_errors(e) or {"backup": e.message})
        web.redirect("/system", flash=f"Restored the backup made {result.get('made') or '?'} "
                                      f"({result['users']} users). If it brought other users"
                                      ", log in with theirs.")

    @app.post("/system/reboot")
    @web.require("admin")
    def reboot() -> str:
        if bottle.request.forms.get("confirm") != "yes":
            return page(reboot_error="tick the box to confirm: calls in progress end")
        web.api("system.reboot", reason=f"web admin, {web.user['name']}")
        return web.render("restarting")
