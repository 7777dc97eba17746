"""The lspci check of tests/test_sim_compliance.py can fail: pciutils'
decoder flags an unknown capability ID and a looping list in a dump."""

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
