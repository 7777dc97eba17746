"""Code coverage of hdl/ (issue 12): merge, report, check against the floors
and the waivers.

Every Verilator build of tests/simrun.py has line coverage
(``--coverage-line``), and every Verilator run writes ``coverage.dat`` into
its own run folder (``sim_build/<build>/<run>/coverage.dat``).  ``make
coverage``'s builds (``COVERAGE_TOGGLE=1``, ``sim_build/verilator-cov-*``)
have toggle coverage too.  After the runs::

    python -m tests.code_coverage --since EPOCH [--partial] [--toggle] [--html]

merges every coverage.dat of a run started since EPOCH, restricted to the
sources in hdl/, and writes sim_build/coverage/:

* ``merged.dat``  the merged points, Verilator's coverage.dat format (what
  ``verilator_coverage --write`` gives: one point per key, counts added)
* ``merged.info`` lcov trace file (DA lines, BRDA branches) for genhtml
* ``report.txt``  the per-module table printed, and every point not reached
* ``html/``       with ``--html``: genhtml's pages (lcov's genhtml)

What counts (Verilator 5.048 ``--coverage-line`` gives two point types):

* a *branch* is a point of type ``branch``: each arm of an ``if`` (``if``,
  ``elsif``, ``else``, the implicit ``else`` of an ``if`` without one
  counted too), each ``case`` item (``default`` too) and each arm of a
  ``?:`` (``cond_then``, ``cond_else``);
* a *block* is a point of type ``line``: a statement block with no branch
  of its own (an ``always``, ``initial``, a loop body, a function);
* points are merged over instances and configurations: a point is one
  (file, line, column, type, kind) of hdl/, reached when any instance in any
  configuration reached it;
* a *line* is a source line some point spans (the point's line and the
  lines of its code, Verilator's ``S`` field), reached when a point spanning
  it was: the semantics of ``verilator_coverage --write-info``'s DA lines;
* toggle (``--toggle``): a point per bit and direction (0->1, 1->0) of
  every signal, merged over instances and configurations like the others.

Checks (not with ``--partial``, a slice of the regression): every block or
branch point not reached is listed in the waiver file
(tests/coverage_waivers.txt, with a reason) or fails the check, naming it;
line and branch coverage of hdl/ (reached / all points, waived ones
counted as not reached) are at least the floors that file sets.  A waiver
whose point is reached is reported as stale; one whose source line is gone
too.  A miss of a line is waived when every point spanning it is.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests import simrun

ROOT = Path(__file__).resolve().parent.parent
HDL_DIR = ROOT / "hdl"
SIM_BUILD = ROOT / "sim_build"
OUT_DIR = SIM_BUILD / "coverage"
WAIVERS = Path(__file__).resolve().parent / "coverage_waivers.txt"
COVERAGE_DAT = "coverage.dat"

#: the point types of a coverage.dat this report reads (others, e.g.
#: ``expr`` or ``fsm`` from other flags, are kept in merged.dat only)
BLOCK, BRANCH, TOGGLE = "line", "branch", "toggle"
#: the kinds (Verilator's ``o`` field) a waiver names for block and branch
#: points; a toggle point's ``o`` is its signal and direction
BRANCH_KINDS = ("if", "elsif", "else", "case", "cond_then", "cond_else")
POINT_KINDS = ("block",) + BRANCH_KINDS

_LINE_RE = re.compile(r"^C '(.*)' (\d+)\s*$")


# ---------------------------------------------------------------------------
# coverage.dat


def parse_key(key: str) -> dict[str, str]:
    """The fields of a coverage.dat point key (``\\x01name\\x02value``...)."""
    out = {}
    for item in key.split("\x01"):
        if item:
            name, _, value = item.partition("\x02")
            out[name] = value
    return out


def read_dat(text: str) -> dict[str, int]:
    """{key: count} of a coverage.dat's text (a key twice: counts added)."""
    points: dict[str, int] = {}
    for line in text.splitlines():
        m = _LINE_RE.match(line)
        if m:
            points[m.group(1)] = points.get(m.group(1), 0) + int(m.group(2))
    return points


def write_dat(points: dict[str, int]) -> str:
    """The text of a coverage.dat holding *points* (verilator_coverage's format)."""
    return "# SystemC::Coverage-3\n" + "".join(
        f"C '{key}' {count}\n" for key, count in sorted(points.items()))


