"""Passwords, sessions, CSRF tokens and login throttling for the web admin.

- Passwords: scrypt (n=2**14, r=8, p=1, 16 random bytes of salt), encoded as
  `scrypt$n$r$p$salt$hash` (base64); verify recomputes with the stored parameters and
  compares in constant time.
- Sessions: a cookie `rb_session` holding `sid|user|expiry` and its HMAC-SHA256 under the
  daemon-kept secret. Every visitor has one (anonymous until login), so the login and
  setup forms are CSRF-protected too; logging in replaces the sid (no fixation), logging
  out revokes it.
- CSRF: the token of a form is HMAC(secret, "csrf|" + sid): bound to the session, nothing
  to store.
- Throttle: per client address, a lock-out that doubles after each run of failures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD = 10
MAX_PASSWORD = 256

COOKIE = "rb_session"
SESSION_SECONDS = 8 * 3600


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                            maxmem=256 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when `password` matches; False for a mismatch or a malformed hash."""
    try:
        kind, n, r, p, salt, digest = encoded.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest, validate=True)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt, validate=True),
                             n=int(n), r=int(r), p=int(p), dklen=len(want),
                             maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"at most {MAX_PASSWORD} characters"
    if password.strip() != password:
        return "no spaces at the start or end"
    return None


@dataclass(frozen=True)
class Session:
    sid: str
    user: str  # "" for a visitor who has not logged in
    expires: float


class Sessions:
    """Signs and checks session cookies; remembers revoked sids until they expire."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time,
                 lifetime: float = SESSION_SECONDS) -> None:
        self._key = secret.encode()
        self._clock = clock
        self.lifetime = lifetime
        self._revoked: dict[str, float] = {}
        self._lock = threading.Lock()

    def new(self, user: str = "") -> Session:
        return Session(secrets.token_urlsafe(18), user, self._clock() + self.lifetime)

    def encode(self, session: Session) -> str:
        body = f"{session.sid}|{session.user}|{int(session.expires)}"
        return f"{body}|{self._sign('session|' + body)}"

    def decode(self, cookie: str | None) -> Session | None:
        """The session a cookie carries; None if forged, expired or revoked."""
        if not cookie or cookie.count("|") != 3:
            return None
        sid, user, expires, mac = cookie.split("|")
        if not hmac.compare_digest(mac, self._sign(f"session|{sid}|{user}|{expires}")):
            return None
        if not expires.isdigit() or int(expires) <= self._clock():
            return None
        with self._lock:
            if sid in self._revoked:
                return None
        return Session(sid, user, float(expires))

    def revoke(self, session: Session) -> None:
        now = self._clock()
        with self._lock:
            self._revoked = {s: t for s, t in self._revoked.items() if t > now}
            self._revoked[session.sid] = session.expires

    def csrf_token(self, session: Session) -> str:
        return self._sign("csrf|" + session.sid)

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(token, self.csrf_token(session))

    def _sign(self, text: str) -> str:
        mac = hmac.new(self._key, text.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


class Throttle:
    """Login throttling per client: after `allowed` failures in a row, the client waits
    `base` seconds, doubling with each further failure (up to `longest`)."""

    def __init__(self, allowed: int = 5, base: float = 30.0, longest: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.allowed, self.base, self.longest = allowed, base, longest
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # client -> (count, locked until)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds the client must still wait before its next try (0: may try now)."""
        with self._lock:
            _, until = self._failures.get(client, (0, 0.0))
        return max(0.0, until - self._clock())

    def failed(self, client: str) -> None:
        with self._lock:
            count, _ = self._failures.get(client, (0, 0.0))
            count += 1
            until = 0.0
            if count >= self.allowed:
                until = self._clock() + min(self.longest,
                                            self.base * 2 ** (count - self.allowed))
            self._failures[client] = (count, until)
            if len(self._failures) > 10_000:  # a flood of addresses must not grow memory
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
