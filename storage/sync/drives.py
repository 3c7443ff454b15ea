"""Finding USB sticks to write bundles to. Best effort and honest: what is found is offered, and
the person can always choose a folder instead (some desktops mount sticks elsewhere)."""

from __future__ import annotations

import getpass
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from storage.i18n import _

# File systems sticks are formatted with; a mount of one of these under /mnt is likely a stick.
REMOVABLE_FS = frozenset({"vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "msdos", "fat", "fat32"})


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    free_bytes: int
    total_bytes: int
    fs_type: str

    @property
    def display(self) -> str:
        gb = self.free_bytes / 1e9
        return _("{label}（{path}，可用 {gb:.1f} GB）").format(label=self.label, path=self.path,
                                                                gb=gb)


def _mount_types() -> dict[str, str]:
    try:
        lines = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            out[parts[1].replace("\\040", " ")] = parts[2]
    return out


def _linux_candidates(user: str) -> list[tuple[Path, bool]]:
    """(path, certainly removable): desktop automount folders are; /mnt/* only by fs type."""
    out: list[tuple[Path, bool]] = []
    for base, certain in ((Path("/media") / user, True), (Path("/run/media") / user, True),
                          (Path("/media"), True), (Path("/mnt"), False)):
        try:
            out.extend((p, certain) for p in sorted(base.iterdir()) if p.is_dir())
        except OSError:
            continue
    return out


def _windows_drives() -> list[Path]:
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    mask = kernel.GetLogicalDrives()
    out = []
    for i in range(26):
        if mask & (1 << i):
            root = f"{chr(65 + i)}:\\"
            if kernel.GetDriveTypeW(root) == 2:  # DRIVE_REMOVABLE
                out.append(Path(root))
    return out


def _drive(path: Path, fs: str) -> Drive | None:
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None
    if not os.access(path, os.W_OK):
        return None
    return Drive(path, path.name or str(path), usage.free, usage.total, fs)


def find_drives() -> list[Drive]:
    """Writable removable drives mounted now (may be empty: then let the person choose)."""
    found: list[Drive] = []
    if sys.platform.startswith("win"):
        candidates = [(p, "") for p in _windows_drives()]
    elif sys.platform == "darwin":
        vols = Path("/Volumes")
        candidates = [(p, "") for p in sorted(vols.iterdir()) if p.is_dir() and not p.is_symlink()] \
            if vols.is_dir() else []
    else:
        types = _mount_types()
        candidates = []
        seen: set[str] = set()
        for p, certain in _linux_candidates(getpass.getuser()):
            fs = types.get(str(p), "")
            if str(p) in seen or not os.path.ismount(p):
                continue
            if certain or fs in REMOVABLE_FS:
                candidates.append((p, fs))
                seen.add(str(p))
    for path, fs in candidates:
        d = _drive(path, fs)
        if d is not None:
            found.append(d)
    return found
