"""Plain-text email through an SMTP server, with the standard library only.

    settings = EmailSettings(host="mail.office.example", sender="Ringback <box@office.example>",
                             security="starttls", username="box", password="...")
    send_email(settings, "jana@office.example", "Missed callback", "Visitor: +420 ...",
               attachments=[Path("/data/voicemail/42.wav")])

The message is RFC 5322 with MIME (RFC 2045): text/plain in UTF-8, encoded
quoted-printable or base64 (whichever is shorter) so it passes servers without 8BITMIME;
a non-ASCII subject or display name becomes RFC 2047 encoded words. Transport is SMTP
(RFC 5321), optionally upgraded with STARTTLS (RFC 3207) or wrapped in TLS from the first
byte ("submissions", RFC 8314), with AUTH (RFC 4954) when a username is set.

Every failure is a NotifyError whose message says which step failed (connect, TLS,
login, sender, recipient, data) and what the server answered; 5xx answers to the
envelope are `permanent` (retrying cannot help), 4xx and network trouble are not.
Delivery is at least once: if the connection drops after the message went out but
before the server's 250, a retry sends it again, with the same Message-ID when the
caller passes one (the outbox does), so mail clients can fold the copies.
"""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import mimetypes
import smtplib
import socket
import ssl
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from firmware.log import get_logger

from .errors import NotifyError

log = get_logger("notify.email")

SECURITY_MODES = ("none", "starttls", "ssl")
_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}

# Headers send_email sets itself; letting callers replace them would break the message.
_RESERVED_HEADERS = frozenset(
    {"from", "to", "cc", "bcc", "subject", "mime-version", "content-type",
     "content-transfer-encoding", "content-disposition"}
)

# cte_type 7bit makes set_content pick quoted-printable or base64 for UTF-8 text instead
# of raw 8bit, which a server without 8BITMIME (RFC 6152) may mangle.
_POLICY = email.policy.default.clone(cte_type="7bit")


@dataclass(frozen=True)
class EmailSettings:
    """How to reach the office's SMTP server.

    port None picks the usual port of the security mode: 25 plain, 587 STARTTLS,
    465 TLS from the start. `cafile` trusts a specific CA (an office server with its own
    certificate); without it the system's store is used. Certificates are always
    verified when TLS is on.
    """

    host: str
    sender: str
    port: int | None = None
    security: str = "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    cafile: str | None = None
    helo_name: str | None = None  # EHLO name; None lets smtplib use the host's FQDN

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("SMTP host must not be empty")
        if self.security not in SECURITY_MODES:
            raise ValueError(f"security must be one of {', '.join(SECURITY_MODES)}, "
                             f"not {self.security!r}")
        if self.port is None:
            object.__setattr__(self, "port", _DEFAULT_PORTS[self.security])
        elif not 0 < self.port < 65536:
            raise ValueError(f"SMTP port must be 1..65535, not {self.port}")
        if (self.username is None) != (self.password is None):
            raise ValueError("SMTP username and password go together: set both or neither")
        if self.timeout <= 0:
            raise ValueError(f"SMTP timeout must be positive, not {self.timeout}")
        try:
            parse_mailbox(self.sender)
        except NotifyError as e:
            raise ValueError(f"sender: {e}") from None

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def parse_mailbox(text: str) -> Address:
    """One mailbox, "jana@example.cz" or "Jana Nováková <jana@example.cz>", checked.

    Raises a permanent NotifyError saying what is wrong: a bad address never gets better.
    """
    if any(c in text for c in "\r\n"):
        raise NotifyError(f"email address {text!r} contains a line break", permanent=True)
    found = email.utils.getaddresses([text])
    if len(found) > 1:
        raise NotifyError(f"{text!r} is more than one email address", permanent=True)
    if not found or not found[0][1]:
        raise NotifyError(f"{text!r} is not a valid email address", permanent=True)
    name, addr_spec = found[0]
    try:
        address = Address(display_name=name, addr_spec=addr_spec)
    except (ValueError, IndexError, HeaderParseError) as e:
        raise NotifyError(f"{text!r} is not a valid email address ({e})", permanent=True) from None
    if not address.username or not address.domain:
        raise NotifyError(f"{text!r} is not a valid email address (needs name@domain)",
                          permanent=True)
    return address


