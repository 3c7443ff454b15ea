"""Petition Desk (信访工作台) entry point.

``python main.py`` opens the GUI; sub-commands do headless work (docs/architecture.md §4). The
command line lives in ``cli/``; this file only hands over to it.
"""

from __future__ import annotations

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
