"""The FuseSoC core (ims_endpoint.core): its RTL is hdl/sources.f's, in the
same order, plus the include files; fusesoc (PyPI) accepts the core and
lints the device through it with Verilator."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests import simrun

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "ims_endpoint.core"


def core_files(text: str) -> tuple[list[str], list[str]]:
    """(RTL files, include files) of the core's rtl fileset."""
    core = yaml.safe_load(text)
    sources: list[str] = []
    includes: list[str] = []
    for entry in core["filesets"]["rtl"]["files"]:
        if isinstance(entry, dict):
            (name, opts), = entry.items()
            (includes if opts.get("is_include_file") else sources).append(name)
        else:
            sources.append(entry)
    return sources, includes


def disagreements(text: str) -> list[str]:
    files, incdirs = simrun.sources()
    want = [str(f.relative_to(ROOT)) for f in files]
    want_inc = sorted(str(f.relative_to(ROOT)) for d in incdirs for f in d.glob("*.vh"))
    got, got_inc = core_files(text)
    out = []
    if got != want:
        out.append(f"RTL files differ from hdl/sources.f: core {got}, sources.f {want}")
    if sorted(got_inc) != want_inc:
        out.append(f"include files differ: core {sorted(got_inc)}, include dirs {want_inc}")
    return out


def test_core_lists_the_sources_f_files():
    problems = disagreements(CORE.read_text())
    assert not problems, "\n".join(problems)


def test_a_missing_file_is_seen():
    text = CORE.read_text().replace("      - hdl/ims_queue.v\n", "")
    assert any("RTL files differ" in p for p in disagreements(text))


def fusesoc(*args, cwd):
    exe = shutil.which("fusesoc", path=str(Path(sys.executable).parent)) or shutil.which("fusesoc")
    assert exe, "fusesoc is not installed (it is a dependency in pyproject.toml: run make setup)"
    return subprocess.run([exe, "--cores-root", str(ROOT), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_fusesoc_accepts_the_core_and_lints(tmp_path):
    show = fusesoc("core", "show", "ims_endpoint", cwd=tmp_path)
    assert show.returncode == 0 and "::ims_endpoint:0.1.0" in show.stdout, show.stdout + show.stderr
    lint = fusesoc("run", "--target", "lint", "ims_endpoint", cwd=tmp_path)
    assert lint.returncode == 0, f"fusesoc lint failed:\n{lint.stdout[-3000:]}{lint.stderr[-3000:]}"