def check_address(text: str) -> str:
    """The address as given if it is one valid mailbox; raises NotifyError otherwise."""
    parse_mailbox(text)
    return text.strip()


def build_message(
    sender: Address,
    recipients: Sequence[Address],
    subject: str,
    body: str,
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[Path | str] = (),
) -> EmailMessage:
    """The message as it goes on the wire: headers, UTF-8 text, attachments."""
    for name, value in [("Subject", subject), *(headers or {}).items()]:
        if any(c in value for c in "\r\n") or any(c in name for c in "\r\n:"):
            raise NotifyError(f"header {name!r} contains a line break", permanent=True)
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = sender
    msg["To"] = recipients
    msg["Subject"] = subject
    msg["Date"] = email.utils.formatdate(localtime=True)
    for name, value in (headers or {}).items():
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(f"header {name!r} is set by send_email itself")
        del msg[name]  # a caller's Date or Message-ID replaces ours
        msg[name] = value
    if "Message-ID" not in msg:
        msg["Message-ID"] = email.utils.make_msgid(domain=sender.domain)
    msg.set_content(body.replace("\r\n", "\n"), charset="utf-8")
    for item in attachments:
        path = Path(item)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise NotifyError(f"attachment {path} cannot be read: {e.strerror or e}",
                              permanent=True) from None
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    return msg


def send_email(
    settings: EmailSettings,
    to: str | Sequence[str],
    subject: str,
    body: str,
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[Path | str] = (),
) -> str:
    """Send one plain-text email; returns its Message-ID. Blocking: run it off the loop.

    With several recipients of which only some are refused, the others have the
    message: that raises a permanent NotifyError naming the refused ones, so nobody
    gets it twice from a retry.
    """
    sender = parse_mailbox(settings.sender)
    recipients = [parse_mailbox(t) for t in ([to] if isinstance(to, str) else to)]
    if not recipients:
        raise NotifyError("an email needs at least one recipient", permanent=True)
    msg = build_message(sender, recipients, subject, body, headers, attachments)
    rcpt = [r.addr_spec for r in recipients]
    with _session(settings) as smtp:
        refused = _transfer(settings, smtp, msg, sender.addr_spec, rcpt)
    if refused:
        raise NotifyError(
            f"SMTP server {settings.server} delivered to "
            f"{', '.join(a for a in rcpt if a not in refused)} but refused "
            + "; ".join(f"{a} ({_reply(*r)})" for a, r in refused.items()),
            permanent=True,
        )
    log.info("email_sent", server=settings.server, to=",".join(rcpt),
             message_id=msg["Message-ID"], bytes=len(msg.as_bytes()))
    return str(msg["Message-ID"])


@contextlib.contextmanager
def _session(settings: EmailSettings):
    """A connected, greeted, secured and logged-in SMTP client; QUIT on the way out."""
    server = settings.server
    context = None
    if settings.security != "none":
        context = ssl.create_default_context(cafile=settings.cafile)
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, settings.helo_name, timeout=settings.timeout,
                context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, settings.helo_name,
                                timeout=settings.timeout)
    except smtplib.SMTPConnectError as e:
        raise NotifyError(f"SMTP server {server} refused the connection: "
                          f"{_reply(e.smtp_code, e.smtp_error)}",
                          permanent=False) from None
    except ssl.SSLError as e:
        raise NotifyError(f"TLS with SMTP server {server} failed: {_ssl_reason(e)}") from None
    except OSError as e:
        raise NotifyError(f"cannot connect to SMTP server {server}: "
                          f"{_os_reason(e, settings.timeout)}") from None
    try:
        if settings.security == "starttls":
            _starttls(smtp, server, context, settings.timeout)
        if settings.username is not None:
            _login(smtp, settings)
        yield smtp
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        smtp.close()


def _starttls(smtp: smtplib.SMTP, server: str, context: ssl.SSLContext | None,
              timeout: float) -> None:
    try:
        smtp.starttls(context=context)
    except smtplib.SMTPNotSupportedError:
        raise NotifyError(f"SMTP server {server} does not offer STARTTLS "
                          "(set security to \"none\" or \"ssl\")") from None
    except smtplib.SMTPResponseException as e:
        raise NotifyError(f"SMTP server {server} refused STARTTLS: "
                          f"{_reply(e.smtp_code, e.smtp_error)}") from None
    except ssl.SSLError as e:
        raise NotifyError(f"TLS with SMTP server {server} failed: {_ssl_reason(e)}") from None
    except OSError as e:
        raise NotifyError(f"SMTP server {server} dropped the connection during STARTTLS: "
                          f"{_os_reason(e, timeout)}") from None