def parse_span(value: str | None, line: int) -> frozenset[int]:
    """The lines of Verilator's ``S`` field (``"37"``, ``"57,62,72-74"``),
    with the point's own line."""
    lines = {line}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            continue
        lines.update(range(a, b + 1))
    return frozenset(lines)


@dataclass(frozen=True, order=True)
class PointId:
    """One coverage point of hdl/, merged over instances and configurations."""
    file: str       # name in hdl/, e.g. ims_ram.v
    line: int
    col: int
    type: str       # line (a block), branch or toggle
    kind: str       # block, if, else, ... ; a toggle point's signal and direction

    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Coverage:
    """Merged points of hdl/ (count: hits over every run and instance)."""
    counts: dict[PointId, int] = field(default_factory=dict)
    spans: dict[PointId, frozenset[int]] = field(default_factory=dict)
    raw: dict[str, int] = field(default_factory=dict)     # every key, for merged.dat
    runs: int = 0
    # key -> its point (None: not of hdl/), parsed once for all runs
    _ids: dict[str, PointId | None] = field(default_factory=dict, repr=False)

    def _point(self, key: str, hdl_files: set[str]) -> PointId | None:
        f = parse_key(key)
        path = Path(f.get("f", ""))
        ptype = f.get("t", "")
        if path.parent.name != "hdl" or path.name not in hdl_files or \
                ptype not in (BLOCK, BRANCH, TOGGLE):
            return None
        try:
            line, col = int(f.get("l", "0")), int(f.get("n", "0"))
        except ValueError:
            return None
        pid = PointId(path.name, line, col, ptype, "block" if ptype == BLOCK else f.get("o", ""))
        if ptype != TOGGLE:
            self.spans[pid] = self.spans.get(pid, frozenset()) | parse_span(f.get("S"), line)
        return pid

    def add(self, points: dict[str, int], hdl_files: set[str]) -> None:
        self.runs += 1
        raw, counts, ids = self.raw, self.counts, self._ids
        for key, count in points.items():
            raw[key] = raw.get(key, 0) + count
            if key in ids:
                pid = ids[key]
            else:
                pid = ids[key] = self._point(key, hdl_files)
            if pid is not None:
                counts[pid] = counts.get(pid, 0) + count

    def points(self, *types: str) -> list[PointId]:
        return sorted(p for p in self.counts if p.type in types)

    def lines(self) -> dict[str, dict[int, int]]:
        """{file: {line: count}}: a line's count is the largest of the points
        spanning it (lcov's DA)."""
        out: dict[str, dict[int, int]] = defaultdict(dict)
        for pid, span in self.spans.items():
            per = out[pid.file]
            for ln in span:
                per[ln] = max(per.get(ln, 0), self.counts[pid])
        return out

    def line_points(self) -> dict[tuple[str, int], list[PointId]]:
        """{(file, line): the block and branch points spanning it}."""
        out: dict[tuple[str, int], list[PointId]] = defaultdict(list)
        for pid, span in self.spans.items():
            for ln in span:
                out[(pid.file, ln)].append(pid)
        return out


def run_folders(sim_build: Path, since: float = 0.0) -> tuple[list[Path], list[Path]]:
    """(coverage.dat files, Verilator run folders without one) of the runs
    started at/after *since* (their run.json)."""
    found: list[Path] = []
    missing: list[Path] = []
    for folder, meta in simrun.runs_since(since, sim_build):
        if meta.get("sim") != "verilator":
            continue
        dat = folder / COVERAGE_DAT
        (found if dat.exists() else missing).append(dat if dat.exists() else folder)
    return found, missing


def load(paths: list[Path], hdl_dir: Path = HDL_DIR) -> Coverage:
    hdl_files = {p.name for p in hdl_dir.glob("*.v")}
    cov = Coverage()
    for path in paths:
        cov.add(read_dat(path.read_text(errors="replace")), hdl_files)
    return cov


# ---------------------------------------------------------------------------
# Waivers


def norm(text: str) -> str:
    """A source line as a waiver quotes it: stripped, runs of blanks as one."""
    return " ".join(text.split())


