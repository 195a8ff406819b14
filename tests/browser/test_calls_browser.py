"""The call list in Chromium: a call recording (16-bit stereo) and a voicemail message
(A-law), both made by the daemon, play in the page's players."""

from __future__ import annotations

from tests.browser.conftest import set_up_in_browser, shot
from tests.system.test_pbx import ctl_json, phone, wait_for
from tests.system.test_pbx_media_features import CALLER, caller_talks_to_21, leave_a_message_for_21

# What the <audio> element says once it has fetched and decoded the file (or failed).
PLAYER_STATE = """async (audio) => {
  audio.preload = "auto"; audio.load();
  await new Promise((done) => {
    if (audio.readyState >= 2 || audio.error) return done();
    audio.addEventListener("canplay", done, { once: true });
    audio.addEventListener("error", done, { once: true });
  });
  return { ready: audio.readyState, duration: audio.duration,
           error: audio.error && audio.error.message };
}"""


def test_a_call_recording_and_a_voicemail_play_in_the_call_list(page, web, box_paths):
    from tests.system.boxprocs import run_ctl
    call = caller_talks_to_21(box_paths)
    assert run_ctl(box_paths, "record", call, "start").returncode == 0
    run_ctl(box_paths, "subscriber", CALLER, "dtmf", "123")
    wait_for(lambda: ctl_json(box_paths, "phone", "21", "heard")["heard"] == "123",
             "21 hears 123")
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: phone(box_paths, "21")["state"] == "idle", "cleared")
    [rec] = wait_for(lambda: [r for r in ctl_json(box_paths, "recordings")
                              if not r["recording"]], "the recording is finished")
    leave_a_message_for_21(box_paths, "45")
    [message] = ctl_json(box_paths, "voicemail", "21")["messages"]

    set_up_in_browser(page, web)
    page.goto(web + "/calls")
    player = page.locator(f'audio[src="/audio/recording/{rec["file"]}"]')
    state = player.evaluate(PLAYER_STATE)
    assert state["error"] is None and state["ready"] >= 2, state  # fetched and decoded
    assert abs(state["duration"] - rec["seconds"]) < 0.5, (state, rec)
    player = page.locator(f'audio[src="/audio/voicemail/21/{message["id"]}"]')
    state = player.evaluate(PLAYER_STATE)
    assert state["error"] is None and state["ready"] >= 2, state
    assert abs(state["duration"] - message["seconds"]) < 0.5, (state, message)
    shot(page, "calls-recording")
    assert page.js_errors == []
