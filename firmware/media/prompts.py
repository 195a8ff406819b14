"""Voice prompts: the texts the box says, in the languages of its first markets, made
into 8 kHz speech by espeak-ng once (at first boot, or ``python -m firmware.media.prompts
build DIR``) and kept as WAV files. An office may put its own recordings in
``DIR/custom/<lang>/<name>.wav`` (any rate, mono): those win.

Whoever plays a prompt falls back to tones when ``get``/``render`` give None (no
espeak-ng, no file), so a missing prompt never stops a call.

Prompts with fields (the staff whisper names the visitor and the page) are spoken when
needed, off the media path, from field values reduced to letters, digits and a little
punctuation: what a visitor typed is read out, never interpreted.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import string
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from firmware.log import get_logger
from firmware.media import speech, wav
from firmware.media.resample import resample

log = get_logger("prompts")

LANGUAGES = ("en", "de", "cs", "pl", "ru")
FIELD_CHARS = 60  # a name or page title is cut here: the whisper must stay short
RENDER_CACHE = 64  # spoken texts kept in memory

CATALOGUE: dict[str, dict[str, str]] = {
    "staff-whisper": {
        "en": "Callback for {name} from {page}.",
        "de": "Rückruf für {name} von {page}.",
        "cs": "Zpětné volání pro {name} ze stránky {page}.",
        "pl": "Oddzwonienie do {name} ze strony {page}.",
        "ru": "Обратный звонок для {name} со страницы {page}.",
    },
    "staff-accept": {
        "en": "Press 1 to accept, 2 to decline.",
        "de": "Drücken Sie 1 zum Annehmen, 2 zum Ablehnen.",
        "cs": "Stiskněte 1 pro přijetí, 2 pro odmítnutí.",
        "pl": "Naciśnij 1, aby przyjąć, 2, aby odrzucić.",
        "ru": "Нажмите 1, чтобы принять, 2, чтобы отклонить.",
    },
    "visitor-intro": {
        "en": "{company} is calling you back as you asked. Press 1 to be connected.",
        "de": "{company} ruft Sie wie gewünscht zurück. Drücken Sie 1, um verbunden zu werden.",
        "cs": "{company} vám volá zpět, jak jste si přáli. Stiskněte 1 pro spojení.",
        "pl": "{company} oddzwania zgodnie z prośbą. Naciśnij 1, aby się połączyć.",
        "ru": "{company} перезванивает вам, как вы просили. Нажмите 1 для соединения.",
    },
    "connecting": {
        "en": "Connecting you now.",
        "de": "Sie werden jetzt verbunden.",
        "cs": "Nyní vás spojujeme.",
        "pl": "Łączymy.",
        "ru": "Соединяем.",
    },
    "voicemail-greeting": {
        "en": "Nobody can take your call. Please leave a message after the tone.",
        "de": "Im Moment ist niemand erreichbar. "
              "Bitte hinterlassen Sie nach dem Ton eine Nachricht.",
        "cs": "Nikdo teď nemůže hovor přijmout. Zanechte prosím vzkaz po zaznění tónu.",
        "pl": "Nikt nie może teraz odebrać. Zostaw wiadomość po sygnale.",
        "ru": "Сейчас никто не может ответить. Оставьте сообщение после сигнала.",
    },
    "greeting-record": {
        "en": "After the tone, say your greeting, then press the hash key. "
              "Press hash at once to go back to the standard greeting.",
        "de": "Sprechen Sie nach dem Ton Ihre Ansage und drücken Sie dann die Raute-Taste. "
              "Drücken Sie sofort Raute, um zur Standardansage zurückzukehren.",
        "cs": "Po zaznění tónu namluvte svůj pozdrav a stiskněte křížek. "
              "Stisknutím křížku hned po tónu obnovíte standardní pozdrav.",
        "pl": "Po sygnale nagraj swoje powitanie i naciśnij krzyżyk. "
              "Naciśnij krzyżyk od razu, aby wrócić do standardowego powitania.",
        "ru": "После сигнала запишите своё приветствие и нажмите решётку. "
              "Нажмите решётку сразу, чтобы вернуть стандартное приветствие.",
    },
    "callback-queued": {
        "en": "Thank you. We will call you back on this number as soon as someone is "
              "free. Goodbye.",
        "de": "Vielen Dank. Wir rufen Sie unter dieser Nummer zurück, sobald jemand frei "
              "ist. Auf Wiederhören.",
        "cs": "Děkujeme. Zavoláme vám zpět na toto číslo, jakmile se někdo uvolní. "
              "Na shledanou.",
        "pl": "Dziękujemy. Oddzwonimy na ten numer, gdy tylko ktoś będzie wolny. "
              "Do widzenia.",
        "ru": "Спасибо. Мы перезвоним вам на этот номер, как только кто-нибудь "
              "освободится. До свидания.",
    },
    "callback-withheld": {
        "en": "Your number is withheld, so we cannot call you back. "
              "Please call again with your number shown.",
        "de": "Ihre Rufnummer ist unterdrückt, daher können wir Sie nicht zurückrufen. "
              "Bitte rufen Sie mit übermittelter Nummer erneut an.",
        "cs": "Vaše číslo je skryté, proto vám nemůžeme zavolat zpět. "
              "Zavolejte prosím znovu se zobrazeným číslem.",
        "pl": "Twój numer jest zastrzeżony, więc nie możemy oddzwonić. "
              "Zadzwoń ponownie z widocznym numerem.",
        "ru": "Ваш номер скрыт, поэтому мы не можем вам перезвонить. "
              "Позвоните, пожалуйста, снова с открытым номером.",
    },
    "callback-refused": {
        "en": "Sorry, we cannot take a callback request for this number right now. "
              "Please try again later.",
        "de": "Leider können wir für diese Nummer gerade keinen Rückruf annehmen. "
              "Bitte versuchen Sie es später noch einmal.",
        "cs": "Bohužel teď nemůžeme přijmout žádost o zpětné volání na toto číslo. "
              "Zkuste to prosím později.",
        "pl": "Niestety nie możemy teraz przyjąć prośby o oddzwonienie na ten numer. "
              "Spróbuj ponownie później.",
        "ru": "К сожалению, сейчас мы не можем принять заявку на обратный звонок на этот "
              "номер. Попробуйте позже.",
    },
    "invalid-choice": {
        "en": "That is not a valid choice.",
        "de": "Diese Auswahl ist ungültig.",
        "cs": "Tato volba není platná.",
        "pl": "Nieprawidłowy wybór.",
        "ru": "Неверный выбор.",
    },
    "goodbye": {
        "en": "Goodbye.",
        "de": "Auf Wiederhören.",
        "cs": "Na shledanou.",
        "pl": "Do widzenia.",
        "ru": "До свидания.",
    },
}


def fields_of(name: str) -> set[str]:
    """The placeholders of prompt ``name`` (the same in every language)."""
    return {f for _, f, _, _ in string.Formatter().parse(CATALOGUE[name]["en"]) if f}


FIXED = tuple(n for n in CATALOGUE if not fields_of(n))

_UNSAFE = re.compile(r"[^\w .,'&-]+")


def speakable(value: str) -> str:
    """``value`` as words only: letters (any script), digits, spaces, . , ' & -."""
    return " ".join(_UNSAFE.sub(" ", str(value)).split())[:FIELD_CHARS].strip()