def _login(smtp: smtplib.SMTP, settings: EmailSettings) -> None:
    server = settings.server
    assert settings.username is not None and settings.password is not None
    try:
        smtp.login(settings.username, settings.password)
    except smtplib.SMTPAuthenticationError as e:
        # Not permanent: the installer can fix the password and the notice still goes.
        raise NotifyError(f"SMTP server {server} refused the login as {settings.username!r}: "
                          f"{_reply(e.smtp_code, e.smtp_error)}") from None
    except smtplib.SMTPNotSupportedError:
        hint = "" if settings.security != "none" else \
            " (many servers offer AUTH only after STARTTLS)"
        raise NotifyError(f"SMTP server {server} does not offer AUTH{hint}") from None
    except smtplib.SMTPException as e:
        raise NotifyError(f"SMTP login at {server} failed: {_smtp_reason(e)}") from None
    except OSError as e:
        raise NotifyError(f"SMTP server {server} dropped the connection during login: "
                          f"{_os_reason(e, settings.timeout)}") from None


def _transfer(settings: EmailSettings, smtp: smtplib.SMTP, msg: EmailMessage, sender: str,
              rcpt: list[str]) -> dict[str, tuple[int, bytes]]:
    """MAIL, RCPT, DATA; returns the recipients refused while others were accepted."""
    server = settings.server
    try:
        return smtp.send_message(msg, sender, rcpt)
    except smtplib.SMTPRecipientsRefused as e:
        refused = e.recipients
        permanent = all(500 <= code < 600 for code, _ in refused.values())
        raise NotifyError(
            f"SMTP server {server} refused the recipient"
            f"{'s' if len(refused) > 1 else ''} "
            + "; ".join(f"{a} ({_reply(*r)})" for a, r in refused.items()),
            permanent=permanent,
        ) from None
    except smtplib.SMTPSenderRefused as e:
        raise NotifyError(f"SMTP server {server} refused the sender {sender}: "
                          f"{_reply(e.smtp_code, e.smtp_error)}",
                          permanent=_is_permanent(e.smtp_code)) from None
    except smtplib.SMTPDataError as e:
        raise NotifyError(f"SMTP server {server} refused the message: "
                          f"{_reply(e.smtp_code, e.smtp_error)}",
                          permanent=_is_permanent(e.smtp_code)) from None
    except smtplib.SMTPNotSupportedError as e:
        raise NotifyError(f"SMTP server {server} cannot take this message: {e}",
                          permanent=True) from None
    except smtplib.SMTPServerDisconnected as e:
        raise NotifyError(f"SMTP server {server} dropped the connection while sending: "
                          f"{e}") from None
    except smtplib.SMTPException as e:
        raise NotifyError(f"sending through SMTP server {server} failed: "
                          f"{_smtp_reason(e)}") from None
    except OSError as e:
        raise NotifyError(f"connection to SMTP server {server} failed while sending: "
                          f"{_os_reason(e, settings.timeout)}") from None


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600  # RFC 5321 §4.2.1: 5yz is a permanent negative completion


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def _smtp_reason(e: smtplib.SMTPException) -> str:
    if isinstance(e, smtplib.SMTPResponseException):
        return _reply(e.smtp_code, e.smtp_error)
    return str(e) or type(e).__name__


def _ssl_reason(e: ssl.SSLError) -> str:
    if isinstance(e, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({e.verify_message})"
    return e.reason or str(e)


def _os_reason(e: OSError, timeout: float) -> str:
    # smtplib turns a read timeout into SMTPServerDisconnected("...: timed out").
    if isinstance(e, TimeoutError) or str(e).endswith("timed out"):
        return f"no answer within {timeout:g} s"
    if isinstance(e, socket.gaierror):
        return f"host name not found ({e.strerror})"
    if isinstance(e, ConnectionRefusedError):
        return "connection refused (is the server running on that port?)"
    if isinstance(e, smtplib.SMTPServerDisconnected):
        return str(e) or "connection closed"
    return e.strerror or str(e) or type(e).__name__
