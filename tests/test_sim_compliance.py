"""Compliance suite (tests/compliance/): the device against the PCI Express
Base Specification's register tables, independent of the reference model,
and its configuration space as Linux's own decoder sees it: the dump the
suite writes after enumeration, decoded by pciutils' ``lspci -F <dump>
-vvv``, must have no undecoded capability (``<?>``, an unknown ID), no
broken list, and the capabilities the parameters call for (written from
the parameters and the capability IDs, not from the model). The error
module (tests/compliance/error_tests.py) sends erroneous TLPs and checks
what the device logs and which Error Messages it sends.

make test (and ``make compliance``, this file alone) runs both on Verilator
on every named configuration (configs.CONFIGS: the simulated ones and the
benchmark and synthesis ones too, 19), and on Icarus on the default one.
The error module runs whole on configs.ERROR_LOG_SPACES (default, nopasid:
the AER layout and the prefix rules depend on PASID_CAP alone), and
elsewhere only its first test (every error class under two settings of the
reporting controls, against that configuration's space)."""

import re

import pytest

from tb import lspci
from tests import configs, simrun

MODULE = "tests.compliance.config_tests"
#: the configurations the suite runs on (see above)
COMPLIANCE_CONFIGS = list(configs.CONFIGS)
ERROR_MODULE = "tests.compliance.error_tests"


def expected_capabilities(params):
    """(offset, what lspci calls it) of the capabilities the device has."""
    caps = [(0x40, "Express (v2) Endpoint")]
    if params["MSI_VECTORS"]:
        caps.append((0x80, "MSI: Enable-"))
    if params["MSIX_TABLE_SIZE"]:
        caps.append((0xA0, f"MSI-X: Enable- Count={params['MSIX_TABLE_SIZE']}"))
    caps.append((0xC0, "Power Management version 3"))
    caps.append((0x100, "Advanced Error Reporting"))
    if params["PASID_CAP"]:
        caps.append((0x148, "Process Address Space ID (PASID)"))
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
    check_lspci_aer(text, params)
    check_lspci_pasid(text, params)


def expected_extended_capabilities(params):
    """(offset, version, what lspci calls it) of the extended capabilities."""
    ext = [(0x100, 2, "Advanced Error Reporting")]
    if params["PASID_CAP"]:
        ext.append((0x148, 1, "Process Address Space ID (PASID)"))
    return ext


def check_lspci_aer(text, params):
    """Linux decodes the Advanced Error Reporting capability at 100h,
    version 2 (and, with PASID_CAP, the PASID capability after it), and
    reads the reset values of PCIe 7.8.4 in it (the dump is taken before
    any error): nothing logged, Malformed TLP the only Fatal error,
    Advisory Non-Fatal masked, no TLP Prefix logged."""
    ext = lspci.extended_capabilities(text)
    want = expected_extended_capabilities(params)
    assert ext == want, (
        f"lspci shows extended capabilities {ext}, expected "
        + ", ".join(f"[{o:x} v{v}] {d}" for o, v, d in want) + f"\n\n{text}")
    lines = {label: lspci.field_line(text, label) for label in
             ("UESta", "UEMsk", "UESvrt", "CESta", "CEMsk")}
    assert all(v is not None for v in lines.values()), f"AER not decoded: {lines}\n\n{text}"
    want_set = {"UESta": set(), "UEMsk": set(), "UESvrt": {"MalfTLP"}, "CESta": set(),
                "CEMsk": {"AdvNonFatalErr"}}
    for label, line in lines.items():
        flags = dict((f[:-1], f[-1]) for f in line.split() if f[-1] in "+-")
        got = {name for name, v in flags.items() if v == "+"}
        assert got == want_set[label], (f"lspci {label}: {line!r}; expected set "
                                        f"{sorted(want_set[label]) or 'nothing'}")
    first = re.search(r"First Error Pointer: ([0-9a-f]+)", text)
    assert first and int(first.group(1), 16) == 0, "AER First Error Pointer not 00"
    log = lspci.field_line(text, "HeaderLog")
    assert log is not None and set(log.split()) == {"00000000"}, f"HeaderLog: {log!r}"
    # AERCap spans two lines; TLP Prefix Log Present is on the second
    cap = re.search(r"AERCap:(.*\n.*)", text)
    assert cap and re.search(r"\bTLPPfxPres-", cap.group(1)), (
        f"AERCap: {cap.group(1) if cap else None!r}: expected TLPPfxPres- (nothing logged)")


def check_lspci_pasid(text, params):
    """Device Capabilities 2 as lspci decodes it: Extended Fmt Field
    Supported, and with PASID_CAP End-End TLP Prefix Supported with one
    prefix at most; with PASID_CAP the PASID capability's registers:
    neither Execute nor Privileged Mode supported, Max PASID Width 20 (lspci
    prints it in hex, 14), nothing enabled at reset."""
    devcap2 = re.search(r"DevCap2:(.*(?:\n\s+ .*)*)", text)
    assert devcap2, f"lspci shows no DevCap2\n\n{text}"
    devcap2 = " ".join(devcap2.group(1).split())
    want = (["ExtFmt+", "EETLPPrefix+, MaxEETLPPrefixes 1"] if params["PASID_CAP"]
            else ["ExtFmt+", "EETLPPrefix-"])
    for w in want:
        assert w in devcap2, f"lspci DevCap2: {devcap2!r}: no {w!r}"
    if not params["PASID_CAP"]:
        assert "MaxEETLPPrefixes" not in devcap2, f"lspci DevCap2: {devcap2!r}"
    lines = {label: lspci.field_line(text, label) for label in ("PASIDCap", "PASIDCtl")}
    if not params["PASID_CAP"]:
        assert lines == {"PASIDCap": None, "PASIDCtl": None}, f"PASID decoded: {lines}"
        return
    want = {"PASIDCap": "Exec- Priv-, Max PASID Width: 14", "PASIDCtl": "Enable- Exec- Priv-"}
    assert {k: (v or "").strip() for k, v in lines.items()} == want, (
        f"lspci PASID: {lines}, expected {want}\n\n{text}")


@pytest.mark.parametrize("sim,config", simrun.matrix(*COMPLIANCE_CONFIGS, icarus=("default",)))
def test_compliance_config_space(sim, config):
    simrun.run(sim, config, MODULE)
    check_lspci(dump_path(sim, config), configs.params(config))


@pytest.mark.parametrize("sim,config", simrun.matrix(*COMPLIANCE_CONFIGS, icarus=("default",)))
def test_compliance_errors(sim, config):
    """Erroneous TLPs: logging (Status, Device Status, AER) and Error Messages
    (Icarus: not the second set of cases, test_more_errors; a configuration
    not in configs.ERROR_LOG_SPACES: test_error_logging)."""
    if sim == "verilator" and config not in configs.ERROR_LOG_SPACES:
        subset = {"COCOTB_TEST_FILTER": simrun.only_tests("test_error_logging")}
    else:
        subset = simrun.sim_subset(sim, simrun.icarus_skips("test_more_errors"))
    simrun.run(sim, config, ERROR_MODULE, extra_env=subset)
