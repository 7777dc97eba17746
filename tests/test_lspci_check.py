"""The lspci check of tests/test_sim_compliance.py can fail: pciutils'
decoder flags an unknown capability ID and a looping list in a dump, the
AER check tells an Advanced Error Reporting capability from an unknown
extended one and sees its decoded bits, and the PASID check sees the PASID
capability's registers and Device Capabilities 2's End-End TLP Prefix
fields."""

import pytest

from tests import test_sim_compliance as C

from tb import lspci


def test_problems_are_found(tmp_path):
    """The check can fail: an unknown capability ID and a looping list."""
    data = bytearray(lspci.CONFIG_BYTES)
    data[0:4] = bytes([0x34, 0x12, 0x35, 0x11])
    data[6] = 0x10                      # Status: Capabilities List
    data[0x34] = 0x40
    data[0x40:0x42] = bytes([0x7F, 0x40])   # unknown ID 0x7F, next points at itself
    path = tmp_path / "selftest.lspci"
    path.write_text(lspci.dump_text(bytes(data)))
    bad = lspci.problems(lspci.decode(path))
    assert any(b.startswith("undecoded") for b in bad), bad
    assert any(b.startswith("capability list") for b in bad), bad


NO_PASID = {"PASID_CAP": 0}
PASID = {"PASID_CAP": 1}


def aer_dump(tmp_path, ext_id=0x0001, version=2, severity=0x00040000, capctl=0,
             devcap2=0x00100000, pasid=None):
    """A dump with an extended capability at 100h (and the Express
    capability lspci needs to read the extended space); ``pasid``: (header,
    PASID Capability/Control DW) of a capability at 148h, which the one at
    100h then points to."""
    data = bytearray(lspci.CONFIG_BYTES)
    data[0:4] = bytes([0x34, 0x12, 0x35, 0x11])
    data[6] = 0x10
    data[0x34] = 0x40
    data[0x40:0x44] = bytes([0x10, 0x00, 0x02, 0x00])      # PCI Express v2, Endpoint
    data[0x64:0x68] = devcap2.to_bytes(4, "little")        # Device Capabilities 2
    nxt = 0x148 if pasid else 0
    data[0x100:0x104] = (ext_id | version << 16 | nxt << 20).to_bytes(4, "little")
    data[0x10C:0x110] = severity.to_bytes(4, "little")
    data[0x114:0x118] = (1 << 13).to_bytes(4, "little")   # Advisory Non-Fatal masked
    data[0x118:0x11C] = capctl.to_bytes(4, "little")
    if pasid:
        data[0x148:0x14C] = pasid[0].to_bytes(4, "little")
        data[0x14C:0x150] = pasid[1].to_bytes(4, "little")
    path = tmp_path / "aer.lspci"
    path.write_text(lspci.dump_text(bytes(data)))
    return lspci.decode(path)


#: this device's PASID capability: ID 001Bh version 1, Max PASID Width 20
PASID_REGS = (0x0001001B, 0x00001400)


def test_aer_is_decoded(tmp_path):
    """A well-formed AER capability passes; a wrong version, an unknown
    ID, a severity other than the reset value, TLP Prefix Log Present set,
    or a PASID capability the parameters do not call for fails."""
    text = aer_dump(tmp_path)
    assert lspci.extended_capabilities(text) == [(0x100, 2, "Advanced Error Reporting")]
    C.check_lspci_aer(text, NO_PASID)
    for bad in (dict(version=1), dict(ext_id=0x7F), dict(severity=0x00140000),
                dict(capctl=1 << 11), dict(pasid=PASID_REGS)):
        with pytest.raises(AssertionError):
            C.check_lspci_aer(aer_dump(tmp_path, **bad), NO_PASID)
    assert lspci.problems(aer_dump(tmp_path, ext_id=0x7F)), "an unknown extended ID is not flagged"


def test_pasid_is_decoded(tmp_path):
    """The device's PASID capability and Device Capabilities 2 pass; a
    missing PASID capability, a wrong version, a different Max PASID
    Width, PASID Enable set, End-End TLP Prefix Supported clear or a second
    prefix fail; without PASID_CAP the End-End TLP Prefix bit must be
    clear."""
    good = dict(devcap2=0x00700000, pasid=PASID_REGS)
    text = aer_dump(tmp_path, **good)
    assert lspci.extended_capabilities(text)[1:] == [(0x148, 1, "Process Address Space ID (PASID)")]
    C.check_lspci_aer(text, PASID)
    C.check_lspci_pasid(text, PASID)
    for bad in (dict(pasid=None), dict(pasid=(0x0002001B, 0x1400))):
        with pytest.raises(AssertionError):
            C.check_lspci_aer(aer_dump(tmp_path, **{**good, **bad}), PASID)
    for bad in (dict(pasid=(0x0001001B, 0x1000)), dict(pasid=(0x0001001B, 0x00011400)),
                dict(devcap2=0x00100000), dict(devcap2=0x00B00000), dict(devcap2=0x00600000)):
        with pytest.raises(AssertionError):
            C.check_lspci_pasid(aer_dump(tmp_path, **{**good, **bad}), PASID)
    C.check_lspci_pasid(aer_dump(tmp_path), NO_PASID)
    with pytest.raises(AssertionError):
        C.check_lspci_pasid(aer_dump(tmp_path, devcap2=0x00700000), NO_PASID)
