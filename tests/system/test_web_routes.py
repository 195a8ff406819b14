"""Every route of the web admin, from its own route table, against the real daemon: each
one needs a login, admin pages refuse staff users, and every form refuses a request
without the session's CSRF token. Only the routes named in OPEN go without a login."""

from __future__ import annotations

import re

import pytest

from tests.system.test_public_staff import STAFF, STAFF_PASSWORD
from tests.system.webclient import WebClient, log_in
from webadmin.app import make_app

OPEN = {"/healthz", "/static/<name:path>", "/setup", "/login", "/logout"}
STAFF_ROUTES = {"/", "/dashboard/events", "/status.json", "/staff", "/staff/events",
                "/staff/card", "/staff/note", "/staff/ticket"}
STREAMS = {"/dashboard/events", "/staff/events"}
SAMPLES = {"name": "office", "link_id": "office", "mailbox": "21", "message": "1"}
ROUTES = [(r.method, r.rule) for r in make_app().routes if r.rule not in OPEN]


def path_of(rule: str) -> str:
    path = re.sub(r"<(\w+)(:[^>]*)?>", lambda m: SAMPLES[m.group(1)], rule)
    return path.replace("/users/office", "/users/jana")


def test_only_the_known_routes_go_without_a_login():
    unguarded = {r.rule for r in make_app().routes
                 if {"rb_open", "rb_public", "rb_setup"} & set(r.config)}
    assert unguarded == OPEN
    assert STAFF_ROUTES <= {rule for _, rule in ROUTES}  # none of them went missing


@pytest.fixture
def staff(admin) -> WebClient:
    client = WebClient(admin.base)
    log_in(client, STAFF, STAFF_PASSWORD)
    return client


@pytest.mark.parametrize(("method", "rule"), ROUTES, ids=[f"{m} {r}" for m, r in ROUTES])
def test_login_role_and_form_token(admin, staff, method, rule):
    path = path_of(rule)
    anonymous = WebClient(admin.base)
    if method == "GET":
        answer = anonymous.get(path)
        assert answer.status == 303 and "/login?next=" in answer.location
        if rule not in STAFF_ROUTES:
            assert staff.get(path).status == 403
        elif rule not in STREAMS:
            assert staff.get(path).status != 403
        return
    assert anonymous.post(path, {}).status in (303, 403)  # to the login, or no token
    assert staff.post(path, {"csrf": "forged"}).status == 403
    assert admin.post(path, {"csrf": "forged"}).status == 403
    assert admin.post(path, {}, csrf=False).status == 403
    if rule not in STAFF_ROUTES:
        staff.get("/staff")  # a real token of the staff user's session
        assert staff.post(path, {}).status == 403
