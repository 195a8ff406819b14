"""On a P-MP bus every broadcast offer keeps its call reference for T312 after the call,
so calls in quick succession can use up all 127: the next call must then fail cleanly
(the caller is told, nothing is left hanging) and work again once T312 frees them."""

from tests.unit.pbx_box import Box


def test_calls_faster_than_t312_frees_references_fail_cleanly_then_recover(tmp_path):
    box = Box(tmp_path)
    s0 = box.lines["s0int"]
    refused = None
    for i in range(140):  # 70 calls a second: T312 (6 s) holds up to 420 references
        box.phone2.dial("21")
        box.run(0.005)
        if box.phone1.state != "ringing":
            refused = i
            break
        box.phone1.answer()
        box.run(0.005)
        box.phone2.hangup()
        box.run(0.004)
    assert refused is not None and refused >= 120  # 127 references, less the ones in use
    box.run(1)
    assert box.phone2.state == "idle" and box.phone2.last_cause is not None  # told, not stuck
    assert box.pbx.calls == {}
    box.run(6)  # T312 expires for all of them
    assert len(s0.cc._crs_in_use()) == 0
    box.phone2.dial("21")
    box.run(0.5)
    assert box.phone1.state == "ringing"
