"""Qt-free translation helper shared by storage/, printing/ and ui/.

Message ids are the Chinese texts the station sees by default; the English catalogue in
``assets/locale/en/LC_MESSAGES/petitiondesk.po`` translates them. Catalogues are managed with
Babel (``python -m storage.i18n extract|update|compile``).
"""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

DOMAIN = "petitiondesk"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "assets" / "locale"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


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


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a module-level constant for extraction; translate it later with ``_()``."""
    return message


def _babel(argv: list[str]) -> int:
    from babel.messages.frontend import CommandLineInterface

    root = LOCALE_DIR.parent.parent
    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    cmd = argv[0] if argv else "compile"
    cli = CommandLineInterface()
    if cmd == "extract":
        cli.run(["pybabel", "-q", "extract", "-F", str(LOCALE_DIR / "babel.cfg"), "-k", "N_",
                 "-o", str(pot), "--no-location", str(root / "storage"), str(root / "printing"),
                 str(root / "ui"), str(root / "main.py")])
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
