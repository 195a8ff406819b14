"""Email notifications against a real SMTP server (aiosmtpd) on loopback: what arrives,
and what each kind of failure says."""

from __future__ import annotations

import shutil
import socket
import threading

import pytest

from firmware.media import wav
from firmware.notify import EmailSettings, NotifyError, send_email
from firmware.notify.email import check_address
from tests.unit.smtp_sink import SmtpSink, free_port, make_certificate, server_tls

SENDER = "Ringback Box <box@office.example>"


def settings(port: int, **kw) -> EmailSettings:
    return EmailSettings(host="127.0.0.1", port=port, sender=SENDER, timeout=5,
                         helo_name="box.office.example", **kw)


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    return make_certificate(tmp_path_factory.mktemp("tls"))


def test_utf8_text_headers_and_a_wav_attachment_arrive_intact(sink, tmp_path):
    voicemail = tmp_path / "voicemail-42.wav"
    pcm = wav.pcm_of([(i * 37) % 2000 - 1000 for i in range(8000)])
    wav.write(voicemail, pcm, wav.ALAW)
    body = ("Grüße aus Köln: Jürgen rief an.\n"
            "Пропущенный звонок от Ивана.\n"
            "Zmeškaný hovor – Žluťoučký kůň.\n")
    message_id = send_email(
        settings(sink.port), "Jana Nováková <jana@office.example>",
        "Verpasster Rückruf – Пропущенный звонок", body,
        headers={"X-Ringback-Request": "req-42"}, attachments=[voicemail])

    arrival = sink.wait_for(1)[0]
    msg = arrival.message
    assert arrival.mail_from == "box@office.example"
    assert arrival.rcpt_tos == ["jana@office.example"]
    assert msg["Subject"] == "Verpasster Rückruf – Пропущенный звонок"
    assert msg["From"].addresses[0].display_name == "Ringback Box"
    assert msg["To"].addresses[0].display_name == "Jana Nováková"
    assert msg["Message-ID"] == message_id and message_id.endswith("@office.example>")
    assert msg["X-Ringback-Request"] == "req-42"
    assert msg["Date"] is not None
    text = msg.get_body(("plain",))
    assert text.get_content_charset() == "utf-8"
    assert text.get_content() == body
    # 7-bit clean on the wire: no server needs 8BITMIME for it.
    assert max(arrival.raw) < 0x80
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "voicemail-42.wav"
    assert attachment.get_content_maintype() == "audio"
    got = attachment.get_content()
    assert got == voicemail.read_bytes()
    assert wav.parse(got).encoding == wav.ALAW


def test_a_callers_message_id_is_kept_for_retries(sink):
    mid = send_email(settings(sink.port), "jana@office.example", "s", "b",
                     headers={"Message-ID": "<notice-1@office.example>"})
    assert mid == "<notice-1@office.example>"
    assert sink.wait_for(1)[0].message["Message-ID"] == "<notice-1@office.example>"
    assert len(sink.wait_for(1)[0].message.get_all("Message-ID")) == 1


def test_a_refused_recipient_is_named_and_permanent_for_5xx(sink):
    sink.refuse["nobody@office.example"] = "550 5.1.1 mailbox unavailable"
    with pytest.raises(NotifyError) as err:
        send_email(settings(sink.port), "nobody@office.example", "s", "b")
    assert err.value.permanent
    assert "refused the recipient nobody@office.example (550 5.1.1 mailbox unavailable)" \
        in str(err.value)
    assert sink.messages == []


def test_a_recipient_refused_for_now_4xx_is_retryable(sink):
    sink.refuse["full@office.example"] = "452 4.2.2 mailbox full"
    with pytest.raises(NotifyError) as err:
        send_email(settings(sink.port), "full@office.example", "s", "b")
    assert not err.value.permanent
    assert "452 4.2.2 mailbox full" in str(err.value)


def test_a_partly_refused_list_says_who_got_it(sink):
    sink.refuse["nobody@office.example"] = "550 5.1.1 mailbox unavailable"
    with pytest.raises(NotifyError) as err:
        send_email(settings(sink.port), ["jana@office.example", "nobody@office.example"],
                   "s", "b")
    assert err.value.permanent  # no retry: jana must not get it twice
    assert "delivered to jana@office.example but refused nobody@office.example" \
        in str(err.value)
    assert sink.wait_for(1)[0].rcpt_tos == ["jana@office.example"]


def test_a_refused_message_reports_the_data_answer(sink):
    sink.data_answer = "554 5.6.0 message rejected as spam"
    with pytest.raises(NotifyError, match="refused the message: 554 5.6.0 message rejected"):
        send_email(settings(sink.port), "jana@office.example", "s", "b")


def test_no_server_says_connection_refused():
    with pytest.raises(NotifyError) as err:
        send_email(settings(free_port()), "jana@office.example", "s", "b")
    assert not err.value.permanent
    assert "cannot connect to SMTP server 127.0.0.1:" in str(err.value)
    assert "connection refused" in str(err.value)


