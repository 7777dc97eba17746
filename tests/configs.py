"""Named device configurations: the one place they are defined.

Each configuration is a complete set of the top-level parameters of
``ims_endpoint`` (see ../shared/CONTRACT.md).  The build (``tests/simrun.py``)
passes them to the simulator as HDL parameters, lint passes them with ``-G``,
and the Python side of a simulation receives the same values through the
environment, never by reading HDL parameters through VPI:

* ``IMS_CONFIG``  - configuration name, e.g. ``default``
* ``IMS_PARAMS``  - the parameters as JSON, e.g. ``{"DATA_WIDTH": 64, ...}``
* ``IMS_SIM``     - simulator name (``icarus`` or ``verilator``)
* ``IMS_RUN_DIR`` - folder of this run (wave files, logs, summary.json)

This module is imported inside the simulator process too: keep it free of
dependencies (standard library only, no cocotb import).
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def _cfg(msi: int = 0, msix: int = 0, ims: int = 0, width: int = 64, pasid: int = 1) -> dict:
    return dict(DATA_WIDTH=width, MSI_VECTORS=msi, MSIX_TABLE_SIZE=msix, IMS_SIZE=ims,
                PASID_CAP=pasid)


#: name -> parameters of ims_endpoint.  Add a configuration here and nowhere
#: else; lint covers every entry, tests pick entries by name.
CONFIGS: dict[str, dict[str, int]] = {
    "default": _cfg(msi=4, msix=64, ims=256),
    "msi1": _cfg(msi=1),
    "msi32": _cfg(msi=32),
    "msix1": _cfg(msix=1),
    "msix64": _cfg(msix=64),
    "msix2048": _cfg(msix=2048),
    # (an IMS device also has MSI or MSI-X, PCIe 6.1.4: one MSI vector here)
    "ims1": _cfg(msi=1, ims=1),
    "ims4096": _cfg(msi=1, ims=4096),
    "all": _cfg(msi=32, msix=2048, ims=4096),
    "w128": _cfg(msi=4, msix=64, ims=256, width=128),
    "w256": _cfg(msi=4, msix=64, ims=256, width=256),
    # without PASID: no PASID capability, no End-End TLP Prefixes
    "nopasid": _cfg(msi=4, msix=64, ims=256, pasid=0),
    "ims2048": _cfg(msi=1, ims=2048),    # benchmark: unmask latency vs. ims32768
    "ims32768": _cfg(msi=1, ims=32768),  # benchmark: largest IMS (and one MSI vector)
    # make timing (scripts/timing.py)
    "msi32_msix2048": _cfg(msi=32, msix=2048),
    "ims8192": _cfg(msix=64, ims=8192),
    "w256_all": _cfg(msi=32, msix=2048, ims=4096, width=256),
    "ims2048_msix64": _cfg(msix=64, ims=2048),    # synthesis only: logic vs. ims32768_msix64
    "ims32768_msix64": _cfg(msix=64, ims=32768),  # synthesis only: too big for the LFE5U-85F
}


#: the configurations the regression simulates (the store tests' sweep);
#: the others are for benchmarks, timing and size only
SIMULATED = ["default", "msi1", "msi32", "msix1", "msix64", "msix2048", "ims1", "ims4096",
             "all", "w128", "w256", "nopasid"]


#: one per distinct error-logging block: the AER capability's layout (and
#: the rx prefix rules) depend on PASID_CAP alone, not on the store sizes
#: (where the compliance suite's error module runs whole; elsewhere only
#: its first test)
ERROR_LOG_SPACES = [n for i, n in enumerate(SIMULATED)
                    if CONFIGS[n]["PASID_CAP"] not in
                    [CONFIGS[m]["PASID_CAP"] for m in SIMULATED[:i]]]


def params(name: str) -> dict[str, int]:
    """Parameters of configuration *name* (a copy); KeyError lists the names."""
    try:
        return dict(CONFIGS[name])
    except KeyError:
        raise KeyError(
            f"unknown configuration {name!r}; known: {', '.join(CONFIGS)}"
        ) from None


def env_for(name: str, sim: str, run_dir: Path | str) -> dict[str, str]:
    """Environment that carries configuration *name* into a simulation."""
    return {
        "IMS_CONFIG": name,
        "IMS_PARAMS": json.dumps(params(name), sort_keys=True),
        "IMS_SIM": sim,
        "IMS_RUN_DIR": str(run_dir),
    }


# ---------------------------------------------------------------------------
# The simulator side (called from cocotb test modules)


def current_config() -> str:
    """Name of the configuration being simulated (``default`` outside a run)."""
    return os.environ.get("IMS_CONFIG", "default")


def current_params() -> dict[str, int]:
    """Parameters of the design being simulated, from the environment.

    Outside a run started by tests/simrun.py this falls back to the
    parameters of ``current_config()``.
    """
    raw = os.environ.get("IMS_PARAMS")
    if raw:
        return {k: int(v) for k, v in json.loads(raw).items()}
    return params(current_config())


def current_sim() -> str:
    """Simulator running this test (``icarus``/``verilator``; '' if unknown)."""
    return os.environ.get("IMS_SIM", "")


def record_summary(test: str, **counts: int | str) -> None:
    """Add figures for cocotb test *test* to the run's summary.json.

    ``make sim`` prints them after the run, e.g.
    ``record_summary("test_msix_basic", messages_checked=412, requests=500)``.
    Calls for the same test merge (later values win).  Does nothing outside
    a run started by tests/simrun.py.
    """
    run_dir = os.environ.get("IMS_RUN_DIR")
    if not run_dir:
        return
    path = Path(run_dir) / "summary.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data.setdefault(test, {}).update(counts)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.replace(path)
