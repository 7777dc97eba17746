# SPDX-License-Identifier: MIT
"""Linux's own decoder as a client of the configuration space: a dump in
the text format of ``lspci -xxxx`` and pciutils' ``lspci -F <dump> -vvv``.

Nothing here knows the device's register map: the dump is the 4096 bytes
read back over CfgRd0, and the check is what lspci makes of them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

CONFIG_BYTES = 4096


def dump_text(data: bytes, bus: int = 1, device: int = 0, function: int = 0) -> str:
    """``lspci -xxxx`` format: the device's address line, then 16 bytes a line."""
    if len(data) != CONFIG_BYTES:
        raise ValueError(f"a configuration space dump is {CONFIG_BYTES} bytes, not {len(data)}")
    vendor = data[0] | data[1] << 8
    dev_id = data[2] | data[3] << 8
    lines = [f"{bus:02x}:{device:02x}.{function} Device {vendor:04x}:{dev_id:04x}"]
    for off in range(0, CONFIG_BYTES, 16):
        width = 2 if off < 0x100 else 3
        lines.append(f"{off:0{width}x}: " + " ".join(f"{b:02x}" for b in data[off:off + 16]))
    return "\n".join(lines) + "\n\n"


def lspci_exe() -> str:
    exe = shutil.which("lspci")
    if exe is None:
        raise RuntimeError("lspci (Debian package pciutils) is not installed; `make setup` "
                           "installs it when run as root, else: sudo apt-get install pciutils")
    return exe


def decode(path: Path) -> str:
    """``lspci -F <path> -vvv``: how Linux's pciutils decode the dump."""
    res = subprocess.run([lspci_exe(), "-F", str(path), "-vvv"], capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"lspci -F {path} failed ({res.returncode}): {res.stderr.strip()}")
    return res.stdout


def capabilities(text: str) -> list[tuple[int, str]]:
    """(offset, description) of every ``Capabilities: [xx] ...`` line."""
    return [(int(m.group(1), 16), m.group(2).strip())
            for m in re.finditer(r"Capabilities: \[([0-9a-f]+)(?: v\d+)?\] (.*)", text)]


def extended_capabilities(text: str) -> list[tuple[int, int, str]]:
    """(offset, version, description) of every extended capability line,
    ``Capabilities: [100 v2] ...`` (lspci prints the version only for
    those, read from the header's bits 19:16)."""
    return [(int(m.group(1), 16), int(m.group(2)), m.group(3).strip())
            for m in re.finditer(r"Capabilities: \[([0-9a-f]+) v(\d+)\] (.*)", text)]


def field_line(text: str, label: str) -> str | None:
    """The first decoded line that starts with ``label:`` (e.g. ``UESvrt``)."""
    m = re.search(rf"^\s*{re.escape(label)}:\s*(.*)$", text, re.M)
    return m.group(1) if m else None


def problems(text: str) -> list[str]:
    """What lspci could not decode: ``<?>`` (an unknown or broken
    capability) and its complaints about the lists (loops, pointers out of
    the space, unreadable extended space)."""
    out = []
    for line in text.splitlines():
        # "<?>": a field lspci cannot decode; "Capability ID 0x..": an ID
        # it does not know (or a list pointing into garbage)
        if "<?>" in line or re.search(r"Capability ID 0x[0-9a-f]+", line):
            out.append(f"undecoded: {line.strip()}")
        if re.search(r"<chain (broken|looped)>|<unavailable>|<access denied>", line):
            out.append(f"capability list: {line.strip()}")
    return out
