"""A real SMTP server (aiosmtpd) on loopback that keeps what arrives, for the email tests.

    with SmtpSink() as sink:
        send_email(EmailSettings(host="127.0.0.1", port=sink.port, ...), ...)
        msg = sink.wait_for(1)[0]      # email.message.EmailMessage, parsed from the wire

It can refuse chosen recipients (`refuse={"x@y": "550 5.1.1 no such user"}`), answer
DATA with an error, be slow, and speak STARTTLS, SMTPS and AUTH with a test certificate.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert.pem, key.pem)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    return cert, key


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@dataclass
class Arrival:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage = field(repr=False)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        answer = self.sink.refuse.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        if self.sink.data_answer:
            return self.sink.data_answer
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self.sink.arrived:
            self.sink.messages.append(Arrival(envelope.mail_from, list(envelope.rcpt_tos), raw,
                                              message))
            self.sink.arrived.notify_all()
        return "250 2.0.0 queued"


class SmtpSink:
    def __init__(self, port: int | None = None, *, starttls: ssl.SSLContext | None = None,
                 implicit_tls: ssl.SSLContext | None = None,
                 users: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.refuse: dict[str, str] = {}
        self.data_answer: str | None = None
        self.delay = 0.0
        self.messages: list[Arrival] = []
        self.logins: list[tuple[str, bool]] = []
        self.arrived = threading.Condition()
        self._users = users
        kwargs: dict = {}
        if starttls is not None:
            kwargs.update(tls_context=starttls, require_starttls=True)
        if implicit_tls is not None:
            kwargs.update(ssl_context=implicit_tls)
        if users is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True)
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      ready_timeout=10, **kwargs)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert self._users is not None
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        ok = self._users.get(login) == auth_data.password.decode()
        self.logins.append((login, ok))
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Arrival]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"{len(self.messages)} emails arrived, expected {count}")
            return list(self.messages)
