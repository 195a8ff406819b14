"""Speech for the DTMF talk-off test: espeak-ng reads a few paragraphs per language
(written for this test) in several voices, resampled to 8 kHz."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from tests.unit.dtmf_signals import resample_to_8k

TEXTS = {
    "en": [
        "Good morning, and thank you for calling the office. All of our staff are busy at "
        "the moment, but your call is important to us. Please press one to be called back as "
        "soon as someone is free, or stay on the line. Our opening hours are from eight in "
        "the morning until six in the evening, Monday to Friday.",
        "The meeting has been moved to Thursday afternoon at half past three. Please bring "
        "the quarterly figures and the draft of the new price list. If you cannot attend, "
        "send your comments by email before noon, so that we can include them in the "
        "minutes. Parking is available behind the building.",
    ],
    "de": [
        "Guten Tag und vielen Dank für Ihren Anruf. Leider sind im Moment alle Mitarbeiter "
        "im Gespräch. Bitte drücken Sie die Eins, wenn Sie zurückgerufen werden möchten, "
        "oder bleiben Sie in der Leitung. Unsere Geschäftszeiten sind montags bis freitags "
        "von acht bis achtzehn Uhr.",
        "Die Besprechung wurde auf Donnerstagnachmittag um halb vier verschoben. Bitte "
        "bringen Sie die Quartalszahlen und den Entwurf der neuen Preisliste mit. Falls Sie "
        "nicht teilnehmen können, schicken Sie Ihre Anmerkungen bis Mittag per E-Mail.",
    ],
    "cs": [
        "Dobrý den, děkujeme za zavolání. Všichni naši pracovníci jsou právě obsazeni. "
        "Pokud si přejete, abychom vám zavolali zpět, stiskněte prosím jedničku, nebo "
        "zůstaňte na lince. Naše otevírací doba je od pondělí do pátku od osmi do šestnácti "
        "hodin.",
        "Schůzka byla přesunuta na čtvrtek odpoledne na půl čtvrtou. Přineste prosím "
        "čtvrtletní výsledky a návrh nového ceníku. Pokud se nemůžete zúčastnit, pošlete své "
        "připomínky e-mailem do poledne, abychom je mohli zahrnout do zápisu.",
    ],
    "pl": [
        "Dzień dobry, dziękujemy za telefon. W tej chwili wszyscy nasi konsultanci są zajęci. "
        "Aby otrzymać połączenie zwrotne, prosimy nacisnąć jedynkę albo pozostać na linii. "
        "Biuro jest czynne od poniedziałku do piątku w godzinach od ósmej do szesnastej.",
        "Spotkanie zostało przeniesione na czwartek po południu, na wpół do czwartej. Prosimy "
        "przynieść wyniki kwartalne oraz projekt nowego cennika. Jeśli nie mogą Państwo "
        "przyjść, prosimy przesłać uwagi e-mailem do południa.",
    ],
    "ru": [
        "Здравствуйте, спасибо за ваш звонок. В данный момент все операторы заняты. Чтобы мы "
        "перезвонили вам, пожалуйста, нажмите единицу или оставайтесь на линии. Наш офис "
        "работает с понедельника по пятницу с восьми до восемнадцати часов.",
        "Совещание перенесено на четверг, на половину четвёртого. Пожалуйста, принесите "
        "квартальные отчёты и проект нового прайс-листа. Если вы не сможете прийти, "
        "отправьте свои замечания по электронной почте до полудня.",
    ],
    "fr": [
        "Bonjour et merci de votre appel. Tous nos conseillers sont actuellement occupés. "
        "Pour être rappelé dès que possible, appuyez sur la touche un, ou restez en ligne. "
        "Nos bureaux sont ouverts du lundi au vendredi de huit heures à dix-huit heures.",
        "La réunion a été déplacée à jeudi après-midi, à quinze heures trente. Merci "
        "d'apporter les chiffres du trimestre et le projet de nouvelle grille tarifaire. Si "
        "vous ne pouvez pas venir, envoyez vos remarques par courriel avant midi.",
    ],
}

# espeak-ng voice variants (male, female, Klatt synthesis, croaky) and pitches (0-99):
# high voices have few harmonics in the band, the hardest case for talk-off
VOICES = [
    ("", 50), ("m1", 35), ("m3", 20), ("m7", 60), ("f1", 70),
    ("f2", 80), ("f4", 99), ("f5", 90), ("klatt", 75), ("croak", 50),
]


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(lang: str, text: str, variant: str = "", pitch: int = 50) -> np.ndarray:
    """espeak-ng's reading of ``text`` at 8 kHz (float samples, 16-bit scale)."""
    voice = f"{lang}+{variant}" if variant else lang
    done = subprocess.run(
        ["espeak-ng", "-v", voice, "-p", str(pitch), "--stdout", text],
        capture_output=True,
        check=True,
    )
    with wave.open(io.BytesIO(done.stdout)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(float)
    return resample_to_8k(x, rate)
