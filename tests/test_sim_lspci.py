"""Linux's pciutils decode the simulated configuration space (issue 9): on
every distinct configuration space among the simulated configurations
(configs.CONFIG_SPACES, on Verilator; the default one on Icarus too; the
other named configurations are synthesis and benchmark ones that the
regression does not build), the
dump after enumeration decodes with ``lspci -F <dump> -vvv`` without an
undecoded capability (``<?>``) or a broken list, and shows the
capabilities the parameters call for. Written from the parameters and the
PCIe capability IDs, not from the reference model."""

import pytest

from tb import lspci
from tests import configs, simrun

def expected_capabilities(params):
    """(offset, what lspci calls it) of the capabilities the device has."""
    caps = [(0x40, "Express (v2) Endpoint")]
    if params["MSI_VECTORS"]:
        caps.append((0x80, "MSI: Enable-"))
    if params["MSIX_TABLE_SIZE"]:
        caps.append((0xA0, f"MSI-X: Enable- Count={params['MSIX_TABLE_SIZE']}"))
    caps.append((0xC0, "Power Management version 3"))
    return caps


@pytest.mark.parametrize("sim,config", simrun.matrix(*configs.CONFIG_SPACES, icarus=("default",)))
def test_lspci_decodes(sim, config):
    simrun.run(sim, config, "lspci_tests")
    dump = simrun.build_dir(sim, config) / "lspci_tests" / "config.lspci"
    text = lspci.decode(dump)
    bad = lspci.problems(text)
    assert not bad, f"lspci -F {dump} -vvv:\n" + "\n".join(bad) + "\n\n" + text
    got = lspci.capabilities(text)
    for off, start in expected_capabilities(configs.params(config)):
        assert any(o == off and d.startswith(start) for o, d in got), (
            f"lspci shows no capability [{off:02x}] {start!r}; it shows "
            f"{[(hex(o), d) for o, d in got]}\n\n{text}")
    assert len(got) == len(expected_capabilities(configs.params(config))), (
        f"lspci shows capabilities the device should not have: {got}")


def test_problems_are_found():
    """The check can fail: an unknown capability ID and a looping list."""
    data = bytearray(lspci.CONFIG_BYTES)
    data[0:4] = bytes([0x34, 0x12, 0x35, 0x11])
    data[6] = 0x10                      # Status: Capabilities List
    data[0x34] = 0x40
    data[0x40:0x42] = bytes([0x7F, 0x40])   # unknown ID 0x7F, next points at itself
    path = simrun.SIM_BUILD / "lspci-selftest.lspci"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lspci.dump_text(bytes(data)))
    bad = lspci.problems(lspci.decode(path))
    assert any(b.startswith("undecoded") for b in bad), bad
    assert any(b.startswith("capability list") for b in bad), bad
