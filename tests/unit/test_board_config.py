from pathlib import Path

import pytest

from firmware.config import load_config
from firmware.errors import ConfigError
from firmware.system.board import available_boards, load_board


def test_shipped_profiles_load():
    assert {"sim", "pcengines-apu2"} <= set(available_boards())
    sim = load_board("sim")
    assert [(p.name, p.kind, p.role, p.backend) for p in sim.ports] == [
        ("trunk", "bri", "te", "sim"), ("s0int", "bri", "nt", "sim"), ("fxs1", "fxs", "nt", "sim")]
    assert sim.ports[2].options == {"far_end": "analog-phone", "number": "23"}
    assert sim.console.device == "pty" and sim.console.baudrate == 115200
    apu = load_board("pcengines-apu2")
    assert apu.console.device == "/dev/ttyS0"
    assert apu.storage.data_dir == Path("/data/ringback")
    assert apu.ports[0].options == {"driver": "hfcsusb", "index": 0}


def write_board(tmp_path: Path, body: str) -> str:
    d = tmp_path / "b"
    d.mkdir(exist_ok=True)
    (d / "board.toml").write_text(body)
    return str(d / "board.toml")


GOOD = """name = "t"
[console]
device = "pty"
[storage]
data_dir = "d"
run_dir = "r"
log_dir = "l"
[[ports]]
name = "trunk"
role = "te"
backend = "sim"
[ports.sim]
far_end = "exchange"
"""


@pytest.mark.parametrize("change, message", [
    (lambda s: s.replace('role = "te"', 'role = "tx"'), "'role' is 'tx', must be one of"),
    (lambda s: s.replace('[console]\ndevice = "pty"\n', ""), "missing required table [console]"),
    (lambda s: s + '[[ports]]\nname = "trunk"\nrole = "nt"\nbackend = "sim"\n',
     "port name 'trunk' used twice"),
    (lambda s: s.replace('name = "t"', 'name = "t"\ncolour = "red"'), "unknown key 'colour'"),
    (lambda s: s.replace('device = "pty"', 'device = "pty"\nbaudrate = "fast"'),
     "'baudrate' must be int"),
    (lambda s: s.split("[[ports]]")[0], "no [[ports]] defined"),
])
def test_bad_profiles_name_the_problem(tmp_path, change, message):
    path = write_board(tmp_path, change(GOOD))
    with pytest.raises(ConfigError, match=None) as e:
        load_board(path)
    assert message in str(e.value) and path in str(e.value)


def test_unknown_board_lists_the_known_ones():
    with pytest.raises(ConfigError) as e:
        load_board("nope")
    assert "board profile 'nope' not found (available: " in str(e.value)


def test_flags_win_over_file_and_file_over_board(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('board = "sim"\nlog_level = "warning"\ncountry = "cz"\n'
                   '[paths]\ndata_dir = "/x/data"\n[api]\nsocket = "/x/api.sock"\n')
    c = load_config(cfg)
    assert (c.data_dir, c.run_dir, c.api_socket) == (Path("/x/data"), Path("var/sim/run"),
                                                      Path("/x/api.sock"))
    assert c.log_level == "warning" and c.country == "CZ"
    c = load_config(cfg, data_dir="/y", log_level="debug")
    assert c.data_dir == Path("/y") and c.log_level == "debug"


def test_no_config_file_means_the_sim_board_defaults():
    c = load_config(None)
    assert c.board.name == "sim" and c.api_socket == Path("var/sim/run/api.sock")


def test_an_fxs_port_is_always_the_box_nt_side(tmp_path: Path):
    board = write_board(tmp_path, """
name = "b"
[console]
device = "pty"
[storage]
data_dir = "d"
run_dir = "r"
log_dir = "l"
[[ports]]
name = "fxs1"
kind = "fxs"
role = "te"
backend = "sim"
""")
    with pytest.raises(ConfigError, match="role"):
        load_board(board)
