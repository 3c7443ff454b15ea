"""Qt-free translation helper shared by storage/, printing/ and ui/.

Message ids are the Chinese texts the station sees by default; the English catalogue in
``assets/locale/en/LC_MESSAGES/petitiondesk.po`` translates them. Catalogues are managed with
Babel (``python -m storage.i18n extract|update|compile``).
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Iterable
from pathlib import Path

DOMAIN = "petitiondesk"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "assets" / "locale"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def language_code(text: str) -> str:
    """The catalogue for what a person typed: ``zh``, ``zh-CN``, ``zh_CN`` → ``zh_CN``;
    ``en``, ``en_GB``, ``en-US`` → ``en``. ValueError for anything else."""
    wanted = text.strip().replace("-", "_").split("_")[0].lower()
    for code in LANGUAGES:
        if wanted == code.split("_")[0]:
            return code
    raise ValueError(f"unknown language {text!r}")


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` (falls back to the Chinese msgids)."""
    global _current, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language
    if language == DEFAULT_LANGUAGE:
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _current.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context`` (the same Chinese word read two ways)."""
    return _current.pgettext(context, message)


_CHINESE_NUMERALS = "一二三四五六七八九十"


def numeral(number: int) -> str:
    """A section number for "{n}、…" headings: 一 … 十 in Chinese, 1 … 10 in other languages
    (Arabic digits beyond ten in every language)."""
    if _language == DEFAULT_LANGUAGE and 1 <= number <= len(_CHINESE_NUMERALS):
        return _CHINESE_NUMERALS[number - 1]
    return str(number)


def join_list(items: Iterable[str]) -> str:
    """Items of an enumeration: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return _("、").join(items)


def join_clauses(items: Iterable[str]) -> str:
    """Clauses of one sentence: 甲，乙 in Chinese, "a, b" in English."""
    return _("，").join(items)


def join_sentences(*parts: str) -> str:
    """Whole sentences one after the other: no gap in Chinese, a space in English."""
    out = ""
    for part in parts:
        if not part:
            continue
        out = part if not out else _("{sentence}{next}").format(sentence=out, next=part)
    return out


def full_stop(text: str) -> str:
    """``text`` ending in a full stop of the current language unless it already ends a
    sentence ("。" in Chinese, "." in English)."""
    text = text.strip()
    if not text or text.endswith(("。", "！", "？", "；", ".", "!", "?", ";")):
        return text
    return text + _("。")


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a module-level constant for extraction; translate it later with ``_()``."""
    return message


SOURCES = ("storage", "printing", "ui", "cli", "main.py")


def extract(pot: Path | None = None) -> Path:
    """Extract every ``_()``, ``N_()`` and ``pgettext()`` message of the sources into ``pot``
    (default: the project's template next to the catalogues)."""
    from babel.messages.frontend import CommandLineInterface

    root = LOCALE_DIR.parent.parent
    pot = pot or LOCALE_DIR / f"{DOMAIN}.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(LOCALE_DIR / "babel.cfg"), "-k", "N_",
         "-o", str(pot), "--no-location",
         *(str(root / source) for source in SOURCES)])
    return pot


def _babel(argv: list[str]) -> int:
    from babel.messages.frontend import CommandLineInterface

    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    cmd = argv[0] if argv else "compile"
    cli = CommandLineInterface()
    if cmd == "extract":
        extract(pot)
    elif cmd == "update":
        cli.run(["pybabel", "-q", "update", "-D", DOMAIN, "-i", str(pot), "-d", str(LOCALE_DIR),
                 "--ignore-obsolete"])
    elif cmd == "compile":
        if any(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            cli.run(["pybabel", "-q", "compile", "-D", DOMAIN, "-d", str(LOCALE_DIR),
                     "--use-fuzzy"])
    else:
        print("usage: python -m storage.i18n extract|update|compile", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_babel(sys.argv[1:]))
