"""webadmin/auth.py: scrypt hashes, signed session cookies, CSRF tokens, throttling."""

from __future__ import annotations

from webadmin.auth import (
    Sessions,
    Throttle,
    hash_password,
    password_problem,
    verify_password,
)


def test_scrypt_hash_is_salted_encoded_and_verifies():
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b  # random salt
    kind, n, r, p, salt, digest = a.split("$")
    assert (kind, n, r, p) == ("scrypt", "16384", "8", "1")
    assert verify_password("correct horse", a) and verify_password("correct horse", b)
    assert not verify_password("correct horsf", a)


def test_malformed_hashes_never_verify_and_never_raise():
    for bad in ("", "plain", "scrypt$x$8$1$AA==$AA==", "md5$1$1$1$AA==$AA==",
                "scrypt$16384$8$1$!!$AA==", "scrypt$3$8$1$AAAA$AAAA"):
        assert verify_password("anything", bad) is False


def test_password_rules():
    assert password_problem("short") == "at least 10 characters"
    assert password_problem(" leading space x") == "no spaces at the start or end"
    assert password_problem("long enough pass") is None


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_session_cookie_round_trip_and_tampering():
    clock = Clock()
    sessions = Sessions("s3cret", clock=clock, lifetime=60)
    s = sessions.new("admin")
    cookie = sessions.encode(s)
    assert sessions.decode(cookie) == s.__class__(s.sid, "admin", float(int(s.expires)))
    sid, user, expires, mac = cookie.split("|")
    assert sessions.decode(f"{sid}|root|{expires}|{mac}") is None  # another user
    assert sessions.decode(f"{sid}|admin|{int(expires) + 999}|{mac}") is None  # longer life
    assert Sessions("other", clock=clock).decode(cookie) is None  # another box's secret
    assert sessions.decode("garbage") is None and sessions.decode(None) is None
    clock.now += 61
    assert sessions.decode(cookie) is None  # expired


def test_revoked_session_is_refused():
    sessions = Sessions("k")
    s = sessions.new("admin")
    cookie = sessions.encode(s)
    sessions.revoke(s)
    assert sessions.decode(cookie) is None


def test_csrf_token_is_bound_to_the_session():
    sessions = Sessions("k")
    a, b = sessions.new(), sessions.new()
    token = sessions.csrf_token(a)
    assert sessions.csrf_ok(a, token)
    assert not sessions.csrf_ok(b, token)
    assert not sessions.csrf_ok(a, "") and not sessions.csrf_ok(a, None)


def test_throttle_locks_out_after_failures_and_doubles():
    clock = Clock()
    t = Throttle(allowed=3, base=10, longest=25, clock=clock)
    for _ in range(2):
        t.failed("1.2.3.4")
        assert t.wait("1.2.3.4") == 0
    t.failed("1.2.3.4")
    assert t.wait("1.2.3.4") == 10
    assert t.wait("5.6.7.8") == 0  # per client
    clock.now += 10
    t.failed("1.2.3.4")
    assert t.wait("1.2.3.4") == 20
    clock.now += 20
    t.failed("1.2.3.4")
    assert t.wait("1.2.3.4") == 25  # capped
    t.succeeded("1.2.3.4")
    assert t.wait("1.2.3.4") == 0
