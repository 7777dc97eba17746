"""The lspci check of tests/test_sim_compliance.py can fail: pciutils'
decoder flags an unknown capability ID and a looping list in a dump, and
the AER check tells an Advanced Error Reporting capability from an
unknown extended one and sees its decoded bits."""

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


def aer_dump(tmp_path, ext_id=0x0001, version=2, severity=0x00040000):
    """A dump with only an extended capability at 100h (and the Express
    capability lspci needs to read the extended space)."""
    data = bytearray(lspci.CONFIG_BYTES)
    data[0:4] = bytes([0x34, 0x12, 0x35, 0x11])
    data[6] = 0x10
    data[0x34] = 0x40
    data[0x40:0x44] = bytes([0x10, 0x00, 0x02, 0x00])      # PCI Express v2, Endpoint
    data[0x100:0x104] = (ext_id | version << 16).to_bytes(4, "little")
    data[0x10C:0x110] = severity.to_bytes(4, "little")
    data[0x114:0x118] = (1 << 13).to_bytes(4, "little")   # Advisory Non-Fatal masked
    path = tmp_path / "aer.lspci"
    path.write_text(lspci.dump_text(bytes(data)))
    return lspci.decode(path)


def test_aer_is_decoded(tmp_path):
    """A well-formed AER capability passes; a wrong version, an unknown
    ID, or a severity other than the reset value fails."""
    text = aer_dump(tmp_path)
    assert lspci.extended_capabilities(text) == [(0x100, 2, "Advanced Error Reporting")]
    C.check_lspci_aer(text)
    for bad in (dict(version=1), dict(ext_id=0x7F), dict(severity=0x00140000)):
        with pytest.raises(AssertionError):
            C.check_lspci_aer(aer_dump(tmp_path, **bad))
    assert lspci.problems(aer_dump(tmp_path, ext_id=0x7F)), "an unknown extended ID is not flagged"
