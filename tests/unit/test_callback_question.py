"""The yes/no question on a leg: keys during or after the prompt, repeats, timeout,
and the beep when there is no speech."""

from firmware.callback.question import Answer, Question, Wording
from firmware.clock import VirtualClock


class RecordingMedia:
    def __init__(self):
        self.played: list[tuple[str, str, object]] = []
        self.handlers = {}

    def play_prompt(self, call_id, leg, pcm):
        self.played.append(("prompt", leg, len(pcm)))

    def play_tone(self, call_id, leg, tone):
        self.played.append(("tone", leg, tone))

    def stop_playing(self, call_id, leg):
        self.played.append(("stop", leg, None))

    def on_digit(self, call_id, leg, handler):
        if handler is None:
            self.handlers.pop((call_id, leg), None)
        else:
            self.handlers[(call_id, leg)] = handler

    def press(self, call_id, leg, digit):
        self.handlers[(call_id, leg)](digit)


TWO_SECONDS = b"\0\0" * 16000


def ask(wording, leg="a"):
    clock, media, answers = VirtualClock(), RecordingMedia(), []
    q = Question(media, clock, "c1", leg, wording, lambda a, d: answers.append((a, d)))
    q.ask()
    return clock, media, answers, q


def test_a_key_while_the_prompt_plays_answers_and_stops_it():
    clock, media, answers, _ = ask(Wording(TWO_SECONDS))
    clock.advance(0.5)
    media.press("c1", "a", "7")  # not an answer: ignored
    media.press("c1", "a", "1")
    assert answers == [(Answer.YES, "1")]
    assert media.played == [("prompt", "a", 32000), ("stop", "a", None)]
    assert media.handlers == {}
    clock.advance(60)
    assert answers == [(Answer.YES, "1")]  # no late timeout


def test_decline_key():
    clock, media, answers, _ = ask(Wording(TWO_SECONDS))
    clock.advance(5)
    media.press("c1", "a", "2")
    assert answers == [(Answer.NO, "2")]


def test_silence_repeats_the_prompt_once_then_times_out():
    clock, media, answers, _ = ask(Wording(TWO_SECONDS, answer_seconds=8, repeats=1))
    clock.advance(9.9)
    assert [p[0] for p in media.played] == ["prompt"] and answers == []
    clock.advance(0.2)
    assert [p[0] for p in media.played] == ["prompt", "prompt"]
    clock.advance(10)
    assert answers == [(Answer.TIMEOUT, "")]


def test_without_speech_a_beep_asks_and_yes_only_questions_ignore_2():
    clock, media, answers, _ = ask(Wording(None, no=None), leg="b")
    assert media.played == [("tone", "b", "call_waiting")]
    media.press("c1", "b", "2")
    assert answers == []
    media.press("c1", "b", "1")
    assert answers == [(Answer.YES, "1")]


def test_hanging_up_cancels_quietly():
    clock, media, answers, q = ask(Wording(TWO_SECONDS))
    q.cancel()
    q.cancel()
    clock.advance(60)
    assert answers == [(Answer.GONE, "")]
    assert ("stop", "a", None) not in media.played  # the leg is gone: nothing to stop
