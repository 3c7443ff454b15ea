"""Where the register lives: ``--data-dir``, else ``$PETITIONDESK_DATA_DIR``, else the user data
directory of this operating system (platformdirs). One place for the GUI and the command line."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "PetitionDesk"
DATA_DIR_ENV = "PETITIONDESK_DATA_DIR"


def default_data_dir() -> Path:
    """$PETITIONDESK_DATA_DIR, else the user data directory (platformdirs)."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def data_dir_of(chosen: str | None) -> Path:
    """The folder a ``--data-dir`` option (or its absence) names."""
    return Path(chosen) if chosen else default_data_dir()


def demo_data_dir() -> Path:
    """The generated demo register (``--demo``): a cache, rebuilt when missing."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "demo"
