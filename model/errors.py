# SPDX-License-Identifier: MIT
"""Error logging and signalling (design.md 2 "Errors"; PCIe 6.2.5, Figure 6-2).

Each received TLP logs at most one error (design.md 2, the request table).
:func:`log_error` applies the two-step procedure of design.md to the
function's registers (Status, Device Status, AER) and returns the Message
Code of the Error Message the function must send, if any.  The request
decoder (model/device.py) decides which error a TLP is; this module decides
what that error does.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import regs as R

# The errors this function detects, by key (design.md 2 "error logged").
POISONED = "poisoned"       # Poisoned TLP Received
CA = "ca"                   # Completer Abort
UC = "uc"                   # Unexpected Completion
MALFORMED = "malformed"     # Malformed TLP
UR = "ur"                   # Unsupported Request
ERRORS = (POISONED, CA, UC, MALFORMED, UR)

#: bit of each error in the AER Uncorrectable Error Status/Mask/Severity
#: registers (PCIe 7.8.4.2)
UNCOR_BIT = {POISONED: 12, CA: 15, UC: 16, MALFORMED: 18, UR: 20}
NAMES = {POISONED: "Poisoned TLP Received", CA: "Completer Abort",
         UC: "Unexpected Completion", MALFORMED: "Malformed TLP",
         UR: "Unsupported Request"}
ADVISORY_NON_FATAL_BIT = 13     # Correctable Error Status/Mask (PCIe 7.8.4.5)

#: Message Codes of the Error Messages (PCIe 2.2.8.3)
ERR_COR = R.MSG_ERR_COR
ERR_NONFATAL = R.MSG_ERR_NONFATAL
ERR_FATAL = R.MSG_ERR_FATAL
MESSAGE_NAMES = {ERR_COR: "ERR_COR", ERR_NONFATAL: "ERR_NONFATAL", ERR_FATAL: "ERR_FATAL"}

HEADER_LOG_DWS = 4


@dataclass(frozen=True)
class Outcome:
    """What logging one error did (for the scoreboard's messages and coverage)."""

    error: str
    completed: bool     # a UR/CA this function completed (vs posted / dropped)
    fatal: bool         # severity bit set
    advisory: bool
    logged: bool        # First Error Pointer and Header Log written
    message: int | None  # Message Code to send, or None
    masked: bool = False  # stopped by a mask (Advisory Non-Fatal / the error's own)

    def describe(self) -> str:
        how = "advisory" if self.advisory else ("Fatal" if self.fatal else "Non-Fatal")
        if self.masked:
            how += ", masked"
        what = NAMES[self.error] + (", completed" if self.completed else "")
        msg = MESSAGE_NAMES[self.message] if self.message is not None else "no message"
        return f"{what} ({how}{', logged' if self.logged else ''}; {msg})"


FMT_PREFIX = 0b100


def split_prefix(dws: list[int], prefixes: bool) -> tuple[int | None, list[int]]:
    """(the End-End prefix the TLP Prefix Log takes or None, the DWs the
    Header Log takes from).

    A function with End-End TLP Prefix support (``prefixes``) sets a
    prefix in DW0 apart: an End-End one goes to the TLP Prefix Log (PCIe
    6.2.4.4: "Only End-End TLP Prefixes are logged by AER"), and what
    follows is the header, a second prefix first when there is one (6.2.4.4:
    "store the first overflow End-End TLP Prefix in the 1st DW of the Header
    Log register"). Without that support the Header Log holds "the first
    four DWs of the TLP (End-End TLP Prefixes followed by as much of the TLP
    Header as will fit)" (6.2.4.4)."""
    if prefixes and dws and dws[0] >> 29 == FMT_PREFIX:
        end_end = bool(dws[0] >> 28 & 1)
        return (dws[0] if end_end else None), list(dws[1:])
    return None, list(dws)


def header_log(dws: list[int], prefixes: bool = True) -> list[int]:
    """The 4 Header Log DWs of a received packet (design.md 2 "Logging"):
    from the DWs :func:`split_prefix` leaves, 4 DWs when Fmt[0] says a 4DW
    header or Fmt[2] a prefix or reserved Fmt, else 3 with DW3 = 0; DWs
    that never arrived are 0."""
    body = split_prefix(dws, prefixes)[1]
    n = 4 if body and body[0] >> 29 & 0b101 else 3
    hdr = body[:n]
    return hdr + [0] * (HEADER_LOG_DWS - len(hdr))


class ErrorRegisters:
    """The error state of function 0 over its config space registers.

    ``cfg`` is a :class:`model.config_space.ConfigSpace`; the bits live in
    its register file, so config reads see them and RW1C writes clear them.
    """

    def __init__(self, cfg, prefixes: bool = True):
        self.cfg = cfg
        #: End-End TLP Prefix Supported: the TLP Prefix Log is implemented
        self.prefixes = prefixes

    # -- access -------------------------------------------------------------
    def _get(self, off: int) -> int:
        return self.cfg.regs.get(off)

    def _set_bits(self, off: int, bits: int) -> None:
        self.cfg.regs.set(off, self._get(off) | bits)

    def _status(self, bits16: int) -> None:            # Status: upper half of 0x04
        self._set_bits(R.CFG_COMMAND, bits16 << 16)

    def _dev_status(self, bits16: int) -> None:        # Device Status: upper half of 0x48
        self._set_bits(R.CFG_DEV_CTL, bits16 << 16)

    @property
    def _dev_ctl(self) -> int:
        return self._get(R.CFG_DEV_CTL) & 0xFFFF

    @property
    def _serr_enable(self) -> bool:
        return bool(self._get(R.CFG_COMMAND) & R.CFG_COMMAND_SERR_ENABLE)

    def first_error_pointer_valid(self) -> bool:
        """Valid while the Uncorrectable Error Status bit it points at is set
        (design.md 2; PCIe 7.8.4.7)."""
        fep = self._get(R.CFG_AER_CAP_CTL) & R.CFG_AER_CAP_CTL_FIRST_ERROR_POINTER
        return bool(self._get(R.CFG_AER_UNCOR_STATUS) >> fep & 1)

    def _log(self, bit: int, dws: list[int]) -> None:
        prefix = split_prefix(dws, self.prefixes)[0]
        cap_ctl = self._get(R.CFG_AER_CAP_CTL) & ~(R.CFG_AER_CAP_CTL_FIRST_ERROR_POINTER
                                                   | R.CFG_AER_CAP_CTL_TLP_PREFIX_LOG_PRESENT)
        if prefix is not None:
            # PCIe 7.8.4.7: TLP Prefix Log Present, "the TLP Prefix Log
            # register ... contains valid ... End-End TLP Prefix information"
            cap_ctl |= R.CFG_AER_CAP_CTL_TLP_PREFIX_LOG_PRESENT
        self.cfg.regs.set(R.CFG_AER_CAP_CTL, cap_ctl | bit)
        for k, dw in enumerate(header_log(dws, self.prefixes)):
            self.cfg.regs.set(R.CFG_AER_HEADER_LOG + 4 * k, dw)
        if self.prefixes:
            self.cfg.regs.set(R.CFG_AER_PREFIX_LOG, prefix or 0)

    # -- the procedure ------------------------------------------------------
    def status_for_tlp(self, *, poisoned_with_data: bool, completer_abort: bool) -> None:
        """Status bits that go with the TLP whatever is logged (design.md 2):
        Detected Parity Error for a poisoned TLP with data that is not
        malformed (PCIe 7.5.1.1.4, regardless of Parity Error Response);
        Signaled Target Abort with every Completer Abort."""
        if poisoned_with_data:
            self._status(R.CFG_STATUS_DETECTED_PARITY_ERROR)
        if completer_abort:
            self._status(R.CFG_STATUS_SIGNALED_TARGET_ABORT)

    def log_error(self, error: str, dws: list[int], *, completed: bool) -> Outcome:
        """Log one detected error; ``dws`` is the received packet (prefixes
        included), ``completed``: a UR or CA this function completes."""
        bit = UNCOR_BIT[error]
        fatal = bool(self._get(R.CFG_AER_UNCOR_SEVERITY) >> bit & 1)
        unmasked = not self._get(R.CFG_AER_UNCOR_MASK) >> bit & 1
        is_ur = error == UR
        ctl = self._dev_ctl
        # PCIe 6.2.3.2.4: a Non-Fatal UR/CA the Completer completes
        # (6.2.3.2.4.1), an Unexpected Completion (6.2.3.2.4.5) and a
        # Poisoned TLP Received (6.2.3.2.4.3) are Advisory Non-Fatal Errors.
        advisory = not fatal and (error in (UC, POISONED)
                                  or (error in (UR, CA) and completed))
        logged = False
        code = None
        if advisory:
            # Step 1: signalled as a correctable error (PCIe 6.2.3.2.4,
            # Figure 6-2 left branch).
            self._dev_status(R.CFG_DEV_STATUS_CED | (R.CFG_DEV_STATUS_URD if is_ur else 0))
            self._set_bits(R.CFG_AER_COR_STATUS, 1 << ADVISORY_NON_FATAL_BIT)
            if self._get(R.CFG_AER_COR_MASK) >> ADVISORY_NON_FATAL_BIT & 1:
                return Outcome(error, completed, fatal, True, False, None, masked=True)
            if unmasked and not self.first_error_pointer_valid():
                self._log(bit, dws)
                logged = True
            self._set_bits(R.CFG_AER_UNCOR_STATUS, 1 << bit)
            if ctl & R.CFG_DEV_CTL_CERE and not (is_ur and not ctl & R.CFG_DEV_CTL_URRE):
                code = ERR_COR
        else:
            # Step 2: an uncorrectable error of its severity.  The First
            # Error Pointer's validity is taken before this error's own
            # status bit is set: a pointer left at this bit by an earlier
            # error that software has since cleared is not valid, or the
            # clear would not "let the next error be logged" (design.md 2).
            fep_valid = self.first_error_pointer_valid()
            self._dev_status((R.CFG_DEV_STATUS_FED if fatal else R.CFG_DEV_STATUS_NFED)
                             | (R.CFG_DEV_STATUS_URD if is_ur else 0))
            self._set_bits(R.CFG_AER_UNCOR_STATUS, 1 << bit)
            if not unmasked:
                return Outcome(error, completed, fatal, False, False, None, masked=True)
            if not fep_valid:
                self._log(bit, dws)
                logged = True
            serr = self._serr_enable
            if is_ur and not ctl & R.CFG_DEV_CTL_URRE and not serr:
                code = None
            elif fatal:
                code = ERR_FATAL if serr or ctl & R.CFG_DEV_CTL_FERE else None
            else:
                code = ERR_NONFATAL if serr or ctl & R.CFG_DEV_CTL_NFERE else None
        # (D3hot changes nothing: "If an error caused by a received TLP is
        # detected while in D1, D2, or D3Hot, and reporting is enabled, ...
        # an error message must be sent", PCIe 5.3.1.4.)
        if code in (ERR_FATAL, ERR_NONFATAL) and self._serr_enable:
            # PCIe 7.5.1.1.4: Signaled System Error, set when the function
            # sends ERR_FATAL/ERR_NONFATAL and SERR# Enable is set.
            self._status(R.CFG_STATUS_SIGNALED_SYSTEM_ERROR)
        return Outcome(error, completed, fatal, advisory, logged, code)
