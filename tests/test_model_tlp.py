"""TLP codec: header bit positions, byte count / lower address tables."""

import pytest

from model import tlp


def test_contract_worked_example():
    # CONTRACT.md: bus 01 device 00 writes 0x21 to 0xFEE00000; wire bytes
    # 40 00 00 01 | 01 00 00 0F | FE E0 00 00 | 21 00 00 00
    dws = tlp.build_mem_write(requester_id=0x0100, address=0xFEE00000, data=0x21)
    assert dws == [0x40000001, 0x0100000F, 0xFEE00000, 0x00000021]


def test_mem_write_4dw_above_4gib_and_pasid_prefix():
    dws = tlp.build_mem_write(requester_id=0x0208, address=0x1_2345_6780, data=7,
                              pasid=0xABCDE)
    assert dws == [0x91000000 | 0xABCDE, 0x60000001, 0x0208000F, 0x1, 0x23456780, 7]
    m = tlp.parse_mem_write(dws)
    assert m.pasid == 0xABCDE and m.address == 0x1_2345_6780 and m.fmt == 0b011
    assert m.data == [7] and m.first_be == 0xF and m.last_be == 0


def test_pasid_prefix_range():
    with pytest.raises(ValueError):
        tlp.pasid_prefix(1 << 20)


def test_parse_request_fields():
    # MRd 4DW: TC 3, Attr {IDO=1, RO=0, NS=1}, TD 0, Length 0 (= 1024 DWs)
    dw0 = 0b001 << 29 | 0 << 24 | 3 << 20 | 1 << 18 | 0b01 << 12 | 0
    r = tlp.parse_request([dw0, 0xBEEF_A5_3C, 0x0000_0001, 0x2000_0004])
    assert (r.fmt, r.type, r.tc, r.attr) == (0b001, 0, 3, 0b101)
    assert r.length_field == 0 and r.length == 1024
    assert (r.requester_id, r.tag, r.last_be, r.first_be) == (0xBEEF, 0xA5, 0x3, 0xC)
    assert r.address == 0x1_2000_0004
    assert r.length_ok and not r.has_data and not r.is_posted


def test_parse_config_fields_and_prefix_skip():
    dws = tlp.build_cfg(True, bus=0x12, device=0x1F, function=5, register=0x3FC,
                        data=0x1234, first_be=0x3)
    r = tlp.parse_request([0x91000001, 0x9A000000] + dws)
    assert r.prefixes == [0x91000001, 0x9A000000]
    assert (r.bus, r.device, r.function, r.register) == (0x12, 0x1F, 5, 0x3FC)
    assert r.type == tlp.TYPE_CFG0 and r.payload == [0x1234] and r.length_ok
    # DW2 layout: Bus[31:24] Device[23:19] Function[18:16] Reg[11:2]
    assert dws[2] == 0x12 << 24 | 0x1F << 19 | 5 << 16 | 0x3FC


def test_build_cfg_malformed_headers():
    """What bad-input tests send: a 4DW config header, TD/EP set, a payload
    of several DWs."""
    rd4 = tlp.build_cfg(False, bus=2, device=1, register=0x0C, four_dw=True)
    r = tlp.parse_request(rd4)
    assert r.fmt == tlp.FMT_4DW and len(rd4) == 4 and rd4[3] == 0 and r.length_ok
    wr4 = tlp.build_cfg(True, bus=2, device=1, register=0x0C, four_dw=True, data=0xFF)
    r = tlp.parse_request(wr4)
    assert r.fmt == tlp.FMT_4DW_DATA and r.payload == [0xFF] and r.length_ok
    r = tlp.parse_request(tlp.build_cfg(True, bus=2, device=1, ep=1, td=1, data=0x5A))
    assert (r.ep, r.td, r.payload) == (1, 1, [0x5A])
    r = tlp.parse_request(tlp.build_cfg(True, bus=2, device=1, length=2, data=[1, 2]))
    assert r.length == 2 and r.payload == [1, 2] and r.length_ok


def test_wire_count_agreement():
    ok = tlp.mem_write(0x1000, [1, 2], last_be=0xF)
    assert tlp.parse_request(ok).length_ok
    assert not tlp.parse_request(ok[:-1]).length_ok  # payload short
    assert not tlp.parse_request(ok + [3]).length_ok  # payload long
    rd = tlp.mem_read(0x1000)
    assert not tlp.parse_request(rd + [0]).length_ok  # MRd carries no payload
    short = tlp.parse_request(rd[:2])
    assert short.truncated and not short.length_ok
    # TD = 1: one TLP digest DW follows (PCIe 2.2.3)
    td = list(rd)
    td[0] |= 1 << 15
    assert not tlp.parse_request(td).length_ok
    assert tlp.parse_request(td + [0xDEADBEEF]).length_ok


