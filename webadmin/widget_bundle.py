"""The visitor widget as the public side serves it: widget/widget.js with the translations
of widget/lang.json put in (every language, or the one a site asks for with
``widget.js?lang=de``), minified by rjsmin, and kept until either file changes."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import rjsmin

# Not under static/: the admin side serves that folder, and this source is no script
# until its translations are in.
HERE = Path(__file__).parent / "widget"
SCRIPT = HERE / "widget.js"
TRANSLATIONS = HERE / "lang.json"
MARK = "{} /* translations */"  # where widget.js takes them


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes
    etag: str


def languages() -> list[str]:
    return list(_translations(TRANSLATIONS.stat().st_mtime_ns))


def bundle(lang: str = "") -> Bundle:
    """The script with every language (``lang`` empty) or with ``lang`` only; KeyError for
    a language the widget does not speak."""
    return _bundle(lang, SCRIPT.stat().st_mtime_ns, TRANSLATIONS.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _translations(_mtime: int) -> dict[str, dict[str, str]]:
    return json.loads(TRANSLATIONS.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=16)
def _bundle(lang: str, _script_mtime: int, mtime: int) -> Bundle:
    texts = _translations(mtime)
    chosen = {lang: texts[lang]} if lang else texts  # KeyError: a language it lacks
    source = SCRIPT.read_text(encoding="utf-8")
    if source.count(MARK) != 1:
        raise RuntimeError(f"{SCRIPT} must hold {MARK!r} once, where the translations go")
    script = rjsmin.jsmin(source.replace(MARK, json.dumps(chosen, ensure_ascii=False)))
    body = script.encode()
    return Bundle(body, gzip.compress(body, 9, mtime=0),
                  '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
