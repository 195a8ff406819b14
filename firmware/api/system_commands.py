"""API commands for the box as a whole: backup and restore of its settings, the recent
log lines, and a restart (System page of the web admin, and the console)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from firmware import __version__
from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, ApiError
from firmware.log import RECENT
from firmware.store.database import Store
from firmware.system.backup import BackupError, check_backup, make_backup, write_web_tables

MAX_LOG_LINES = 2000


def register_system_commands(table: CommandTable, store: Callable[[], Store],
                             live: Callable[[], dict[str, Any]],
                             ports: Callable[[], Iterable[str]],
                             restart: Callable[[str], None]) -> None:
    async def restore(backup: dict[str, Any]) -> dict[str, Any]:
        try:
            checked = check_backup(backup, ports())
        except BackupError as e:
            raise ApiError(BAD_ARGS, f"the backup was not restored: {len(e.problems)} "
                                     f"problem(s): {e}", dict(e.problems)) from None
        # Each part goes through its service's own command, so it is applied live.
        restored = []
        for name, command, settings in (("pbx", "pbx.configure", checked.pbx),
                                        ("callback", "callback.configure", checked.callback),
                                        ("notify", "notify.configure", checked.notify)):
            if settings is not None:
                await table.run(command, {"config": settings.to_doc()})
                restored.append(name)
        write_web_tables(store(), checked.web, checked.users)
        restored += ["web", "web_users"]
        return {"restored": restored, "users": len(checked.users),
                "made": backup.get("made"), "firmware": backup.get("firmware")}

    def logs(lines: int = 200) -> dict[str, Any]:
        if not 1 <= lines <= MAX_LOG_LINES:
            raise ApiError(BAD_ARGS, f"lines must be 1..{MAX_LOG_LINES}, not {lines}",
                           {"lines": f"1 to {MAX_LOG_LINES}"})
        return {"lines": RECENT.last(lines), "kept": RECENT.lines.maxlen}

    def reboot(reason: str = "") -> dict[str, Any]:
        restart(reason or "asked through the API")
        return {"restarting": True}

    table.add("system.backup", lambda: make_backup(store(), live(), __version__),
              "the office's settings as one JSON document (PBX, callback, notifications, "
              "web users; with secrets): keep it safe")
    table.add("system.restore", restore, "replace the settings with a backup's (checked "
              "as a whole first; applied live)", Arg("backup", dict))
    table.add("system.logs", logs, "the most recent log lines",
              Arg("lines", int, required=False, help=f"1..{MAX_LOG_LINES}, default 200"))
    table.add("system.reboot", reboot, "restart the box's software (calls in progress "
              "end)", Arg("reason", str, required=False))

