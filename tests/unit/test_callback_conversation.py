"""The callback's spoken questions: whisper to staff in the office's language, the
introduction to the visitor in theirs, and nothing asked after a hang-up."""

from firmware.callback.conversation import Conversation
from firmware.callback.model import CallbackRequest
from firmware.callback.question import Answer
from firmware.callback.settings import Link
from firmware.clock import VirtualClock
from firmware.media.prompts import PromptLibrary
from firmware.media.wav import pcm_of
from tests.unit.test_callback_question import RecordingMedia


def request(**kw):
    return CallbackRequest(id="r1", link="office", number="+4930123456", dial="030123456",
                           region="DE", created=0, due=0, **kw)


def setup(tmp_path, country="CZ", offload=None):
    said = []

    def speak(text, lang):
        said.append((lang, text))
        return pcm_of([1] * 8000)  # one second each

    lib = PromptLibrary(tmp_path, speak=speak)
    media, clock, answers = RecordingMedia(), VirtualClock(), []
    kw = {"offload": offload} if offload else {}
    return Conversation(media, lib, clock, country=country, **kw), media, clock, said, answers


def test_staff_hear_who_and_where_from_in_the_offices_language(tmp_path):
    talk, media, clock, said, answers = setup(tmp_path)
    talk.ask_staff("c1", request(name="Eva", page_title="Ceník"), answers.append)
    assert said == [("cs", "Zpětné volání pro Eva ze stránky Ceník."),
                    ("cs", "Stiskněte 1 pro přijetí, 2 pro odmítnutí.")]
    assert media.played == [("prompt", "a", 32000)]  # whisper and question, 2 s
    media.press("c1", "a", "2")
    assert answers == [Answer.NO]


def test_without_a_name_or_title_the_number_and_site_are_named(tmp_path):
    talk, media, clock, said, answers = setup(tmp_path, country="US")
    talk.ask_staff("c1", request(page_url="https://shop.example.com/x?y"), answers.append)
    assert said[0] == ("en", "Callback for 4930123456 from shop.example.com.")


def test_a_request_asked_by_phone_names_the_number_the_caller_dialled(tmp_path):
    talk, media, clock, said, answers = setup(tmp_path, country="US")
    talk.ask_staff("c1", request(referrer="tel:5551099"), answers.append)
    assert said[0] == ("en", "Callback for 4930123456 from 5551099.")


def test_the_visitor_is_asked_in_their_language_and_only_1_connects(tmp_path):
    talk, media, clock, said, answers = setup(tmp_path)
    talk.ask_visitor("c1", request(language="pl"), Link("office", company="Acme"),
                     answers.append)
    assert said == [("pl", "Acme oddzwania zgodnie z prośbą. Naciśnij 1, aby się połączyć.")]
    media.press("c1", "b", "2")
    assert answers == []
    clock.advance(60)
    assert answers == [Answer.TIMEOUT]  # an answering machine never presses 1


def test_a_hang_up_while_the_speech_is_made_asks_nothing(tmp_path):
    pending = []
    talk, media, clock, said, answers = setup(
        tmp_path, offload=lambda work, done: pending.append((work, done)))
    talk.ask_staff("c1", request(name="Eva"), answers.append)
    talk.ended("c1")
    work, done = pending.pop()
    done(work())
    assert media.played == [] and answers == []


def test_a_hang_up_during_the_question_gives_no_answer(tmp_path):
    talk, media, clock, said, answers = setup(tmp_path)
    talk.ask_staff("c1", request(name="Eva"), answers.append)
    talk.ended("c1")
    clock.advance(60)
    assert answers == [] and media.handlers == {}
