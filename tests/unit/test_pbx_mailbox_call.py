"""An extension listening to its mailbox, in virtual time: new messages oldest first,
keys 9 keep, 7 delete, * again; silence after the beep keeps it; then goodbye."""

from firmware.clock import VirtualClock
from firmware.media.wav import pcm_of
from firmware.pbx.mailbox_call import KEY_SECONDS, MailboxCall
from firmware.pbx.voicemail import Mailbox, Voicemail


class Media:
    """What the call asks of the media bridge, and the key handler it sets."""

    def __init__(self):
        self.prompts, self.key = [], None

    def play_prompt(self, call_id, leg, pcm):
        self.prompts.append(len(pcm) // 2)

    def play_tone(self, call_id, leg, tone):
        pass

    def stop_playing(self, call_id, leg):
        pass

    def on_digit(self, call_id, leg, handler):
        self.key = handler


def setup(tmp_path, seconds=(2, 3, 4)):
    clock = VirtualClock()
    store = Voicemail(tmp_path, clock)
    for s in seconds:  # messages of 2, 3 and 4 seconds
        store.deposit(Mailbox("21"), "22", pcm_of([100] * (8000 * s)))
    media, ended = Media(), []
    call = MailboxCall("c1", "21", media, store, None, clock, lambda: ended.append(True))
    return clock, store, media, call, ended


def test_messages_play_oldest_first_and_keys_keep_delete_and_repeat(tmp_path):
    clock, store, media, call, ended = setup(tmp_path)
    call.start()
    assert media.prompts == [16000]  # the 2 s message
    media.key("9")  # keep: on to the next at once
    assert media.prompts == [16000, 24000]
    media.key("7")  # delete the 3 s one
    media.key("*")  # the 4 s one again
    assert media.prompts == [16000, 24000, 32000, 32000]
    clock.advance(4 + 0.4 + KEY_SECONDS + 1)  # played, beep, no key: kept; nothing left
    assert ended == [True]
    left = store.messages("21")
    assert [m.seconds for m in left] == [2, 4] and all(m.heard for m in left)
    assert store.waiting("21") == 0


def test_heard_messages_are_not_played_and_nothing_new_says_goodbye(tmp_path):
    clock, store, media, call, ended = setup(tmp_path, seconds=(2,))
    store.mark_heard("21", store.messages("21")[0].id)
    call.start()
    assert media.prompts == []
    clock.advance(1)
    assert ended == [True]