def test_a_server_that_never_greets_times_out():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        quiet = EmailSettings(host="127.0.0.1", port=port, sender=SENDER, timeout=0.3,
                              helo_name="box")
        with pytest.raises(NotifyError, match=r"cannot connect .* no answer within 0.3 s"):
            send_email(quiet, "jana@office.example", "s", "b")


def test_starttls_and_login_then_delivery(certificate):
    cert, key = certificate
    with SmtpSink(starttls=server_tls(cert, key), users={"box": "s3cret"}) as sink:
        send_email(settings(sink.port, security="starttls", cafile=str(cert),
                            username="box", password="s3cret"),
                   "jana@office.example", "Über TLS", "Inhalt")
        assert sink.wait_for(1)[0].message["Subject"] == "Über TLS"
        assert sink.logins == [("box", True)]


def test_a_wrong_password_says_the_login_was_refused(certificate):
    cert, key = certificate
    with SmtpSink(starttls=server_tls(cert, key), users={"box": "s3cret"}) as sink:
        with pytest.raises(NotifyError) as err:
            send_email(settings(sink.port, security="starttls", cafile=str(cert),
                                username="box", password="wrong"),
                       "jana@office.example", "s", "b")
        assert "refused the login as 'box': 535" in str(err.value)
        assert sink.messages == []


def test_login_without_tls_says_auth_is_not_offered(certificate):
    cert, key = certificate
    with SmtpSink(starttls=server_tls(cert, key), users={"box": "s3cret"}) as sink:
        with pytest.raises(NotifyError, match="does not offer AUTH .*only after STARTTLS"):
            send_email(settings(sink.port, username="box", password="s3cret"),
                       "jana@office.example", "s", "b")


def test_an_untrusted_certificate_is_a_tls_error(certificate):
    cert, key = certificate
    with SmtpSink(starttls=server_tls(cert, key)) as sink:
        with pytest.raises(NotifyError, match="TLS with SMTP server .* certificate not trusted"):
            send_email(settings(sink.port, security="starttls"), "jana@office.example", "s", "b")


def test_starttls_against_a_plain_server_is_explained(sink):
    with pytest.raises(NotifyError, match="does not offer STARTTLS"):
        send_email(settings(sink.port, security="starttls"), "jana@office.example", "s", "b")


def test_implicit_tls_submissions_port(certificate):
    cert, key = certificate
    with SmtpSink(implicit_tls=server_tls(cert, key)) as sink:
        send_email(settings(sink.port, security="ssl", cafile=str(cert)),
                   "jana@office.example", "s", "TLS from the first byte")
        assert sink.wait_for(1)[0].message.get_body().get_content().strip() == \
            "TLS from the first byte"


@pytest.mark.parametrize("bad", ["", "jana", "jana@", "@office.example", "a b@c.d",
                                 "a@b.c, d@e.f", "jana@office.example\r\nBcc: x@y.z"])
def test_bad_addresses_are_refused_before_any_connection(bad):
    with pytest.raises(NotifyError) as err:
        check_address(bad)
    assert err.value.permanent


def test_header_injection_through_the_subject_is_refused(sink):
    with pytest.raises(NotifyError, match="line break") as err:
        send_email(settings(sink.port), "jana@office.example", "hi\r\nBcc: evil@x.y", "b")
    assert err.value.permanent
    assert sink.messages == []


def test_a_missing_attachment_is_a_permanent_error(sink, tmp_path):
    with pytest.raises(NotifyError, match="attachment .*gone.wav cannot be read") as err:
        send_email(settings(sink.port), "jana@office.example", "s", "b",
                   attachments=[tmp_path / "gone.wav"])
    assert err.value.permanent


def test_settings_are_checked():
    assert EmailSettings(host="h", sender="a@b").port == 25
    assert EmailSettings(host="h", sender="a@b", security="starttls").port == 587
    assert EmailSettings(host="h", sender="a@b", security="ssl").port == 465
    with pytest.raises(ValueError, match="security"):
        EmailSettings(host="h", sender="a@b", security="tls")
    with pytest.raises(ValueError, match="username and password"):
        EmailSettings(host="h", sender="a@b", username="u")
    with pytest.raises(ValueError, match="sender"):
        EmailSettings(host="h", sender="not an address")
    assert "s3cret" not in repr(EmailSettings(host="h", sender="a@b", username="u",
                                              password="s3cret"))


def test_sends_from_threads_do_not_interfere(sink):
    errors: list[BaseException] = []

    def one(n: int) -> None:
        try:
            send_email(settings(sink.port), f"user{n}@office.example", f"n={n}", "b")
        except BaseException as e:  # collected for the assertion below
            errors.append(e)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a.message["Subject"] for a in sink.wait_for(5)) == [f"n={n}" for n in range(5)]
