"""What a missed or failed callback says, and to whom: the visitor gets an email (when
they left an address), staff get an email and an SMS (the link's notify_email and
notify_sms). Text only; what the visitor typed goes into bodies, never into a header
(the subject names the office and the number, which the box validated).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from firmware.callback.model import CallbackRequest
from firmware.callback.settings import Link


@dataclass(frozen=True)
class Message:
    channel: str  # "email" or "sms"
    to: str
    subject: str
    body: str


def messages(req: CallbackRequest, link: Link, why: str) -> list[Message]:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(req.ended_at or time.time()))
    out = []
    if req.email:
        body = (f"Hello{' ' + req.name if req.name else ''},\n\n"
                f"you asked {link.company} to call you back at {req.number}. We tried "
                f"{req.visitor_attempts or 1} time(s), the last at {when}, but could not "
                f"reach you ({why}).\n\n")
        if req.page_url:
            body += f"You can ask for another call on the page you came from:\n{req.page_url}\n\n"
        body += f"-- \n{link.company}\n"
        out.append(Message("email", req.email, f"{link.company}: we could not reach you",
                           body))
    details = [f"Number: {req.number}", f"Name: {req.name or '-'}",
               f"Reason: {why}", f"Attempts: staff {req.staff_attempts}, "
               f"visitor {req.visitor_attempts}", f"Request: {req.id} (link {link.id})"]
    if req.page_url:
        details.append(f"Page: {req.page_url}")
    if req.note:
        details.append(f"Note: {req.note}")
    if link.notify_email:
        out.append(Message("email", link.notify_email, f"Missed callback: {req.number}",
                           "A callback could not be completed.\n\n" + "\n".join(details)
                           + "\n"))
    if link.notify_sms:
        name = f" ({req.name[:30]})" if req.name else ""
        out.append(Message("sms", link.notify_sms, "Missed callback",
                           f"{req.number}{name}: {why}. Request {req.id}."))
    return out
