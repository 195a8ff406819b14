"""Voice prompts: spoken by the real espeak-ng, kept as 8 kHz WAVs, the office's own
recordings first, and None (so callers play tones) when speech cannot be made."""

import math

import pytest

from firmware.media import prompts, speech, wav
from firmware.media.prompts import PromptLibrary, speakable
from firmware.media.wav import pcm_of, samples

needs_espeak = pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")


def active_seconds(pcm: bytes) -> float:
    """Seconds of 10 ms blocks louder than -40 dBFS: speech, not silence."""
    s = samples(pcm)
    loud = 0
    for i in range(0, len(s) - 80, 80):
        block = s[i:i + 80]
        if math.sqrt(sum(x * x for x in block) / 80) > 327:
            loud += 1
    return loud / 100


@needs_espeak
def test_build_speaks_every_fixed_prompt_once(tmp_path):
    lib = PromptLibrary(tmp_path)
    made = lib.build(["en"])
    assert sorted(p.stem for p in made) == sorted(prompts.FIXED)
    for path in made:
        got = wav.read(path)
        assert (got.rate, got.channels, got.encoding) == (8000, 1, wav.PCM16)
        assert active_seconds(got.pcm) > 0.3, path.name
    assert lib.build(["en"]) == []  # nothing to do the second time
    assert lib.missing(["en"]) == []


@needs_espeak
def test_a_whisper_names_the_visitor_and_longer_text_takes_longer(tmp_path):
    lib = PromptLibrary(tmp_path)
    short = lib.render("staff-whisper", "de", name="Eva", page="Preise")
    long = lib.render("staff-whisper", "de", name="Eva Maria Schneider-Hohenstein",
                      page="Preise und Lieferbedingungen für Geschäftskunden")
    assert active_seconds(long) > active_seconds(short) + 1.0
    assert lib.render("staff-whisper", "de", name="Eva", page="Preise") is short  # cached


@needs_espeak
def test_text_that_looks_like_an_option_is_read_not_obeyed():
    # on the command line "--version" would make espeak-ng print instead of speak
    assert active_seconds(speech.speak("--version -w /tmp/x.wav", "en")) > 0.5


def test_visitor_fields_are_reduced_to_words():
    assert speakable("Jan Novák; rm -rf / $(reboot) <b>") == "Jan Novák rm -rf reboot b"
    assert speakable("Иван Петров") == "Иван Петров"
    assert len(speakable("x" * 500)) == prompts.FIELD_CHARS


def test_the_offices_recording_wins_and_is_resampled(tmp_path):
    lib = PromptLibrary(tmp_path, speak=lambda text, lang: pcm_of([1000] * 800))
    lib.build(["en"])
    custom = lib.path("goodbye", "en", custom=True)
    custom.parent.mkdir(parents=True)
    wav.write(custom, pcm_of([2000] * 16000), rate=16000)
    got = lib.get("goodbye", "en")
    assert len(samples(got)) == 8000 and samples(got)[4000] == 2000
    assert len(samples(lib.get("connecting", "en"))) == 800


def test_missing_language_falls_back_to_english_then_to_none(tmp_path):
    lib = PromptLibrary(tmp_path, speak=lambda text, lang: pcm_of([lang == "en"] * 80))
    assert lib.get("goodbye", "pl") is None
    lib.build(["en"])
    assert lib.get("goodbye", "pl") == lib.get("goodbye", "en")


def test_without_espeak_render_gives_none_so_callers_play_tones(tmp_path):
    def broken(text, lang):
        raise speech.SpeechError("espeak-ng is not installed")

    lib = PromptLibrary(tmp_path, speak=broken)
    assert lib.render("visitor-intro", "en", company="Acme") is None
    with pytest.raises(KeyError, match="needs company"):
        lib.render("visitor-intro", "en")


def test_every_prompt_has_every_language_with_the_same_fields():
    for name, texts in prompts.CATALOGUE.items():
        assert set(texts) == set(prompts.LANGUAGES), name
        for lang, text in texts.items():
            fields = {f for _, f, _, _ in __import__("string").Formatter().parse(text) if f}
            assert fields == prompts.fields_of(name), (name, lang)


def test_cli_reports_an_unknown_language(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        prompts.main(["build", str(tmp_path), "--lang", "xx"])
    assert e.value.code == 2 and "unknown language 'xx'" in capsys.readouterr().err


def test_a_missing_prompt_is_made_on_first_use_when_asked(tmp_path):
    spoken = []
    lib = PromptLibrary(tmp_path, speak=lambda text, lang: spoken.append(text) or
                        pcm_of([100] * 800))
    assert lib.get("goodbye", "de") is None and spoken == []
    assert len(lib.get("goodbye", "de", make=True)) == 1600
    assert spoken == ["Auf Wiederhören."] and lib.path("goodbye", "de").exists()
    lib.get("goodbye", "de", make=True)
    assert len(spoken) == 1


def test_an_offices_own_text_is_spoken_once_and_kept(tmp_path):
    spoken = []
    lib = PromptLibrary(tmp_path, speak=lambda text, lang: spoken.append((lang, text)) or
                        pcm_of([7] * 160))
    text = "Press 1 for sales,\n  2 for service."
    assert lib.said(text, "en") is None and spoken == []  # not made unless asked
    assert len(lib.said(text, "en", make=True)) == 320
    assert PromptLibrary(tmp_path).said(text, "en") == lib.said(text, "en")  # on disk
    assert spoken == [("en", "Press 1 for sales, 2 for service.")]
    assert lib.said("   ", "en", make=True) is None
