# SPDX-License-Identifier: MIT
"""Register description: registers as tables, not code.

A :class:`Reg` describes one DW: its reset value and which bits are RW,
write-1-to-clear, or cleared by any write; every other bit is read-only and
keeps its reset value.  Writes come with the 4 byte enables of the TLP
(PCIe 2.2.5: a byte whose enable is clear is not written).

:class:`RegFile` holds values for a dict ``offset -> Reg``; unlisted
offsets read 0 and ignore writes (design.md sections 3 and 4).  Values that
live elsewhere (pending bits, counters kept by the engine) come in through
``read_hook``; side effects and clamps go through ``write_hook``.  Tables
with thousands of identical entries (MSI-X, IMS) reuse one ``Reg`` per
entry DW with :func:`apply_write` on their own storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

MASK32 = 0xFFFFFFFF


def be_mask(be: int) -> int:
    """The 32-bit mask of the bytes enabled by a 4-bit byte enable."""
    m = 0
    for i in range(4):
        if be >> i & 1:
            m |= 0xFF << (8 * i)
    return m


@dataclass(frozen=True)
class Reg:
    name: str
    reset: int = 0
    rw: int = 0  # bits that keep what is written
    w1c: int = 0  # bits cleared by writing 1
    write_clears: bool = False  # a write with any byte enabled clears the DW
    # Optional: filter(old, proposed) -> stored, e.g. a clamp (MSI MME)
    write_hook: Callable[[int, int], int] | None = None

    def __post_init__(self):
        if self.rw & self.w1c:
            raise ValueError(f"{self.name}: bits both RW and W1C")


def apply_write(reg: Reg, old: int, value: int, be: int) -> int:
    """The value a register holds after a write of ``value`` with ``be``."""
    m = be_mask(be)
    if not m:
        return old
    if reg.write_clears:
        return 0
    new = (old & ~(reg.rw & m)) | (value & reg.rw & m)
    new &= ~(value & reg.w1c & m)
    new &= MASK32
    if reg.write_hook is not None:
        new = reg.write_hook(old, new) & MASK32
    return new


class RegFile:
    """Values of a set of registers described by ``regs``."""

    def __init__(self, regs: dict[int, Reg],
                 read_hooks: dict[int, Callable[[int], int]] | None = None):
        for off in regs:
            if off % 4:
                raise ValueError(f"register offset 0x{off:x} is not DW aligned")
        self.regs = dict(regs)
        self.read_hooks = dict(read_hooks or {})
        self.values: dict[int, int] = {}
        self.reset()

    def reset(self) -> None:
        self.values = {off: r.reset for off, r in self.regs.items()}

    def __contains__(self, offset: int) -> bool:
        return offset in self.regs

    def read(self, offset: int) -> int:
        if offset not in self.regs:
            return 0
        v = self.values[offset]
        hook = self.read_hooks.get(offset)
        return hook(v) & MASK32 if hook else v

    def write(self, offset: int, value: int, be: int = 0xF) -> bool:
        """Apply a write; True when the stored value changed."""
        reg = self.regs.get(offset)
        if reg is None:
            return False
        old = self.values[offset]
        new = apply_write(reg, old, value, be)
        self.values[offset] = new
        return new != old

    def get(self, offset: int) -> int:
        """The stored value (no read hook)."""
        return self.values[offset]

    def set(self, offset: int, value: int) -> None:
        """Set the stored value directly (hardware-side update)."""
        if offset not in self.regs:
            raise KeyError(f"no register at 0x{offset:x}")
        self.values[offset] = value & MASK32
