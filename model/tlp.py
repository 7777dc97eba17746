# SPDX-License-Identifier: MIT
"""TLP codec on lists of 32-bit DWs.

A TLP is a list of ints, one per DW, in wire order (DW0 first).  Header DWs
carry the fields at the bit positions of the PCIe Base Specification's
header figures (PCIe 2.2.1: DW0[31:29] Fmt, [28:24] Type, [9:0] Length);
payload DWs are integers in memory byte order (the byte at the lowest
address is bits 7:0), see ../docs/design.md section 1.

Only what the device and its checker need: parse a request (optionally
preceded by TLP prefixes), build completions and memory-write messages,
parse what the device transmits (completions, interrupt writes, Error
Messages), and the byte count / lower address rules
of completions (PCIe 2.2.9, 2.3.1.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MASK32 = 0xFFFFFFFF

# Fmt (PCIe Table 2-2)
FMT_3DW = 0b000
FMT_4DW = 0b001
FMT_3DW_DATA = 0b010
FMT_4DW_DATA = 0b011
FMT_PREFIX = 0b100

# Type (PCIe Table 2-3)
TYPE_MEM = 0b00000  # MRd / MWr
TYPE_MEM_LOCKED = 0b00001  # MRdLk
TYPE_IO = 0b00010  # IORd / IOWr
TYPE_CFG0 = 0b00100  # CfgRd0 / CfgWr0
TYPE_CFG1 = 0b00101  # CfgRd1 / CfgWr1
TYPE_FETCH_ADD = 0b01100
TYPE_SWAP = 0b01101
TYPE_CAS = 0b01110
#: AtomicOp Types (FetchAdd, Swap, CAS): requests only with data
ATOMIC_TYPES = (TYPE_FETCH_ADD, TYPE_SWAP, TYPE_CAS)
#: Types whose requests with data are non-posted (IOWr, CfgWr0/1, AtomicOps)
NON_POSTED_WITH_DATA = (TYPE_IO, TYPE_CFG0, TYPE_CFG1) + ATOMIC_TYPES
TYPE_CPL = 0b01010  # Cpl / CplD
TYPE_CPL_LOCKED = 0b01011  # CplLk / CplDLk
TYPE_MSG_MASK = 0b11000  # Msg / MsgD: Type 10rrr
TYPE_MSG = 0b10000
TYPE_MSG_TO_RC = 0b10000  # Msg routed to the Root Complex (r[2:0] = 000b)

# Message Codes (PCIe 2.2.8): DW1[7:0] of a Msg/MsgD
MSG_ERR_COR = 0x30  # Error Messages (PCIe 2.2.8.3)
MSG_ERR_NONFATAL = 0x31
MSG_ERR_FATAL = 0x33
MSG_VENDOR_DEFINED_TYPE0 = 0x7E  # PCIe 2.2.8.6
MSG_VENDOR_DEFINED_TYPE1 = 0x7F
MESSAGE_CODE_NAMES = {MSG_ERR_COR: "ERR_COR", MSG_ERR_NONFATAL: "ERR_NONFATAL",
                      MSG_ERR_FATAL: "ERR_FATAL", MSG_VENDOR_DEFINED_TYPE0: "Vendor_Defined Type 0",
                      MSG_VENDOR_DEFINED_TYPE1: "Vendor_Defined Type 1"}

# Completion status (PCIe Table 2-34 in 4.0 numbering; 2.2.9)
CPL_SC = 0b000
CPL_UR = 0b001
CPL_CRS = 0b010
CPL_CA = 0b100
STATUS_NAMES = {CPL_SC: "SC", CPL_UR: "UR", CPL_CRS: "CRS", CPL_CA: "CA"}

# End-End TLP prefix carrying a PASID (PCIe 6.20 / 2.2.1.1): Fmt 100b,
# Type 10001b, bit 23 privileged, bit 22 execute, bits 19:0 PASID.
PASID_PREFIX = 0x91000000
PASID_PREFIX_MASK = 0xFF000000
# Type bit 4 of a prefix: End-End (1) or Local (0) (PCIe 2.2.1.1)
PREFIX_END_END = 1 << 28


class TlpError(ValueError):
    """A DW list that cannot be decoded at all (e.g. empty)."""


def _u32(x: int) -> int:
    if not 0 <= x <= MASK32:
        raise ValueError(f"DW 0x{x:x} does not fit in 32 bits")
    return x


def fmt_has_data(fmt: int) -> bool:
    return bool(fmt & 0b010)


def fmt_is_4dw(fmt: int) -> bool:
    return bool(fmt & 0b001)


def pasid_prefix(pasid: int) -> int:
    """The PASID End-End prefix DW of design.md section 5."""
    if not 0 <= pasid < 1 << 20:
        raise ValueError(f"PASID 0x{pasid:x} is wider than 20 bits")
    return PASID_PREFIX | pasid


@dataclass
class Request:
    """A decoded rx TLP (normally a request; any Fmt/Type decodes)."""

    prefixes: list[int]
    fmt: int
    type: int
    tc: int
    attr: int  # 3 bits: bit 2 = ID-Based Ordering (DW0[18]), bits 1:0 = DW0[13:12]
    th: int
    td: int
    ep: int
    at: int
    length_field: int  # raw 10-bit Length; 0 means 1024 DWs
    requester_id: int
    tag: int
    last_be: int
    first_be: int
    address: int  # memory/IO requests: byte address (low 2 bits 0)
    bus: int  # config requests: DW2 fields (PCIe 2.2.7, figure of config header)
    device: int
    function: int
    register: int  # config: byte offset {Ext Reg Number, Register Number, 00b}
    payload: list[int]
    wire_dws: int  # DWs of the header and everything after it (prefixes excluded)
    truncated: bool  # fewer DWs than the header needs

    @property
    def has_data(self) -> bool:
        return fmt_has_data(self.fmt)

    @property
    def is_4dw(self) -> bool:
        return fmt_is_4dw(self.fmt)

    @property
    def header_dws(self) -> int:
        return 4 if self.is_4dw else 3

    @property
    def length(self) -> int:
        """Length in DWs (a Length field of 0 means 1024, PCIe 2.2.2)."""
        return self.length_field or 1024

    @property
    def expected_dws(self) -> int:
        """DWs the header says follow DW0 (inclusive): header, payload, digest.

        The TLP Digest (ECRC) DW is present when TD = 1 (PCIe 2.2.3)."""
        return self.header_dws + (self.length if self.has_data else 0) + self.td

    @property
    def length_ok(self) -> bool:
        """The number of DWs on the stream agrees with the header."""
        return not self.truncated and self.wire_dws == self.expected_dws

    @property
    def is_posted(self) -> bool:
        """Memory writes and messages are posted (PCIe 2.4.1); so are
        completions for this purpose: nothing answers them."""
        if self.type & TYPE_MSG_MASK == TYPE_MSG:
            return True
        if self.type in (TYPE_CPL, TYPE_CPL_LOCKED):
            return True
        return self.type == TYPE_MEM and self.has_data

    @property
    def is_message(self) -> bool:
        return self.type & TYPE_MSG_MASK == TYPE_MSG

    @property
    def message_code(self) -> int:
        """DW1[7:0] of a message (where requests carry Last/First BE)."""
        return self.last_be << 4 | self.first_be


def parse_request(dws: list[int]) -> Request:
    """Decode an rx TLP.

    Leading DWs with Fmt 100b are TLP prefixes (PCIe 2.2.1.1) and are
    returned in ``prefixes``.  Missing header DWs decode as 0 with
    ``truncated`` set; the payload is whatever follows the header (the
    digest DW, if any, is not removed: ``length_ok`` tells the caller
    whether the count is right).
    """
    dws = [_u32(d) for d in dws]
    i = 0
    while i < len(dws) and dws[i] >> 29 == FMT_PREFIX:
        i += 1
    prefixes, body = dws[:i], dws[i:]
    if not body:
        raise TlpError("TLP has no header DW")
    dw0 = body[0]
    fmt = dw0 >> 29
    hdr = 4 if fmt_is_4dw(fmt) else 3
    truncated = len(body) < hdr
    h = body[:hdr] + [0] * max(0, hdr - len(body))
    dw1, dw2 = h[1], h[2]
    if hdr == 4:
        address = (dw2 << 32) | (h[3] & ~0x3)
    else:
        address = dw2 & ~0x3
    return Request(
        prefixes=prefixes,
        fmt=fmt,
        type=(dw0 >> 24) & 0x1F,
        tc=(dw0 >> 20) & 0x7,
        attr=(((dw0 >> 18) & 1) << 2) | ((dw0 >> 12) & 0x3),
        th=(dw0 >> 16) & 1,
        td=(dw0 >> 15) & 1,
        ep=(dw0 >> 14) & 1,
        at=(dw0 >> 10) & 0x3,
        length_field=dw0 & 0x3FF,
        requester_id=dw1 >> 16,
        tag=(dw1 >> 8) & 0xFF,
        last_be=(dw1 >> 4) & 0xF,
        first_be=dw1 & 0xF,
        address=address,
        bus=dw2 >> 24,
        device=(dw2 >> 19) & 0x1F,
        function=(dw2 >> 16) & 0x7,
        register=dw2 & 0xFFC,
        payload=body[hdr:] if fmt_has_data(fmt) else [],
        wire_dws=len(body),
        truncated=truncated,
    )


def _dw0(fmt: int, type_: int, tc: int = 0, attr: int = 0, td: int = 0,
         ep: int = 0, length: int = 0) -> int:
    return ((fmt & 7) << 29 | (type_ & 0x1F) << 24 | (tc & 7) << 20
            | ((attr >> 2) & 1) << 18 | (td & 1) << 15 | (ep & 1) << 14
            | (attr & 3) << 12 | (length & 0x3FF))


def build_request(fmt: int, type_: int, *, requester_id: int = 0, tag: int = 0,
                  first_be: int = 0xF, last_be: int = 0, address: int = 0,
                  length: int | None = None, data: list[int] | None = None,
                  tc: int = 0, attr: int = 0, td: int = 0, ep: int = 0,
                  prefixes: list[int] | None = None) -> list[int]:
    """Build a memory / IO / atomic / message request (for tests and the host)."""
    data = list(data or [])
    if length is None:
        length = len(data) if data else 1
    dws = list(prefixes or [])
    dws.append(_dw0(fmt, type_, tc, attr, td, ep, length))
    dws.append((requester_id & 0xFFFF) << 16 | (tag & 0xFF) << 8
               | (last_be & 0xF) << 4 | (first_be & 0xF))
    if fmt_is_4dw(fmt):
        dws += [(address >> 32) & MASK32, address & 0xFFFFFFFC]
    else:
        dws.append(address & 0xFFFFFFFC)
    return dws + data


def build_cfg(write: bool, *, bus: int, device: int, function: int = 0,
              register: int = 0, requester_id: int = 0, tag: int = 0,
              first_be: int = 0xF, data: int | list[int] | None = None,
              type1: bool = False, length: int = 1, td: int = 0, ep: int = 0,
              four_dw: bool = False) -> list[int]:
    """Build a CfgRd0/CfgWr0 (or type 1) request; ``register`` is a byte offset.

    ``data``: the write's payload DW, or a list of DWs.  For requests a
    device must refuse, ``four_dw`` builds a 4DW header (config requests
    use 3DW; DW3 is 0) and ``td`` / ``ep`` set TD and EP."""
    if write:
        fmt = FMT_4DW_DATA if four_dw else FMT_3DW_DATA
    else:
        fmt = FMT_4DW if four_dw else FMT_3DW
    dws = [_dw0(fmt, TYPE_CFG1 if type1 else TYPE_CFG0, td=td, ep=ep, length=length),
           (requester_id & 0xFFFF) << 16 | (tag & 0xFF) << 8 | (first_be & 0xF),
           (bus & 0xFF) << 24 | (device & 0x1F) << 19 | (function & 7) << 16
           | (register & 0xFFC)]
    if four_dw:
        dws.append(0)
    if write:
        dws += [0] if data is None else [data] if isinstance(data, int) else list(data)
    return dws


def build_completion(*, completer_id: int, requester_id: int, tag: int,
                     status: int = CPL_SC, byte_count: int = 4,
                     lower_address: int = 0, tc: int = 0, attr: int = 0,
                     data: list[int] | None = None, locked: bool = False,
                     bcm: int = 0) -> list[int]:
    """Cpl / CplD (or CplLk / CplDLk) DWs, PCIe 2.2.9.

    ``byte_count`` is in bytes, 1..4096; 4096 is encoded as 0 (PCIe 2.2.9:
    a Byte Count of 000h means 4096 bytes).  Without data the Length field
    is 0 (it is reserved for Cpl)."""
    if not 1 <= byte_count <= 4096:
        raise ValueError(f"byte count {byte_count} out of 1..4096")
    fmt = FMT_3DW_DATA if data is not None else FMT_3DW
    type_ = TYPE_CPL_LOCKED if locked else TYPE_CPL
    length = len(data) if data is not None else 0
    return [
        _dw0(fmt, type_, tc, attr, length=length),
        (completer_id & 0xFFFF) << 16 | (status & 7) << 13 | (bcm & 1) << 12
        | (byte_count & 0xFFF),
        (requester_id & 0xFFFF) << 16 | (tag & 0xFF) << 8 | (lower_address & 0x7F),
    ] + [_u32(d) for d in (data or [])]


def build_mem_write(*, requester_id: int, address: int, data: int,
                    pasid: int | None = None, tag: int = 0) -> list[int]:
    """An interrupt message: 1-DW Memory Write, FBE 1111b, LBE 0000b, TC 0,
    Attr 0; 3DW header iff the address is below 4 GiB (PCIe 2.2.4.1: a
    4DW header must not be used for addresses below 4 GiB); optional PASID
    prefix in front (design.md section 5)."""
    prefixes = [pasid_prefix(pasid)] if pasid is not None else []
    fmt = FMT_4DW_DATA if address >> 32 else FMT_3DW_DATA
    return build_request(fmt, TYPE_MEM, requester_id=requester_id, tag=tag,
                         first_be=0xF, last_be=0, address=address, length=1,
                         data=[data], prefixes=prefixes)


def build_error_message(code: int, *, requester_id: int) -> list[int]:
    """An Error Message (design.md 2; PCIe 2.2.8.3): Msg, 4DW header, Fmt
    001b, Type 10000b (routed to the Root Complex), TC 0, Attr 0, Length 0,
    Tag 0, Message Code ``code`` in DW1[7:0], DW2 = DW3 = 0."""
    if code not in (MSG_ERR_COR, MSG_ERR_NONFATAL, MSG_ERR_FATAL):
        raise ValueError(f"Message Code 0x{code:02x} is not an Error Message")
    return [_dw0(FMT_4DW, TYPE_MSG_TO_RC), (requester_id & 0xFFFF) << 16 | code, 0, 0]


# ---------------------------------------------------------------------------
# Byte count and lower address (PCIe 2.2.9, 2.3.1.1)


def _first_set(be: int) -> int:
    for i in range(4):
        if be >> i & 1:
            return i
    return 4


def _last_set(be: int) -> int:
    for i in range(3, -1, -1):
        if be >> i & 1:
            return i
    return -1


def request_byte_count(length: int, first_be: int, last_be: int) -> int:
    """Bytes a memory read asks for (PCIe Table 2-38 in 4.0 numbering,
    "Calculating Byte Count from Length and Byte Enables").

    Length 1 (Last BE 0000b): from the first to the last enabled byte of
    First BE, so 1xx1b -> 4, 01x1b/1x10b -> 3, 0011b/0110b/1100b -> 2, one
    bit -> 1; First BE 0000b (zero-length read) counts 1.
    Length > 1: Length*4 minus the disabled bytes below the first enabled
    byte of First BE and above the last enabled byte of Last BE (the table's
    rows xxx1b/xx10b/x100b/1000b by 1xxxb/01xxb/001xb/0001b).
    """
    if length < 1 or length > 1024:
        raise ValueError(f"length {length} out of 1..1024")
    if length == 1:
        if first_be == 0:
            return 1
        return _last_set(first_be) - _first_set(first_be) + 1
    return length * 4 - _first_set(first_be) - (3 - _last_set(last_be))


def lower_address_bits(first_be: int) -> int:
    """Lower Address[1:0] from First BE (PCIe Table 2-39 in 4.0 numbering):
    0000b -> 00b, xxx1b -> 00b, xx10b -> 01b, x100b -> 10b, 1000b -> 11b."""
    if first_be == 0:
        return 0
    return _first_set(first_be)


# ---------------------------------------------------------------------------
# What the device transmits


@dataclass
class Completion:
    fmt: int
    type: int
    tc: int
    attr: int
    td: int
    ep: int
    length_field: int
    completer_id: int
    status: int
    bcm: int
    byte_count: int  # raw 12-bit field (0 means 4096)
    requester_id: int
    tag: int
    lower_address: int
    data: list[int]
    wire_dws: int
    dws: list[int] = field(repr=False, default_factory=list)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, f"reserved {self.status:03b}b")


@dataclass
class MemWrite:
    prefixes: list[int]
    fmt: int
    type: int
    tc: int
    attr: int
    th: int
    td: int
    ep: int
    at: int
    length_field: int
    requester_id: int
    tag: int
    last_be: int
    first_be: int
    address: int
    raw_address_low: int  # DW carrying ADDRESS[31:2] incl. its 2 reserved bits
    data: list[int]
    wire_dws: int
    dws: list[int] = field(repr=False, default_factory=list)

    @property
    def pasid(self) -> int | None:
        """PASID of the first PASID prefix, or None without one."""
        for p in self.prefixes:
            if p & PASID_PREFIX_MASK == PASID_PREFIX:
                return p & 0xFFFFF
        return None


@dataclass
class Msg:
    """A message (Msg/MsgD) as the device transmits it."""

    fmt: int
    type: int
    tc: int
    attr: int
    th: int
    td: int
    ep: int
    at: int
    length_field: int
    requester_id: int
    tag: int
    code: int
    dw2: int
    dw3: int
    data: list[int]
    wire_dws: int
    dws: list[int] = field(repr=False, default_factory=list)

    @property
    def code_name(self) -> str:
        return MESSAGE_CODE_NAMES.get(self.code, f"Message Code 0x{self.code:02x}")

    @property
    def routing(self) -> int:
        """r[2:0] of Type 10rrr (000b: routed to the Root Complex)."""
        return self.type & 0b111


def is_msg(dws: list[int]) -> bool:
    """A Msg/MsgD TLP (Type 10rrr, Fmt 001b/011b), no prefixes in front."""
    return bool(dws) and (dws[0] >> 24) & TYPE_MSG_MASK == TYPE_MSG \
        and dws[0] >> 29 in (FMT_4DW, FMT_4DW_DATA)


def parse_msg(dws: list[int]) -> Msg:
    dws = [_u32(d) for d in dws]
    if len(dws) < 4:
        raise TlpError(f"message has {len(dws)} DWs, its header needs 4")
    dw0, dw1 = dws[0], dws[1]
    return Msg(
        fmt=dw0 >> 29, type=(dw0 >> 24) & 0x1F, tc=(dw0 >> 20) & 7,
        attr=(((dw0 >> 18) & 1) << 2) | ((dw0 >> 12) & 3), th=(dw0 >> 16) & 1,
        td=(dw0 >> 15) & 1, ep=(dw0 >> 14) & 1, at=(dw0 >> 10) & 3,
        length_field=dw0 & 0x3FF, requester_id=dw1 >> 16, tag=(dw1 >> 8) & 0xFF,
        code=dw1 & 0xFF, dw2=dws[2], dw3=dws[3], data=dws[4:], wire_dws=len(dws), dws=dws)


def is_completion(dws: list[int]) -> bool:
    return bool(dws) and (dws[0] >> 24) & 0x1F in (TYPE_CPL, TYPE_CPL_LOCKED) \
        and dws[0] >> 29 in (FMT_3DW, FMT_3DW_DATA)


def parse_completion(dws: list[int]) -> Completion:
    dws = [_u32(d) for d in dws]
    if len(dws) < 3:
        raise TlpError(f"completion has {len(dws)} DWs, a header needs 3")
    dw0, dw1, dw2 = dws[:3]
    fmt = dw0 >> 29
    return Completion(
        fmt=fmt, type=(dw0 >> 24) & 0x1F, tc=(dw0 >> 20) & 7,
        attr=(((dw0 >> 18) & 1) << 2) | ((dw0 >> 12) & 3),
        td=(dw0 >> 15) & 1, ep=(dw0 >> 14) & 1, length_field=dw0 & 0x3FF,
        completer_id=dw1 >> 16, status=(dw1 >> 13) & 7, bcm=(dw1 >> 12) & 1,
        byte_count=dw1 & 0xFFF, requester_id=dw2 >> 16, tag=(dw2 >> 8) & 0xFF,
        lower_address=dw2 & 0x7F, data=dws[3:], wire_dws=len(dws), dws=dws)


def parse_mem_write(dws: list[int]) -> MemWrite:
    r = parse_request(dws)
    if r.truncated:
        raise TlpError(f"memory write of {len(dws)} DWs is shorter than its header")
    low = list(dws)[len(r.prefixes) + r.header_dws - 1]
    return MemWrite(
        prefixes=r.prefixes, fmt=r.fmt, type=r.type, tc=r.tc, attr=r.attr,
        th=r.th, td=r.td, ep=r.ep, at=r.at, length_field=r.length_field,
        requester_id=r.requester_id, tag=r.tag, last_be=r.last_be,
        first_be=r.first_be, address=r.address, raw_address_low=low,
        data=r.payload, wire_dws=r.wire_dws, dws=list(dws))


def describe(dws: list[int]) -> str:
    """One-line human description of any TLP (for error messages)."""
    try:
        if is_completion(dws):
            c = parse_completion(dws)
            kind = ("CplD" if fmt_has_data(c.fmt) else "Cpl") + \
                ("Lk" if c.type == TYPE_CPL_LOCKED else "")
            data = " data " + " ".join(f"0x{d:08x}" for d in c.data) if c.data else ""
            return (f"{kind} status {c.status_name} completer 0x{c.completer_id:04x} "
                    f"requester 0x{c.requester_id:04x} tag 0x{c.tag:02x} "
                    f"byte count {c.byte_count} lower address 0x{c.lower_address:02x}{data}")
        if is_msg(dws):
            m = parse_msg(dws)
            kind = "MsgD" if m.fmt == FMT_4DW_DATA else "Msg"
            extra = "" if (m.dw2, m.dw3) == (0, 0) else f" DW2 0x{m.dw2:08x} DW3 0x{m.dw3:08x}"
            return (f"{kind} {m.code_name} routing {m.routing:03b}b requester "
                    f"0x{m.requester_id:04x} tag 0x{m.tag:02x} len {m.length_field}{extra}"
                    + (f" data {' '.join(f'0x{d:08x}' for d in m.data)}" if m.data else ""))
        r = parse_request(dws)
        rw = "Wr" if r.has_data else "Rd"
        pre = f"prefix {' '.join(f'0x{p:08x}' for p in r.prefixes)} " if r.prefixes else ""
        ids = f"requester 0x{r.requester_id:04x} tag 0x{r.tag:02x}"
        if r.type in (TYPE_CFG0, TYPE_CFG1):
            where = (f"Cfg{rw}{r.type - TYPE_CFG0} {r.bus:02x}:{r.device:02x}.{r.function} "
                     f"reg 0x{r.register:03x}")
        elif r.type in (TYPE_MEM, TYPE_IO):
            name = ("M" if r.type == TYPE_MEM else "IO") + rw
            where = f"{name} {'4DW' if r.is_4dw else '3DW'} 0x{r.address:x}"
        else:
            where = f"Fmt {r.fmt:03b}b Type {r.type:05b}b 0x{r.address:x}"
        data = (" data " + " ".join(f"0x{d:08x}" for d in r.payload[:4])
                + (" ..." if len(r.payload) > 4 else "")) if r.payload else ""
        return (f"{pre}{where} len {r.length_field} be {r.last_be:04b}/{r.first_be:04b} "
                f"{ids}{data}")
    except (TlpError, ValueError) as e:
        return f"undecodable TLP {[hex(d) for d in dws]} ({e})"


# ---------------------------------------------------------------------------
# Convenience builders for hosts and tests


def mem_read(address: int, *, length: int = 1, first_be: int = 0xF,
             last_be: int | None = None, requester_id: int = 0, tag: int = 0,
             tc: int = 0, attr: int = 0, force_4dw: bool = False) -> list[int]:
    """MRd; 4DW header iff the address is above 4 GiB (or ``force_4dw``).
    ``last_be`` defaults to 0000b for Length 1 and 1111b otherwise."""
    if last_be is None:
        last_be = 0 if length == 1 else 0xF
    fmt = FMT_4DW if (address >> 32 or force_4dw) else FMT_3DW
    return build_request(fmt, TYPE_MEM, requester_id=requester_id, tag=tag,
                         first_be=first_be, last_be=last_be, address=address,
                         length=length & 0x3FF, tc=tc, attr=attr)


def mem_write(address: int, data: list[int] | int, *, first_be: int = 0xF,
              last_be: int | None = None, requester_id: int = 0, tag: int = 0,
              ep: int = 0, force_4dw: bool = False) -> list[int]:
    """MWr of one or more DWs (see :func:`mem_read` for the defaults)."""
    data = [data] if isinstance(data, int) else list(data)
    if last_be is None:
        last_be = 0 if len(data) == 1 else 0xF
    fmt = FMT_4DW_DATA if (address >> 32 or force_4dw) else FMT_3DW_DATA
    return build_request(fmt, TYPE_MEM, requester_id=requester_id, tag=tag,
                         first_be=first_be, last_be=last_be, address=address,
                         data=data, ep=ep)
