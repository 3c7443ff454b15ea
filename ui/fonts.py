"""Load the shipped CJK fonts into Qt: a fresh machine has no Chinese font at all."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
UI_FONT_FILES = ("wqy-microhei.ttf", "uming-cn.ttf", "HanaMinA.ttf", "HanaMinB.ttf")
# UI face first; Hanazono covers rare characters (䶮, 𠮷 …) the UI face lacks.
UI_FAMILIES = ["WenQuanYi Micro Hei", "HanaMinA", "HanaMinB"]
UI_POINT_SIZE = 12  # readable for older clerks; Ctrl+= / Ctrl+- adjust (main window)


def load_fonts() -> list[str]:
    families: list[str] = []
    for name in UI_FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(FONT_DIR / name))
        if font_id < 0:
            log.error("could not load font %s", name)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def apply_ui_font(app: QApplication, point_size: int = UI_POINT_SIZE) -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    font.setPointSize(point_size)
    app.setFont(font)
    return font
