"""A small HTTP client for route tests of the web admin: keeps the session cookie,
does not follow redirects (tests assert them), and finds the page's CSRF token."""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

ADMIN, PASSWORD = "admin", "correct horse battery"
SETUP = {"admin": ADMIN, "password": PASSWORD, "password2": PASSWORD, "country": "DE",
         "line_type": "ptmp", "msns": "5551000, 5551021, 5551022",
         "timezone": "Europe/Berlin"}
CSRF = re.compile(r'name="csrf" value="([^"]*)"')
FIELD_ERROR = re.compile(r'<span class="field-error" id="([^"]+)-error">([^<]*)</span>')


@dataclass
class Answer:
    status: int
    location: str
    body: str
    content_type: str = ""
    raw: bytes = b""  # the body as sent (audio, downloads)

    def field_errors(self) -> dict[str, str]:
        return {html.unescape(name): html.unescape(text)
                for name, text in FIELD_ERROR.findall(self.body) if text}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class WebClient:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.token = ""

    def request(self, path: str, data: dict | bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self._opener.open(req, timeout=15) as r:
                status, head, raw = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, head, raw = e.code, e.headers, e.read()
        answer = Answer(status, head.get("Location", ""), raw.decode(errors="replace"),
                        head.get("Content-Type", ""), raw)
        if m := CSRF.search(answer.body):
            self.token = m.group(1)
        return answer

    def get(self, path: str) -> Answer:
        return self.request(path)

    def post(self, path: str, data: dict, csrf: bool = True) -> Answer:
        """POST a form, with the CSRF token of the last page seen unless csrf=False."""
        if csrf and "csrf" not in data:
            if not self.token:
                self.get(path)
            data = {**data, "csrf": self.token}
        return self.request(path, data)

    def post_file(self, path: str, field: str, filename: str, content: bytes) -> Answer:
        """POST one file as multipart/form-data, with the last page's CSRF token."""
        boundary = "ringback-test-boundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
                f'{self.token}\r\n--{boundary}\r\nContent-Disposition: form-data; '
                f'name="{field}"; filename="{filename}"\r\n'
                f'Content-Type: application/json\r\n\r\n').encode() + content + \
            f"\r\n--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type":
                                         f"multipart/form-data; boundary={boundary}"})

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((c for c in self.jar if c.name == name), None)


def set_up(client: WebClient, **changes: str) -> Answer:
    """The first-boot setup through the form; the client is then logged in."""
    client.get("/setup")
    answer = client.post("/setup", {**SETUP, **changes})
    assert answer.status == 303, answer.field_errors() or answer.body[:500]
    return answer


def log_in(client: WebClient, name: str = ADMIN, password: str = PASSWORD) -> Answer:
    client.get("/login")
    return client.post("/login", {"name": name, "password": password})
