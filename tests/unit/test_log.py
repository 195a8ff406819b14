import io

from firmware.log import format_fields, get_logger, setup_logging


def test_values_with_spaces_quotes_or_newlines_are_quoted():
    assert format_fields({"a": 1, "b": "x y", "c": 'say "hi"', "d": "", "e": "l1\nl2"}) == \
        'a=1 b="x y" c="say \\"hi\\"" d="" e="l1\\nl2"'


def test_one_line_per_event_with_level_logger_and_fields():
    out = io.StringIO()
    setup_logging("info", out)
    get_logger("ports.sim").info("l1_state", port="trunk", state="activated")
    get_logger("ports.sim").debug("hidden")
    try:
        raise ValueError("boom")
    except ValueError:
        get_logger("x").exception("failed", n=1)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ts=") and lines[0].endswith(
        "level=info logger=ports.sim event=l1_state port=trunk state=activated")
    assert "event=failed n=1 exc=" in lines[1] and "ValueError: boom" in lines[1]
