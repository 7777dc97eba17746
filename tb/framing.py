# SPDX-License-Identifier: MIT
"""TLP <-> DW list <-> stream beat conversion (CONTRACT.md, "TLP framing").

Three representations of one TLP:

* ``Tlp`` (cocotbext-pcie): fields; ``pack()`` gives bytes in wire order.
* a list of 32-bit DWs as the device sees them: header (and prefix) DWs
  are integers with the PCIe header bit positions (DW0[31:29] = Fmt, the
  first wire byte is bits 31:24), payload DWs are in memory byte order
  (the byte at the lowest address is bits 7:0).
* stream beats ``(tdata, tkeep, tlast)``: DW k sits in bits
  ``[32*(k%W)+31 : 32*(k%W)]`` of beat ``k // W``, tkeep one bit per DW.

cocotbext-pcie's Tlp knows no TLP prefixes, so prefix DWs (Fmt 100b) are
handled here: ``tlp_to_dws(tlp, prefixes=[...])`` puts them in front,
``dws_to_tlp`` strips them.

Nothing here needs a simulator.
"""

import struct

from cocotbext.pcie.core.tlp import Tlp

FMT_PREFIX = 0b100

# Fmt values (DW0[31:29])
FMT_3DW = 0b000
FMT_4DW = 0b001
FMT_3DW_DATA = 0b010
FMT_4DW_DATA = 0b011

MASK32 = 0xFFFFFFFF


def dw_fmt(dw0):
    """Fmt field (bits 31:29) of a header or prefix DW."""
    return (dw0 >> 29) & 0x7


def dw_type(dw0):
    """Type field (bits 28:24) of a header or prefix DW."""
    return (dw0 >> 24) & 0x1F


def is_prefix(dw):
    return dw_fmt(dw) == FMT_PREFIX


def header_dws(dw0):
    """Header size in DWs from DW0's Fmt (3 or 4)."""
    return 4 if dw_fmt(dw0) & 1 else 3


def has_data(dw0):
    return bool(dw_fmt(dw0) & 0b010)


def length_field(dw0):
    """Length field in DWs (0 means 1024, PCIe 2.2.2)."""
    n = dw0 & 0x3FF
    return n if n else 1024


def split_prefixes(dws):
    """Return (prefix DWs, DWs from the header on)."""
    k = 0
    while k < len(dws) and is_prefix(dws[k]):
        k += 1
    return list(dws[:k]), list(dws[k:])


def expected_dw_count(dws):
    """DWs the header says the TLP has (prefixes included), or None if the
    list is too short to tell."""
    prefixes, rest = split_prefixes(dws)
    if not rest:
        return None
    n = header_dws(rest[0])
    if has_data(rest[0]):
        n += length_field(rest[0])
    return len(prefixes) + n


# ---------------------------------------------------------------- Tlp <-> DWs

def bytes_to_dws(data, header_bytes):
    """Wire-order bytes -> DW list: the first ``header_bytes`` bytes are
    header DWs (big-endian), the rest payload DWs (memory order)."""
    data = bytes(data)
    if header_bytes % 4 or len(data) % 4:
        raise ValueError(f"TLP byte length {len(data)} is not a whole number of DWs")
    dws = []
    for k in range(0, len(data), 4):
        fmt = ">L" if k < header_bytes else "<L"
        dws.append(struct.unpack_from(fmt, data, k)[0])
    return dws


def dws_to_bytes(dws, header_dw_count):
    """DW list -> wire-order bytes (inverse of :func:`bytes_to_dws`)."""
    out = bytearray()
    for k, dw in enumerate(dws):
        out += struct.pack(">L" if k < header_dw_count else "<L", dw & MASK32)
    return bytes(out)


def tlp_to_dws(tlp, prefixes=()):
    """cocotbext-pcie Tlp (plus optional prefix DWs) -> DW list."""
    for p in prefixes:
        if not is_prefix(p):
            raise ValueError(f"prefix DW {p:#010x} does not have Fmt 100b")
    return list(prefixes) + bytes_to_dws(tlp.pack(), tlp.get_header_size())


def dws_to_tlp(dws):
    """DW list -> (prefix DWs, Tlp). Raises ValueError when the header is
    truncated or its Fmt/Type is not one cocotbext-pcie can decode."""
    prefixes, rest = split_prefixes(dws)
    if not rest:
        raise ValueError("TLP has no header DW")
    hdr = header_dws(rest[0])
    if len(rest) < hdr:
        raise ValueError(f"TLP shorter ({len(rest)} DWs) than its header ({hdr} DWs)")
    try:
        tlp = Tlp.unpack(dws_to_bytes(rest, hdr))
    except Exception as exc:  # unknown Fmt/Type pairs raise plain Exception/ValueError
        raise ValueError(f"cannot decode TLP {format_dws(dws)}: {exc}") from exc
    return prefixes, tlp


def format_dws(dws):
    return "[" + " ".join(f"{dw:08x}" for dw in dws) + "]"


# ---------------------------------------------------------------- DWs <-> beats

def dws_to_beats(dws, data_width):
    """DW list -> list of (tdata, tkeep, tlast) beats."""
    w = data_width // 32
    if w * 32 != data_width or w < 1:
        raise ValueError(f"DATA_WIDTH {data_width} is not a multiple of 32")
    if not dws:
        raise ValueError("empty TLP")
    beats = []
    for start in range(0, len(dws), w):
        chunk = dws[start:start + w]
        tdata = 0
        tkeep = 0
        for lane, dw in enumerate(chunk):
            tdata |= (dw & MASK32) << (32 * lane)
            tkeep |= 1 << lane
        beats.append((tdata, tkeep, start + w >= len(dws)))
    return beats


def beats_to_dws(beats, data_width):
    """List of (tdata, tkeep[, tlast]) beats -> DW list (DWs with tkeep set)."""
    w = data_width // 32
    dws = []
    for beat in beats:
        tdata, tkeep = beat[0], beat[1]
        for lane in range(w):
            if (tkeep >> lane) & 1:
                dws.append((tdata >> (32 * lane)) & MASK32)
    return dws


class TlpTransaction:
    """One TLP seen on a stream: its DWs and when it was seen.

    ``first_cycle``: first cycle its first beat was visible (tvalid high);
    ``accept_cycle``: cycle its last beat was accepted (tvalid && tready).
    Equality compares DWs only.
    """

    def __init__(self, dws, first_cycle=None, accept_cycle=None, beats=None):
        self.dws = list(dws)
        self.first_cycle = first_cycle
        self.accept_cycle = accept_cycle
        self.beats = beats

    def decode(self):
        """(prefix DWs, Tlp); ValueError when it cannot be decoded."""
        return dws_to_tlp(self.dws)

    def __eq__(self, other):
        if isinstance(other, TlpTransaction):
            return self.dws == other.dws
        return NotImplemented

    def __len__(self):
        return len(self.dws)

    def __repr__(self):
        return (f"{type(self).__name__}(dws={format_dws(self.dws)}, "
                f"first_cycle={self.first_cycle}, accept_cycle={self.accept_cycle})")