def test_completion_header_bits():
    dws = tlp.build_completion(completer_id=0x0108, requester_id=0xABCD, tag=0x5A,
                               status=tlp.CPL_UR, byte_count=4096, lower_address=0x13,
                               tc=5, attr=0b101)
    # Cpl: Fmt 000 Type 01010, TC 5 (22:20), Attr[2] bit 18, Attr[1:0] 13:12
    assert dws == [0x0A541000, 0x0108_2000, 0xABCD_5A13]
    c = tlp.parse_completion(dws)
    assert c.status_name == "UR" and c.byte_count == 0 and c.lower_address == 0x13


def test_cpld_and_cpllk():
    d = tlp.build_completion(completer_id=1, requester_id=2, tag=3, data=[9, 8],
                             byte_count=8)
    assert d[0] == 0x4A000002 and d[3:] == [9, 8]
    lk = tlp.build_completion(completer_id=1, requester_id=2, tag=3, locked=True)
    assert lk[0] >> 24 == 0x0B


# PCIe Table 2-38 (4.0 numbering): byte count from Length and byte enables.
BYTE_COUNT_ROWS = [
    # length 1 (Last BE 0000b)
    (1, 0b1001, 0, 4), (1, 0b1111, 0, 4), (1, 0b1011, 0, 4), (1, 0b1101, 0, 4),
    (1, 0b0101, 0, 3), (1, 0b0111, 0, 3), (1, 0b1010, 0, 3), (1, 0b1110, 0, 3),
    (1, 0b0011, 0, 2), (1, 0b0110, 0, 2), (1, 0b1100, 0, 2),
    (1, 0b0001, 0, 1), (1, 0b0010, 0, 1), (1, 0b0100, 0, 1), (1, 0b1000, 0, 1),
    (1, 0b0000, 0, 1),
    # length > 1
    (2, 0b0001, 0b1000, 8), (2, 0b1111, 0b1111, 8),
    (2, 0b0011, 0b0100, 7), (2, 0b0101, 0b0010, 6), (2, 0b1111, 0b0001, 5),
    (2, 0b1110, 0b1111, 7), (2, 0b0010, 0b0111, 6), (2, 0b1010, 0b0011, 5),
    (2, 0b0010, 0b0001, 4),
    (2, 0b0100, 0b1000, 6), (2, 0b1100, 0b0110, 5), (2, 0b0100, 0b0011, 4),
    (2, 0b1100, 0b0001, 3),
    (2, 0b1000, 0b1111, 5), (3, 0b1000, 0b0100, 8), (2, 0b1000, 0b0010, 3),
    (2, 0b1000, 0b0001, 2),
    (1024, 0b1111, 0b1111, 4096),
]


@pytest.mark.parametrize("length,fbe,lbe,count", BYTE_COUNT_ROWS)
def test_byte_count_table(length, fbe, lbe, count):
    assert tlp.request_byte_count(length, fbe, lbe) == count


# PCIe Table 2-39 (4.0 numbering): Lower Address[1:0] from First BE.
@pytest.mark.parametrize("fbe,la", [(0b0000, 0), (0b0001, 0), (0b1111, 0), (0b0011, 0),
                                    (0b0010, 1), (0b1110, 1), (0b0100, 2), (0b1100, 2),
                                    (0b1000, 3)])
def test_lower_address_table(fbe, la):
    assert tlp.lower_address_bits(fbe) == la


def test_describe_is_readable():
    s = tlp.describe(tlp.build_completion(completer_id=0x100, requester_id=0, tag=7,
                                          status=tlp.CPL_CA))
    assert "Cpl status CA" in s and "tag 0x07" in s


def test_error_message_build_parse_describe():
    # design.md 2: Msg, Fmt 001b, Type 10000b, TC/Attr/Length 0, Tag 0,
    # Message Code in DW1[7:0], DW2 = DW3 = 0 (PCIe 2.2.8.3)
    dws = tlp.build_error_message(0x31, requester_id=0x3A28)
    assert dws == [0x3000_0000, 0x3A28_0031, 0, 0]
    assert tlp.is_msg(dws) and not tlp.is_completion(dws)
    m = tlp.parse_msg(dws)
    assert (m.fmt, m.type, m.routing, m.code, m.code_name, m.requester_id, m.tag) == \
        (0b001, 0b10000, 0, 0x31, "ERR_NONFATAL", 0x3A28, 0)
    assert tlp.describe(tlp.build_error_message(0x33, requester_id=1)) == \
        "Msg ERR_FATAL routing 000b requester 0x0001 tag 0x00 len 0"
    assert tlp.describe([0x3000_0000, 0x0000_0030, 0, 7]) == \
        "Msg ERR_COR routing 000b requester 0x0000 tag 0x00 len 0 DW2 0x00000000 DW3 0x00000007"
    with pytest.raises(ValueError):
        tlp.build_error_message(0x7E, requester_id=0)
    assert not tlp.is_msg(tlp.mem_write(0x1000, 1))
