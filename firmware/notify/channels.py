"""The outbox's channels: how a Notice becomes an email or an SMS.

A channel checks a recipient when a notice is queued (a bad address is the caller's
error, reported at once, not after a day of retries) and sends a notice (blocking I/O,
run on a worker thread by the outbox's runner).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .email import EmailSettings, check_address, parse_mailbox, send_email
from .sms import SmsSettings, check_number, send_sms

if TYPE_CHECKING:
    from .outbox import Notice


class Channel(Protocol):
    def check_recipient(self, recipient: str) -> str:
        """The recipient as it will be stored; raises NotifyError if it is not one."""

    def send(self, notice: Notice) -> None:
        """Deliver the notice or raise NotifyError (blocking)."""


class EmailChannel:
    """Notices as plain-text emails; attachments (voicemail WAVs) go along."""

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings
        self._domain = parse_mailbox(settings.sender).domain

    def check_recipient(self, recipient: str) -> str:
        return check_address(recipient)

    def send(self, notice: Notice) -> None:
        # The notice id makes the Message-ID: a retry after a lost 250 is recognisably the
        # same message to the recipient's mail client.
        send_email(self.settings, notice.recipient, notice.subject, notice.body,
                   headers={"Message-ID": f"<notice-{notice.id}@{self._domain}>"},
                   attachments=notice.attachments)


class SmsChannel:
    """Notices as SMS: the subject as the first line, then the body. Attachments are not
    sent (an SMS cannot carry them)."""

    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def check_recipient(self, recipient: str) -> str:
        return check_number(recipient)

    def send(self, notice: Notice) -> None:
        text = f"{notice.subject}\n{notice.body}" if notice.subject else notice.body
        send_sms(self.settings, notice.recipient, text, first_part=notice.progress)