class PromptLibrary:
    def __init__(self, directory: str | Path,
                 speak: Callable[[str, str], bytes] = speech.speak) -> None:
        self.directory = Path(directory)
        self._speak = speak
        self._files: dict[str, bytes] = {}
        self._rendered: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()  # build() may run in a thread beside get()

    def path(self, name: str, language: str, custom: bool = False) -> Path:
        base = self.directory / "custom" if custom else self.directory
        return base / language / f"{name}.wav"

    def get(self, name: str, language: str = "en", make: bool = False) -> bytes | None:
        """8 kHz 16-bit PCM of fixed prompt ``name``: the office's recording, else the
        spoken one, in ``language`` or else English; None when there is neither. With
        ``make``, a missing one is spoken and kept first (it takes a moment: not on the
        event loop)."""
        if make and language in CATALOGUE[name] and not self.path(name, language).exists():
            try:
                self.build([language], names=[name])
            except (speech.SpeechError, OSError) as e:
                log.warning("prompt_unspoken", prompt=name, language=language, why=str(e))
        for lang in dict.fromkeys((language, "en")):
            for custom in (True, False):
                pcm = self._load(self.path(name, lang, custom))
                if pcm is not None:
                    return pcm
        return None

    def render(self, name: str, language: str = "en", /, **fields: str) -> bytes | None:
        """Prompt ``name`` with its fields filled in, spoken now (cached); None when it
        cannot be (no espeak-ng), and the caller plays tones instead."""
        texts = CATALOGUE.get(name)
        if texts is None:
            raise KeyError(f"no prompt {name!r}")
        missing = fields_of(name) - fields.keys()
        if missing:
            raise KeyError(f"prompt {name!r} needs {', '.join(sorted(missing))}")
        lang = language if language in texts else "en"
        text = texts[lang].format(**{k: speakable(v) for k, v in fields.items()})
        key = (lang, text)
        with self._lock:
            if key in self._rendered:
                self._rendered.move_to_end(key)
                return self._rendered[key]
        try:
            pcm = self._speak(text, lang)
        except speech.SpeechError as e:
            log.warning("prompt_unspoken", prompt=name, language=lang, why=str(e))
            return None
        with self._lock:
            self._rendered[key] = pcm
            while len(self._rendered) > RENDER_CACHE:
                self._rendered.popitem(last=False)
        return pcm

    def said(self, text: str, language: str = "en", make: bool = False) -> bytes | None:
        """The office's own ``text`` (an IVR menu, say) spoken, kept in a file named by
        the text; with ``make`` a missing one is spoken first (not on the event loop)."""
        text = " ".join(text.split())
        if not text:
            return None
        lang = language if language in speech.VOICES else "en"
        name = hashlib.sha1(f"{lang}:{text}".encode()).hexdigest()[:16]
        path = self.directory / "said" / lang / f"{name}.wav"
        if make and not path.exists():
            try:
                pcm = self._speak(text, lang)
                path.parent.mkdir(parents=True, exist_ok=True)
                wav.write(path, pcm)
            except (speech.SpeechError, OSError) as e:
                log.warning("text_unspoken", language=lang, why=str(e))
                return None
        return self._load(path)

    def build(self, languages: Iterable[str] = LANGUAGES, force: bool = False,
              names: Iterable[str] = FIXED) -> list[Path]:
        """Speak the fixed prompts not yet on disk; the files made. Stops at the first
        SpeechError (espeak-ng missing or broken), keeping what was made."""
        made = []
        for lang in languages:
            for name in names:
                target = self.path(name, lang)
                if target.exists() and not force:
                    continue
                pcm = self._speak(CATALOGUE[name][lang], lang)
                target.parent.mkdir(parents=True, exist_ok=True)
                wav.write(target, pcm)
                with self._lock:
                    self._files.pop(str(target), None)
                made.append(target)
        return made

    def missing(self, languages: Iterable[str] = LANGUAGES) -> list[tuple[str, str]]:
        return [(n, lang) for lang in languages for n in FIXED
                if not self.path(n, lang).exists() and not self.path(n, lang, True).exists()]

    def _load(self, path: Path) -> bytes | None:
        key = str(path)
        with self._lock:
            if key in self._files:
                return self._files[key]
        if not path.exists():
            return None
        try:
            got = wav.read(path)
        except (OSError, wav.WavError) as e:
            log.warning("prompt_unreadable", path=str(path), why=str(e))
            return None
        if got.channels != 1:
            log.warning("prompt_unreadable", path=str(path), why="not mono")
            return None
        pcm = resample(got.pcm, got.rate, 8000)
        with self._lock:
            self._files[key] = pcm
        return pcm


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m firmware.media.prompts",
                                description="make and list the box's voice prompts")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="speak the missing prompts into DIR")
    b.add_argument("dir")
    b.add_argument("--lang", default=",".join(LANGUAGES), help="comma-separated")
    b.add_argument("--force", action="store_true", help="speak them all again")
    s = sub.add_parser("say", help="speak TEXT into OUT.wav (8 kHz 16-bit mono)")
    s.add_argument("text")
    s.add_argument("out")
    s.add_argument("--lang", default="en")
    args = p.parse_args(argv)
    try:
        if args.cmd == "say":
            wav.write(args.out, speech.speak(args.text, args.lang))
            return 0
        langs = [x for x in args.lang.split(",") if x]
        unknown = [x for x in langs if x not in LANGUAGES]
        if unknown:
            p.error(f"unknown language {unknown[0]!r} (have {', '.join(LANGUAGES)})")
        made = PromptLibrary(args.dir).build(langs, force=args.force)
    except (speech.SpeechError, OSError) as e:
        print(f"prompts: error: {e}", file=sys.stderr)
        return 1
    print(f"{len(made)} prompt(s) made in {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
