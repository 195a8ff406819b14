"""API commands of the callback service: file, list, status, cancel, reschedule, the
settings, and the caller card staff see.

`callback` answers once the request is on disk (the journal's group commit), so an
accepted request survives a power cut from the moment the visitor is told "accepted".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_FOUND, ApiError
from firmware.callback.cards import CallerCards, CardError
from firmware.callback.guard import Refusal
from firmware.callback.prepaid import PrepaidAccounts, PrepaidError
from firmware.callback.service import CallbackService, RequestRejected
from firmware.callback.settings import CallbackSettings
from firmware.callback.visitor import NumberRejected, parse_visitor_number, region_of
from firmware.pbx.config import FieldError

REFUSED = "refused"  # the abuse guard said no; the message says when to try again
FORM_FIELDS = ("name", "email", "note", "country", "when", "page_url", "page_title",
               "referrer", "language", "ip", "cookie", "pin")


def register_callback_commands(table: CommandTable, service: Callable[[], CallbackService],
                               save_settings: Callable[[CallbackSettings], None]) -> None:
    async def file(link: str, number: str, **form: Any) -> dict[str, Any]:
        svc = service()
        try:
            req = svc.file(link, {"number": number, **form})
        except RequestRejected as e:
            raise ApiError(BAD_ARGS, e.message, {e.field: e.message}, e.reason) from None
        except Refusal as e:
            raise ApiError(REFUSED, e.message, reason=f"refused-{e.code}") from None
        done = asyncio.get_running_loop().create_future()
        svc.journal.when_durable(lambda: done.done() or done.set_result(None))
        await done
        return svc.status(req.id)

    def status(id: str) -> dict[str, Any]:
        try:
            return service().status(id)
        except KeyError:
            raise ApiError(NOT_FOUND, f"no callback request {id}") from None

    def change(action: str) -> Callable[..., dict[str, Any]]:
        def handler(id: str, when: str = "") -> dict[str, Any]:
            svc = service()
            try:
                req = svc.cancel(id) if action == "cancel" else svc.reschedule(id, when)
            except KeyError:
                raise ApiError(NOT_FOUND, f"no callback request {id}") from None
            except RequestRejected as e:
                raise ApiError(BAD_ARGS, e.message, {e.field: e.message}, e.reason) from None
            return svc.status(req.id)
        return handler

    def configure(config: dict[str, Any]) -> dict[str, Any]:
        try:
            settings = CallbackSettings.from_doc(config)
        except FieldError as e:
            raise ApiError(BAD_ARGS, f"the callback settings have {len(e.problems)} "
                                     f"problem(s): {e}", dict(e.problems)) from None
        save_settings(settings)
        service().reconfigure(settings)
        return settings.to_doc()

    form_args = [Arg(name, str, required=False) for name in FORM_FIELDS]
    table.add("callback", file, "file a callback request as the web form does",
              Arg("link", str), Arg("number", str), *form_args,
              Arg("consent", bool, required=False))
    table.add("callbacks", lambda open_only=False: service().list(open_only),
              "callback requests with their states", Arg("open_only", bool, required=False))
    table.add("callback.status", status, "one request as its visitor sees it",
              Arg("id", str))
    table.add("callback.cancel", change("cancel"), "cancel a request", Arg("id", str))
    table.add("callback.reschedule", change("reschedule"), "give a request a new time",
              Arg("id", str), Arg("when", str, help="now, 2m, 5m, Nm or an ISO time"))
    table.add("callback.config", lambda: service().settings.to_doc(),
              "callback links and working-day profiles")
    table.add("callback.configure", configure, "replace the callback settings",
              Arg("config", dict))
    table.add("callback.card", lambda number: service().card(number),
              "what staff see about a caller: earlier contacts, notes, open tickets",
              Arg("number", str, help="+CC form, e.g. +49301234567"))

    def on_card(action: Callable[[CallerCards], Any]) -> Any:
        cards = service().cards
        if cards is None:
            raise ApiError(NOT_FOUND, "caller cards are not kept here")
        try:
            return action(cards)
        except CardError as e:
            raise ApiError(BAD_ARGS, str(e)) from None

    table.add("callback.note", lambda number, text, author="": on_card(
        lambda c: c.add_note(number, text, author)), "add a note to a caller's card",
        Arg("number", str), Arg("text", str), Arg("author", str, required=False))
    table.add("callback.ticket", lambda number, title, author="": on_card(
        lambda c: c.add_ticket(number, title, author)), "open a ticket on a caller's card",
        Arg("number", str), Arg("title", str), Arg("author", str, required=False))
    table.add("callback.ticket_state", lambda number, ticket, state: on_card(
        lambda c: c.set_ticket(number, ticket, state)), "close or reopen a ticket",
        Arg("number", str), Arg("ticket", int), Arg("state", str, help="open or closed"))

    def on_prepaid(action: Callable[[PrepaidAccounts], Any]) -> Any:
        accounts = service().prepaid
        if accounts is None:
            raise ApiError(NOT_FOUND, "prepaid accounts are not kept here")
        try:
            return action(accounts)
        except PrepaidError as e:
            raise ApiError(BAD_ARGS, str(e), {e.field: str(e)}) from None

    def top_up(number: str, minutes: float, pin: str = "") -> dict[str, Any]:
        e164 = _e164(number)
        return on_prepaid(lambda a: a.top_up(e164, minutes, pin or None).to_dict())

    def _e164(number: str) -> str:
        try:
            return parse_visitor_number(number, service().country, service().country,
                                        (region_of(number),) if number.startswith("+")
                                        else ()).e164
        except NumberRejected as e:
            raise ApiError(BAD_ARGS, str(e), {"number": str(e)}) from None

    table.add("prepaid.topup", top_up, "add minutes to a visitor's prepaid account (a new "
              "account needs a PIN of 4-8 digits)", Arg("number", str),
              Arg("minutes", float), Arg("pin", str, required=False))
    table.add("prepaid.accounts", lambda: on_prepaid(
        lambda a: [x.to_dict() for x in a.accounts()]), "prepaid accounts and their balances")