@dataclass
class Waiver:
    file: str
    line: int           # where it was when written; matching prefers it
    kind: str
    nth: int            # the nth point of this kind on the line (by column), from 1
    text: str           # the source line, normalised
    reason: str
    at: int             # line of the waiver file

    def label(self) -> str:
        kind = self.kind + (f"#{self.nth}" if self.nth > 1 else "")
        return f"{self.file}:{self.line} {kind} {self.text}"


@dataclass
class WaiverFile:
    waivers: list[Waiver] = field(default_factory=list)
    floors: dict[str, float] = field(default_factory=dict)


class WaiverError(ValueError):
    pass


_POINT_RE = re.compile(r"^(?P<file>[\w.]+):(?P<line>\d+)\s+(?P<kind>\w+)(?:#(?P<nth>\d+))?\s+(?P<text>.+)$")


def parse_waivers(text: str, name: str = "coverage_waivers.txt") -> WaiverFile:
    """The waiver file's floors and waivers (see tests/coverage_waivers.txt).

    ``floor line|branch PERCENT`` sets a floor; ``[reason]`` starts a group
    of waivers; ``FILE:LINE KIND[#N] SOURCE LINE`` waives a point; ``#``
    starts a comment line.
    """
    out = WaiverFile()
    reason = ""
    errors = []
    for at, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            reason = line[1:-1].strip()
            if not reason:
                errors.append(f"{name}:{at}: empty reason")
            continue
        if line.startswith("floor "):
            parts = line.split()
            try:
                if len(parts) != 3 or parts[1] not in ("line", "branch"):
                    raise ValueError
                out.floors[parts[1]] = float(parts[2])
            except ValueError:
                errors.append(f"{name}:{at}: use `floor line|branch PERCENT`: {line}")
            continue
        m = _POINT_RE.match(line)
        if not m or m.group("kind") not in POINT_KINDS:
            errors.append(f"{name}:{at}: not FILE:LINE KIND[#N] SOURCE-LINE "
                          f"(KIND one of {', '.join(POINT_KINDS)}): {line}")
            continue
        if not reason:
            errors.append(f"{name}:{at}: waiver before any [reason]: {line}")
            continue
        out.waivers.append(Waiver(m.group("file"), int(m.group("line")), m.group("kind"),
                                  int(m.group("nth") or 1), norm(m.group("text")), reason, at))
    if errors:
        raise WaiverError("\n".join(errors))
    return out


def point_label(pid: PointId, sources: dict[str, list[str]], nth: int) -> str:
    """A point as the waiver file names it."""
    text = sources.get(pid.file, [])
    src = norm(text[pid.line - 1]) if 0 < pid.line <= len(text) else "?"
    return f"{pid.file}:{pid.line} {pid.kind}{f'#{nth}' if nth > 1 else ''} {src}"


def _kind_order(points: list[PointId]) -> dict[PointId, int]:
    """Each point's rank among the points of its kind on its line (by column)."""
    rank: dict[PointId, int] = {}
    groups: dict[tuple, list[PointId]] = defaultdict(list)
    for p in points:
        groups[(p.file, p.line, p.kind)].append(p)
    for group in groups.values():
        for i, p in enumerate(sorted(group, key=lambda q: q.col), 1):
            rank[p] = i
    return rank


def match_waivers(waivers: list[Waiver], points: list[PointId],
                  sources: dict[str, list[str]]) -> tuple[dict[PointId, Waiver], list[Waiver], list[str]]:
    """({point: its waiver}, waivers matching no point, errors).

    A waiver matches the nth point of its kind on a line of its file whose
    text is the waiver's: the line it names if that one qualifies, else the
    nearest such line (so waivers survive lines added or removed above).
    """
    rank = _kind_order(points)
    by_text: dict[tuple[str, str, str, int], list[PointId]] = defaultdict(list)
    for p in points:
        text = sources.get(p.file, [])
        if 0 < p.line <= len(text):
            by_text[(p.file, norm(text[p.line - 1]), p.kind, rank[p])].append(p)
    matched: dict[PointId, Waiver] = {}
    unmatched, errors = [], []
    for w in waivers:
        cands = by_text.get((w.file, w.text, w.kind, w.nth), [])
        if not cands:
            unmatched.append(w)
            continue
        best = min(cands, key=lambda p: (abs(p.line - w.line), p.line))
        if best in matched:
            errors.append(f"waiver file line {w.at}: {w.label()} waives the point line "
                          f"{matched[best].at} waives already")
            continue
        matched[best] = w
    return matched, unmatched, errors


