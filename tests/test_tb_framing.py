# SPDX-License-Identifier: MIT
"""Framing adapter (tb.framing) against CONTRACT.md, no simulator needed."""

import random

import pytest
from cocotbext.pcie.core.tlp import CplStatus, Tlp, TlpType
from cocotbext.pcie.core.utils import PcieId

from tb.framing import (beats_to_dws, bytes_to_dws, dws_to_beats, dws_to_bytes, dws_to_tlp,
                        expected_dw_count, split_prefixes, tlp_to_dws)

# CONTRACT.md worked example: device 01:00.0 writes 0x00000021 to 0xFEE00000
EXAMPLE_BYTES = bytes.fromhex("40000001" "0100000F" "FEE00000" "21000000")
EXAMPLE_DWS = [0x40000001, 0x0100000F, 0xFEE00000, 0x00000021]
EXAMPLE_BEATS = [(0x0100000F_40000001, 0b11, False), (0x00000021_FEE00000, 0b11, True)]


def example_tlp():
    tlp = Tlp()
    tlp.fmt_type = TlpType.MEM_WRITE
    tlp.requester_id = PcieId(1, 0, 0)
    tlp.tag = 0
    tlp.first_be = 0xF
    tlp.last_be = 0
    tlp.address = 0xFEE00000
    tlp.data = bytearray((0x21).to_bytes(4, "little"))
    tlp.length = 1
    return tlp


def test_worked_example_pack():
    tlp = example_tlp()
    assert bytes(tlp.pack()) == EXAMPLE_BYTES
    assert tlp_to_dws(tlp) == EXAMPLE_DWS


def test_worked_example_beats():
    assert dws_to_beats(EXAMPLE_DWS, 64) == EXAMPLE_BEATS
    assert beats_to_dws(EXAMPLE_BEATS, 64) == EXAMPLE_DWS


def test_worked_example_decode():
    prefixes, tlp = dws_to_tlp(EXAMPLE_DWS)
    assert prefixes == []
    assert tlp == example_tlp()
    assert int.from_bytes(tlp.data, "little") == 0x21


def test_bytes_roundtrip():
    assert bytes_to_dws(EXAMPLE_BYTES, 12) == EXAMPLE_DWS
    assert dws_to_bytes(EXAMPLE_DWS, 3) == EXAMPLE_BYTES


@pytest.mark.parametrize("width", [32, 64, 128, 256])
@pytest.mark.parametrize("n", [1, 3, 4, 5, 8, 9])
def test_beats_generic_width(width, n):
    rng = random.Random(width * 100 + n)
    dws = [rng.getrandbits(32) for _ in range(n)]
    beats = dws_to_beats(dws, width)
    w = width // 32
    assert len(beats) == (n + w - 1) // w
    assert [b[2] for b in beats] == [False] * (len(beats) - 1) + [True]
    for k, dw in enumerate(dws):
        tdata, tkeep, _ = beats[k // w]
        assert (tdata >> (32 * (k % w))) & 0xFFFFFFFF == dw
        assert (tkeep >> (k % w)) & 1
    # last beat keeps exactly the present DWs
    assert beats[-1][1] == (1 << (n - (len(beats) - 1) * w)) - 1
    assert beats_to_dws(beats, width) == dws


def test_prefix_strip():
    pasid = 0x91000000 | 0x12345
    prefixes, tlp = dws_to_tlp([pasid] + EXAMPLE_DWS)
    assert prefixes == [pasid]
    assert tlp == example_tlp()
    assert tlp_to_dws(example_tlp(), prefixes=[pasid]) == [pasid] + EXAMPLE_DWS
    assert split_prefixes([pasid] + EXAMPLE_DWS) == ([pasid], EXAMPLE_DWS)
    with pytest.raises(ValueError):
        tlp_to_dws(example_tlp(), prefixes=[0x40000001])


def test_4dw_write_and_completion():
    tlp = Tlp()
    tlp.fmt_type = TlpType.MEM_WRITE_64
    tlp.requester_id = PcieId(0x42, 0x1F, 0)
    tlp.first_be = 0xF
    tlp.address = 0x0000_0042_0000_1230
    tlp.data = bytearray((0xDEADBEEF).to_bytes(4, "little"))
    tlp.length = 1
    dws = tlp_to_dws(tlp)
    assert dws == [0x60000001, 0x42F8000F, 0x00000042, 0x00001230, 0xDEADBEEF]
    assert expected_dw_count(dws) == 5

    cpl = Tlp()
    cpl.fmt_type = TlpType.CPL_DATA
    cpl.completer_id = PcieId(1, 2, 0)
    cpl.requester_id = PcieId(0, 0, 0)
    cpl.status = CplStatus.SC
    cpl.tag = 0x5A
    cpl.byte_count = 4
    cpl.lower_address = 0x08
    cpl.length = 1
    cpl.data = bytearray((0x494D5345).to_bytes(4, "little"))
    dws = tlp_to_dws(cpl)
    # DW0 CplD, DW1 completer 01:02.0 SC BC 4, DW2 requester 0 tag 5A LA 08, payload = value
    assert dws == [0x4A000001, 0x01100004, 0x00005A08, 0x494D5345]
    _, back = dws_to_tlp(dws)
    assert back.status == CplStatus.SC and back.tag == 0x5A
    assert int.from_bytes(back.data, "little") == 0x494D5345


def test_config_request_fields():
    tlp = Tlp()
    tlp.fmt_type = TlpType.CFG_WRITE_0
    tlp.requester_id = PcieId(0, 0, 0)
    tlp.completer_id = PcieId(0x5A, 0x13, 0)
    tlp.tag = 7
    tlp.first_be = 0x3
    tlp.address = 0x104
    tlp.length = 1
    tlp.data = bytearray((0x0006).to_bytes(4, "little"))
    dws = tlp_to_dws(tlp)
    assert dws[0] == 0x44000001
    assert dws[1] == 0x00000703
    # Bus in [31:24], Device in [23:19], Ext Register/Register in [11:2]
    assert dws[2] == (0x5A << 24) | (0x13 << 19) | 0x104
    assert dws[3] == 0x00000006


def test_undecodable():
    with pytest.raises(ValueError):
        dws_to_tlp([0x1F000001, 0, 0])        # Fmt 000b Type 11111b
    with pytest.raises(ValueError):
        dws_to_tlp([0x40000001, 0])           # shorter than its header


def test_expected_dw_count():
    assert expected_dw_count([0x00000001]) == 3           # MRd 3DW, no data
    assert expected_dw_count([0x20000002]) == 4           # MRd 4DW
    assert expected_dw_count([0x40000002]) == 5           # MWr 3DW, 2 DWs
    assert expected_dw_count([0x91000000, 0x60000001]) == 6
    assert expected_dw_count([0x40000000]) == 3 + 1024    # Length 0 = 1024
