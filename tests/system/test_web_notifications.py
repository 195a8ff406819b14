"""/notifications against the real daemon: SMTP and modem settings save live, problems
show beside their fields, secrets are never sent to the browser and are kept when left
empty, and the outbox is shown."""

from __future__ import annotations

from tests.system.test_callback import ctl_json
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD
from tests.system.test_web_pbx import form_of
from tests.system.webclient import WebClient, log_in

SECRET = "s3cret-Passw0rd"


def notify_config(box_paths) -> dict:
    return ctl_json(box_paths, "call", "notify.config")


def email_form(admin) -> dict:
    form = form_of(admin.get("/notifications").body)
    return form | {"email.on": "1", "email.host": "mail.example.com",
                   "email.security": "starttls", "email.port": "",
                   "email.sender": "Ringback <ringback@example.com>",
                   "email.username": "ringback", "email.password": SECRET}


def test_email_and_sms_save_and_the_secrets_stay_on_the_box(admin, box_paths):
    page = admin.get("/notifications")
    assert page.status == 200 and "Nothing waits to go out." in page.body
    form = email_form(admin) | {"sms.on": "1", "sms.device": "/dev/ttyUSB0",
                                "sms.baudrate": "", "sms.pin": "1234", "sms.max_parts": "2"}
    answer = admin.post("/notifications", form)
    assert answer.status == 303, answer.field_errors()
    doc = notify_config(box_paths)
    assert doc["email"]["host"] == "mail.example.com" and doc["email"]["port"] == 587
    assert doc["email"]["password"] == "********" and doc["sms"]["pin"] == "********"
    assert doc["sms"]["baudrate"] == 115200 and doc["sms"]["max_parts"] == 2

    again = admin.get("/notifications")
    assert SECRET not in again.body and "1234" not in again.body
    assert "stored; leave empty to keep it" in again.body
    kept = form_of(again.body)
    assert kept["email.port"] == "587" and kept["email.password"] == ""
    assert admin.post("/notifications", kept | {"email.host": "smtp.example.com"}).status == 303
    doc = notify_config(box_paths)
    assert doc["email"]["host"] == "smtp.example.com" and doc["email"]["password"] == "********"

    off = form_of(admin.get("/notifications").body)
    del off["sms.on"]
    assert admin.post("/notifications", off).status == 303
    assert notify_config(box_paths)["sms"] is None


def test_problems_show_beside_their_fields(admin, box_paths):
    form = email_form(admin) | {"email.port": "twenty-five", "sms.on": "1",
                                "sms.device": "/dev/ttyUSB0", "sms.max_parts": ""}
    answer = admin.post("/notifications", form)
    assert answer.status == 200 and answer.field_errors()["email.port"] == "a whole number"
    form = email_form(admin) | {"email.sender": "not an address", "sms.on": "1",
                                "sms.device": "/dev/ttyUSB0", "sms.pin": "12"}
    errors = admin.post("/notifications", form).field_errors()
    assert "email.sender" in errors and errors["sms.pin"] == "the SIM PIN must be 4 to 8 digits"
    form = email_form(admin) | {"email.host": ""}
    assert "email.host" in admin.post("/notifications", form).field_errors()
    assert notify_config(box_paths)["email"] is None  # nothing was saved


def test_the_page_is_for_admins_with_a_valid_form_token(admin):
    staff = WebClient(admin.base)
    log_in(staff, STAFF, STAFF_PASSWORD)
    assert staff.get("/notifications").status == 403
    assert "/login?next=" in WebClient(admin.base).get("/notifications").location
    assert admin.post("/notifications", {**email_form(admin), "csrf": "forged"}).status == 403