# ---------------------------------------------------------------------------
# Report


@dataclass
class Stats:
    lines: int = 0
    lines_hit: int = 0
    lines_waived: int = 0
    branches: int = 0
    branches_hit: int = 0
    branches_waived: int = 0
    blocks: int = 0
    blocks_hit: int = 0
    toggles: int = 0
    toggles_hit: int = 0

    def add(self, other: Stats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def pct(hit: int, total: int) -> float:
    return 100.0 * hit / total if total else 100.0


def fmt_pct(hit: int, total: int) -> str:
    # rounded down: 99.96% is not 100.0%
    return f"{math.floor(pct(hit, total) * 10) / 10:5.1f}%" if total else "    -"


@dataclass
class Result:
    per_file: dict[str, Stats]
    total: Stats
    misses: list[str]            # unwaived points not reached (waiver-file form)
    stale: list[str]             # waivers of points reached
    unmatched: list[str]         # waivers whose line or point is gone
    errors: list[str]
    waived: int


def analyse(cov: Coverage, waivers: list[Waiver], sources: dict[str, list[str]]) -> Result:
    points = cov.points(BLOCK, BRANCH)
    matched, unmatched, errors = match_waivers(waivers, points, sources)
    rank = _kind_order(points)
    per_file: dict[str, Stats] = defaultdict(Stats)
    for name in sources:        # every hdl file appears, one without points too
        per_file[name] = Stats()
    misses, stale = [], []
    for p in points:
        st = per_file[p.file]
        hit = cov.counts[p] > 0
        if p.type == BRANCH:
            st.branches += 1
            st.branches_hit += hit
            st.branches_waived += (not hit) and p in matched
        else:
            st.blocks += 1
            st.blocks_hit += hit
        if not hit and p not in matched:
            misses.append(point_label(p, sources, rank[p]))
        if hit and p in matched:
            stale.append(f"{matched[p].label()} (waiver file line {matched[p].at}; "
                         f"reached {cov.counts[p]} times)")
    spanning = cov.line_points()
    for fname, lines in cov.lines().items():
        st = per_file[fname]
        for ln, count in lines.items():
            st.lines += 1
            st.lines_hit += count > 0
            st.lines_waived += count == 0 and all(p in matched for p in spanning[(fname, ln)])
    for p in cov.points(TOGGLE):
        st = per_file[p.file]
        st.toggles += 1
        st.toggles_hit += cov.counts[p] > 0
    total = Stats()
    for st in per_file.values():
        total.add(st)
    return Result(dict(sorted(per_file.items())), total, misses, stale,
                  [f"{w.label()} (waiver file line {w.at})" for w in unmatched], errors,
                  sum(1 for p in matched if cov.counts[p] == 0))


def table(result: Result, toggle: bool) -> list[str]:
    head = f"  {'module (hdl/)':<20} {'lines':>15}  {'branches':>15}  {'waived l/b':>10}"
    if toggle:
        head += f"  {'toggle':>19}"
    out = [head]
    rows = list(result.per_file.items()) + [("total", result.total)]
    for name, st in rows:
        if name == "total":
            out.append("  " + "-" * (len(head) - 2))
        row = (f"  {name:<20} {st.lines_hit:>5}/{st.lines:<5} {fmt_pct(st.lines_hit, st.lines)}"
               f"  {st.branches_hit:>5}/{st.branches:<5} {fmt_pct(st.branches_hit, st.branches)}"
               f"  {st.lines_waived:>4}/{st.branches_waived:<5}")
        if toggle:
            row += f"  {st.toggles_hit:>6}/{st.toggles:<6} {fmt_pct(st.toggles_hit, st.toggles)}"
        out.append(row)
    return out


def check(result: Result, floors: dict[str, float], partial: bool = False) -> tuple[int, list[str]]:
    """(exit status, messages): 1 on an unwaived miss, a floor not met, or
    a waiver error, unless *partial*."""
    msgs, rc = [], 0
    t = result.total
    got = {"line": pct(t.lines_hit, t.lines), "branch": pct(t.branches_hit, t.branches)}
    for what in ("line", "branch"):
        if what not in floors:
            msgs.append(f"ERROR: no `floor {what} PERCENT` in the waiver file")
            rc = 1
        elif got[what] < floors[what]:
            msgs.append(f"ERROR: {what} coverage of hdl/ {got[what]:.2f}% is below its floor "
                        f"{floors[what]:.1f}%")
            rc = 1
    if result.misses:
        msgs.append(f"ERROR: {plural(len(result.misses), 'point')} of hdl/ not reached and not waived "
                    "(reach them with a test, or waive them in tests/coverage_waivers.txt "
                    "under a [reason]):")
        msgs += [f"    {m}" for m in result.misses]
        rc = 1
    if result.errors:
        msgs += [f"ERROR: {e}" for e in result.errors]
        rc = 1
    if result.stale:
        msgs.append(f"note: {plural(len(result.stale), 'stale waiver')}, reached now "
                    "(remove them from tests/coverage_waivers.txt):")
        msgs += [f"    {s}" for s in result.stale]
    if result.unmatched:
        msgs.append(f"note: {plural(len(result.unmatched), 'waiver')} matching no point (the "
                    "source line changed or went; update or remove them):")
        msgs += [f"    {s}" for s in result.unmatched]
    if partial and rc:
        msgs.append("(one slice of the regression: not checked)")
        rc = 0
    return rc, msgs


# ---------------------------------------------------------------------------
# lcov trace file, genhtml


def write_info(cov: Coverage, hdl_dir: Path = HDL_DIR, test_name: str = "ims_endpoint") -> str:
    """lcov's trace file format: DA per line, BRDA per branch point (the
    branches of a line in column order, one block per line)."""
    lines = cov.lines()
    branches: dict[str, dict[int, list[PointId]]] = defaultdict(lambda: defaultdict(list))
    for p in cov.points(BRANCH):
        branches[p.file][p.line].append(p)
    out = [f"TN:{test_name}"]
    for fname in sorted(set(lines) | set(branches)):
        out.append(f"SF:{hdl_dir / fname}")
        brf = brh = 0
        for ln in sorted(branches[fname]):
            for i, p in enumerate(sorted(branches[fname][ln], key=lambda q: q.col)):
                count = cov.counts[p]
                out.append(f"BRDA:{ln},0,{i},{count}")
                brf += 1
                brh += count > 0
        out.append(f"BRF:{brf}")
        out.append(f"BRH:{brh}")
        per = lines.get(fname, {})
        for ln in sorted(per):
            out.append(f"DA:{ln},{per[ln]}")
        out.append(f"LF:{len(per)}")
        out.append(f"LH:{sum(1 for c in per.values() if c)}")
        out.append("end_of_record")
    return "\n".join(out) + "\n"


def genhtml(info: Path, html: Path, title: str) -> int:
    exe = shutil.which("genhtml")
    if not exe:
        print("code coverage: genhtml not found: install lcov (e.g. `apt-get install lcov`; "
              "make setup does it as root)")
        return 1
    shutil.rmtree(html, ignore_errors=True)
    res = subprocess.run([exe, "--quiet", "--branch-coverage", "--legend", "--title", title,
                          "--prefix", str(HDL_DIR.parent), "--output-directory", str(html),
                          str(info)], capture_output=True, text=True)
    if res.returncode:
        print(res.stdout + res.stderr)
        print(f"code coverage: genhtml failed (exit {res.returncode})")
        return 1
    print(f"code coverage: HTML report in {html / 'index.html'}")
    return 0


# ---------------------------------------------------------------------------


def toggle_misses(cov: Coverage) -> list[str]:
    """Signals with a bit that never toggled, per file: 'file:line signal (n of m)'."""
    per: dict[tuple[str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in cov.points(TOGGLE):
        signal = re.sub(r"\[\d+\]|:.*$", "", p.kind)
        entry = per[(p.file, p.line, signal)]
        entry[1] += 1
        entry[0] += cov.counts[p] == 0
    return [f"{f}:{ln} {sig} ({n} of {m} toggle points never reached)"
            for (f, ln, sig), (n, m) in sorted(per.items()) if n]


def read_sources(hdl_dir: Path = HDL_DIR) -> dict[str, list[str]]:
    return {p.name: p.read_text(errors="replace").splitlines() for p in sorted(hdl_dir.glob("*.v"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.code_coverage",
                                 description="merge, report and check the code coverage of hdl/")
    ap.add_argument("--since", type=float, default=0.0,
                    help="merge the runs started at/after this time (epoch seconds)")
    ap.add_argument("--partial", action="store_true",
                    help="a slice of the regression (make test SHARD=k/N): report, do not check")
    ap.add_argument("--toggle", action="store_true", help="report toggle coverage too (make coverage)")
    ap.add_argument("--html", action="store_true", help="genhtml into OUT/html (make coverage)")
    ap.add_argument("--waivers", default=str(WAIVERS), help="the waiver file (floors too)")
    ap.add_argument("--floor-line", type=float, help="instead of the waiver file's floor")
    ap.add_argument("--floor-branch", type=float, help="instead of the waiver file's floor")
    ap.add_argument("--sim-build", default=str(SIM_BUILD))
    ap.add_argument("--out", default=str(OUT_DIR), help="where merged.dat, merged.info, html/ go")
    ap.add_argument("dat", nargs="*", help="coverage.dat files to merge instead of --since's runs")
    args = ap.parse_args(argv)

    try:
        wf = parse_waivers(Path(args.waivers).read_text(), Path(args.waivers).name)
    except (OSError, WaiverError) as exc:
        print(f"code coverage: bad waiver file {args.waivers}:\n{exc}")
        return 1
    floors = dict(wf.floors)
    if args.floor_line is not None:
        floors["line"] = args.floor_line
    if args.floor_branch is not None:
        floors["branch"] = args.floor_branch

    missing: list[Path] = []
    if args.dat:
        paths = [Path(p) for p in args.dat]
    else:
        paths, missing = run_folders(Path(args.sim_build), args.since)
    if not paths:
        since = time.strftime("%H:%M:%S", time.localtime(args.since))
        print(f"code coverage: no Verilator run with coverage.dat since {since}")
        return 0 if args.partial else 1
    cov = load(paths)
    sources = read_sources()
    result = analyse(cov, wf.waivers, sources)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "merged.dat").write_text(write_dat(cov.raw))
    info = out / "merged.info"
    info.write_text(write_info(cov))

    t = result.total
    builds = sorted({p.parent.parent.name for p in paths})
    lines = ["", "=" * 78,
             f"code coverage of hdl/ (Verilator): {len(paths)} runs of {len(builds)} builds, "
             f"merged over instances and configurations",
             *table(result, args.toggle),
             f"  line {pct(t.lines_hit, t.lines):.2f}%  branch {pct(t.branches_hit, t.branches):.2f}%"
             + (f"  toggle {pct(t.toggles_hit, t.toggles):.2f}%" if args.toggle else "")
             + f"  (floors: line {floors.get('line', float('nan')):.1f}%, branch "
               f"{floors.get('branch', float('nan')):.1f}%); {result.waived} points not reached "
               f"are waived ({Path(args.waivers).name}), blocks "
               f"{t.blocks_hit}/{t.blocks} reached"]
    if missing:
        lines.append(f"warning: {len(missing)} Verilator runs left no coverage.dat: "
                     + ", ".join(str(m.relative_to(args.sim_build)) for m in missing[:5])
                     + (" ..." if len(missing) > 5 else ""))
    rc, msgs = check(result, floors, args.partial)
    lines += msgs
    lines.append(f"  merged: {out / 'merged.dat'}, lcov: {info}")
    if args.partial:
        lines.append("code coverage: one slice of the regression; merge the slices' "
                     "sim_build/*/*/coverage.dat with `python -m tests.code_coverage FILE...` "
                     "for the total")
    lines.append("=" * 78)
    report = "\n".join(lines)
    print(report)
    text = report + "\n"
    if args.toggle:
        tm = toggle_misses(cov)
        (out / "toggle_missed.txt").write_text("\n".join(tm) + "\n")
        text += f"signals with a toggle point not reached: {len(tm)} ({out / 'toggle_missed.txt'})\n"
    (out / "report.txt").write_text(text)
    if args.html and genhtml(info, out / "html", "ims_endpoint hdl/ (Verilator)"):
        rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
