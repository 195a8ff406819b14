"""Public request tokens: the visitor's handle on their own callback request.

The service numbers requests cb1, cb2, ... — guessable, so the public side never takes
a bare id. It hands out "cb12.<mac>", the id with an HMAC-SHA256 under a secret only
the box knows; a visitor can see and change the request whose token they were given,
and no other. The secret lives in a file (created on first use, mode 0600) so tokens
stay valid across restarts of the web process, as the requests do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

MAC_CHARS = 22  # 132 bits of the MAC, base64url
_ID = re.compile(r"^cb[0-9]{1,12}$")


class TokenSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the token secret needs at least 16 bytes")
        self._secret = secret

    def token(self, request_id: str) -> str:
        return f"{request_id}.{self._mac(request_id)}"

    def request_id(self, token: str) -> str | None:
        """The request a token stands for, or None for anything not signed by us."""
        request_id, _, mac = token.partition(".")
        if not _ID.match(request_id) or len(mac) != MAC_CHARS:
            return None
        return request_id if hmac.compare_digest(mac, self._mac(request_id)) else None

    def _mac(self, request_id: str) -> str:
        digest = hmac.new(self._secret, b"callback-request:" + request_id.encode(),
                          hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:MAC_CHARS]


def load_secret(path: Path) -> bytes:
    """The secret in ``path``, made (32 random bytes) if the file does not exist yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another process made it first
    with os.fdopen(fd, "wb") as f:
        f.write(secret)
        f.flush()
        os.fsync(f.fileno())
    return secret
