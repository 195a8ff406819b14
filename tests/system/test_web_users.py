"""/users against the real daemon: add, validation beside each field, new password,
remove; the last admin and the logged-in user stay."""

from __future__ import annotations

import html

from tests.system.webclient import WebClient, log_in

NEW = "a new password here"


def test_an_admin_adds_a_staff_user_who_then_logs_in(admin):
    admin.get("/users")
    answer = admin.post("/users", {"name": "petr", "role": "staff", "extension": "22",
                                   "password": NEW, "password2": NEW})
    assert answer.status == 303 and "Added+petr" in answer.location
    page = admin.get("/users").body
    assert "<td>petr</td><td>staff</td>" in page.replace("\n      ", "")
    petr = WebClient(admin.base)
    assert log_in(petr, "petr", NEW).status == 303
    assert petr.get("/staff").status == 200 and petr.get("/users").status == 403


def test_every_problem_shows_beside_its_field(admin):
    admin.get("/users")
    answer = admin.post("/users", {"name": "Bad Name", "role": "staff", "extension": "",
                                   "password": "short", "password2": "short"})
    errors = answer.field_errors()
    assert set(errors) == {"name", "extension", "password"}
    assert "at least" in errors["password"]
    assert 'value="Bad Name"' in answer.body  # what was typed comes back
    answer = admin.post("/users", {"name": "jana", "role": "admin", "password": NEW,
                                   "password2": NEW + "x"})
    assert answer.field_errors() == {"name": "there is already a user 'jana'",
                                     "password2": "the two passwords differ"}


def test_a_new_password_replaces_the_old_one(admin):
    assert 'action="/users/jana/password"' in admin.get("/users?password=jana").body
    answer = admin.post("/users/jana/password", {"password": NEW, "password2": NEW})
    assert answer.status == 303
    assert log_in(WebClient(admin.base), "jana", NEW).status == 303


def test_removing_users_keeps_the_last_admin_and_yourself(admin):
    admin.get("/users")
    assert admin.post("/users/jana/remove", {}).status == 303
    assert "jana" not in admin.get("/users").body
    answer = admin.post("/users/admin/remove", {})
    assert "you cannot remove yourself" in answer.body
    answer = admin.post("/users/nobody/remove", {})
    assert "no user 'nobody'" in html.unescape(answer.body)


def test_users_forms_need_the_csrf_token(admin):
    admin.get("/users")
    answer = admin.post("/users/jana/remove", {"csrf": "forged"})
    assert answer.status == 403
    assert "jana" in admin.get("/users").body
