"""API commands of the notifications: the SMTP and modem settings (secrets never read
back), and the outbox (what waits to go out, and why it has not yet)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, ApiError
from firmware.notify.outbox import Outbox
from firmware.notify.settings import NotifySettings
from firmware.pbx.config import FieldError


def register_notify_commands(table: CommandTable, settings: Callable[[], NotifySettings],
                             apply: Callable[[NotifySettings], Awaitable[None]],
                             outbox: Callable[[], Outbox | None]) -> None:
    async def configure(config: dict[str, Any]) -> dict[str, Any]:
        try:
            parsed = NotifySettings.from_doc(config, before=settings())
        except FieldError as e:
            raise ApiError(BAD_ARGS, f"the notification settings have {len(e.problems)} "
                                     f"problem(s): {e}", dict(e.problems)) from None
        await apply(parsed)
        return parsed.to_doc(hide_secrets=True)

    def pending() -> dict[str, Any]:
        box = outbox()
        if box is None:
            raise ApiError(NOT_AVAILABLE, "the outbox is not running")
        return {"channels": sorted(box.channels), "sent": box.sent, "given_up": box.given_up,
                "pending": [{"id": n.id, "channel": n.channel, "to": n.recipient,
                             "subject": n.subject, "attempts": n.attempts,
                             "last_error": n.last_error, "next_try": n.next_try,
                             "tag": n.tag} for n in box.pending()]}

    table.add("notify.config", lambda: settings().to_doc(hide_secrets=True),
              "the SMTP server and GSM modem settings (secrets shown as ********)")
    table.add("notify.configure", configure,
              "replace the notification settings (email, sms: a table each, or null); "
              "a secret sent back as ******** is kept", Arg("config", dict))
    table.add("outbox", pending, "notices waiting to go out by email or SMS, with the "
              "last error of each; counts of sent and given-up ones since start")
