"""API commands of the web admin: its users, session secret and first-boot state
(web_state.py), the first-boot setup (web_setup.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.web_setup import apply_setup, check_setup
from firmware.api.web_state import WebState


def register_web_commands(table: CommandTable, state: WebState,
                          extensions: Callable[[], tuple[str, ...]],
                          trunk_mode: Callable[[], str]) -> None:
    async def setup(answers: dict[str, Any]) -> dict[str, Any]:
        return await apply_setup(answers, state, table.run, trunk_mode)

    table.add("web.state", state.state, "the web admin's state: setup_done, the session-"
              "signing secret (made once), the number of users")
    table.add("web.public_secret", state.public_secret, "the key (hex) that signs the "
              "public side's visitor tokens (made once)")
    table.add("web.users", state.users, "the web admin's users (name, role, extension)")
    table.add("web.user", state.user, "one user with its password hash (for the web "
              "admin's login check)", Arg("name", str))
    table.add("web.user.add", lambda name, role, password_hash, extension="":
              state.add_user(name, role, password_hash, extension, extensions()),
              "add a web admin user; staff users name their extension",
              Arg("name", str), Arg("role", str, help="admin or staff"),
              Arg("password_hash", str, help="scrypt$n$r$p$salt$hash"),
              Arg("extension", str, required=False))
    table.add("web.user.remove", state.remove_user,
              "remove a web admin user (never the last admin)", Arg("name", str))
    table.add("web.user.password", state.set_password, "set a user's password hash",
              Arg("name", str), Arg("password_hash", str))
    table.add("setup", setup, "the first-boot setup (once): admin, password_hash, country, "
              "line_type ptmp|ptp, msns or ddi (FIRST-LAST), timezone", Arg("answers", dict))
    table.add("setup.check", lambda answers: check_setup(answers, table.run),
              "check the setup's answers without applying them (no password_hash needed)",
              Arg("answers", dict))
