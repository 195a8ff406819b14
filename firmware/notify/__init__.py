"""Notifications: missed or failed contacts reported by email (SMTP) and SMS (GSM modem).

    email.py      send_email(): plain-text UTF-8 mail with attachments through smtplib
    sms.py        send_sms(): AT commands to a GSM modem over pyserial, text mode
    gsm_alphabet.py, at_codes.py   the GSM 7-bit alphabet; +CME/+CMS error meanings
    outbox.py     Outbox: a durable journal of notices, retried with backoff until sent
    channels.py   EmailChannel / SmsChannel: what the outbox sends a Notice with
    runners.py    where blocking sends run: inline (tests) or worker threads (daemon)

Everything raises NotifyError with a sentence for a person.
"""

from .channels import Channel, EmailChannel, SmsChannel
from .email import EmailSettings, send_email
from .errors import NotifyError
from .outbox import Notice, Outbox, RetryPolicy
from .runners import InlineRunner, ThreadRunner
from .sms import SmsSettings, send_sms

__all__ = [
    "Channel", "EmailChannel", "EmailSettings", "InlineRunner", "Notice", "NotifyError",
    "Outbox", "RetryPolicy", "SmsChannel", "SmsSettings", "ThreadRunner", "send_email",
    "send_sms",
]
