"""Demo registers."""

from storage.demo.builder import *  # noqa: F403
from storage.demo.builder import build  # noqa: F401
