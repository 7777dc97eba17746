"""Compliance suite (tests/compliance/): the device against the PCI Express
Base Specification's register tables, independent of the reference model,
and its configuration space as Linux's own decoder sees it: the dump the
suite writes after enumeration, decoded by pciutils' ``lspci -F <dump>
-vvv``, must have no undecoded capability (``<?>``, an unknown ID), no
broken list, and the capabilities the parameters call for (written from
the parameters and the capability IDs, not from the model). The error
module (tests/compliance/error_tests.py) sends erroneous TLPs and checks
what the device logs and which Error Messages it sends.

On Verilator every distinct configuration space among the simulated
configurations (configs.CONFIG_SPACES: a space depends on MSI_VECTORS and
MSIX_TABLE_SIZE only), on Icarus the default one."""

import pytest

from tb import lspci
from tests import configs, simrun

MODULE = "tests.compliance.config_tests"
ERROR_MODULE = "tests.compliance.error_tests"


def expected_capabilities(params):
    """(offset, what lspci calls it) of the capabilities the device has."""
    caps = [(0x40, "Express (v2) Endpoint")]
    if params["MSI_VECTORS"]:
        caps.append((0x80, "MSI: Enable-"))
    if params["MSIX_TABLE_SIZE"]:
        caps.append((0xA0, f"MSI-X: Enable- Count={params['MSIX_TABLE_SIZE']}"))
    caps.append((0xC0, "Power Management version 3"))
    return caps


def dump_path(sim, config):
    return simrun.build_dir(sim, config) / MODULE.rsplit(".", 1)[-1] / "config.lspci"


def check_lspci(dump, params):
    text = lspci.decode(dump)
    bad = lspci.problems(text)
    assert not bad, f"lspci -F {dump} -vvv:\n" + "\n".join(bad) + "\n\n" + text
    got = lspci.capabilities(text)
    want = expected_capabilities(params)
    for off, start in want:
        assert any(o == off and d.startswith(start) for o, d in got), (
            f"lspci shows no capability [{off:02x}] {start!r}; it shows "
            f"{[(hex(o), d) for o, d in got]}\n\n{text}")
    assert len(got) == len(want), f"lspci shows capabilities the device should not have: {got}"


@pytest.mark.parametrize("sim,config", simrun.matrix(
    *configs.CONFIG_SPACES, icarus=("default",)))
def test_compliance_config_space(sim, config):
    simrun.run(sim, config, MODULE)
    check_lspci(dump_path(sim, config), configs.params(config))


@pytest.mark.parametrize("sim,config", simrun.matrix(
    *configs.CONFIG_SPACES, icarus=("default",)))
def test_compliance_errors(sim, config):
    """Erroneous TLPs: logging (Status, Device Status, AER) and Error Messages."""
    simrun.run(sim, config, ERROR_MODULE)
