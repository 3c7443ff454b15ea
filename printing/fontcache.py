"""reportlab's parse of a shipped font, kept between processes.

Registering a TrueType font makes reportlab parse the whole file in Python (its cmap, the widths
and the positions of every glyph): ~0.1-0.2 s for each of the two fonts every document uses, in
every ``main.py print`` — a fifth of the command at a million matters. What the parse yields is
plain data; it is written once to the user's cache directory (``marshal``: plain values only,
nothing that runs code when read) and read back in a few tens of milliseconds. The key names the
file (size, modification time), reportlab's version and Python's, so a new font or library
parses afresh; any trouble reading or writing the cache falls back to parsing.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

#: where the parses are kept; None: the user's cache directory (tests point it elsewhere)
CACHE_DIR: Path | None = None
#: what is not kept: the file itself (read again, for the subsets) and a function
_NOT_KEPT = ("_ttf_data", "_pdfScale")


def cache_dir() -> Path:
    if CACHE_DIR is not None:
        return CACHE_DIR
    from platformdirs import user_cache_dir

    from storage.paths import APP_NAME

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "fonts"


def _cache_file(path: Path) -> Path:
    st = path.stat()
    key = f"{path.name}|{st.st_size}|{st.st_mtime_ns}|{reportlab.Version}|{sys.version_info[:2]}"
    return cache_dir() / f"{path.stem}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"


def load(name: str, path: Path) -> TTFont:
    """The reportlab font ``name`` of the TrueType file ``path``, as ``TTFont(name, path)``
    makes it — from the cache when it holds this file's parse."""
    try:
        cached = _cache_file(path)
        kept = marshal.loads(cached.read_bytes())
        return _font(name, path, kept)
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    font = TTFont(name, str(path))
    try:
        _write(_cache_file(path), _state(font.face))
    except OSError:
        pass  # no cache this time: the next print parses again
    return font


def _state(face: TTFontFace) -> dict[str, Any]:
    values = {k: v for k, v in vars(face).items() if k not in _NOT_KEPT}
    names = [k for k, v in values.items() if isinstance(v, TTFNameBytes)]
    return {"values": values, "names": names}


def _font(name: str, path: Path, kept: dict[str, Any]) -> TTFont:
    face = TTFontFace.__new__(TTFontFace)
    values = dict(kept["values"])
    for key in kept["names"]:
        values[key] = TTFNameBytes(values[key])  # the UTF-8 bytes reportlab kept
    face.__dict__.update(values)
    face._ttf_data = path.read_bytes()
    mult = 1000 / face.unitsPerEm
    face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * mult)
    # what TTFont.__init__ does besides parsing (the test compares both objects' attributes)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = _shapable(name)
    return font


def _shapable(name: str) -> bool:
    from fnmatch import fnmatch

    return not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


def _write(target: Path, state: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(state))
        os.replace(tmp, target)  # whole or not at all, also with two prints at once
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
