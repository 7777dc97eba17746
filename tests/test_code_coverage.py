"""tests/code_coverage.py without a simulator: coverage.dat parsing and
merging, the waiver file, waiver matching across line shifts, the floor and
the unwaived-miss checks, the lcov trace file."""

import pytest

from tests import code_coverage as C

SOURCE = """\
module m;
    initial begin
        `IMS_CHECK(W >= 1, "W", W, "at least 1")
    end
    always @(posedge clk) begin
        if (rst) begin
            a <= 1'b0;
        end else if (go)
            a <= b ? c : d;
    end
endmodule
""".splitlines()


def key(line, col, ptype, kind, span="", file="/x/hdl/m.v", hier="top.u"):
    page = "v_line/m" if ptype == "line" else f"v_{ptype}/m"
    fields = [("f", file), ("l", str(line)), ("n", str(col)), ("t", ptype), ("page", page),
              ("o", kind)]
    if span is not None:
        fields.append(("S", span))
    fields.append(("h", hier))
    return "".join(f"\x01{k}\x02{v}" for k, v in fields)


def dat(points):
    return "# SystemC::Coverage-3\n" + "".join(f"C '{k}' {n}\n" for k, n in points)


#: (key, count) of one run: the parameter check's if not taken; the
#: reset branch and one ?: arm not taken
RUN = [
    (key(2, 5, "line", "block", "2"), 1),
    (key(3, 5, "branch", "if", "3"), 0),
    (key(3, 6, "branch", "else", ""), 1),
    (key(5, 5, "line", "block", "5"), 100),
    (key(6, 9, "branch", "if", "6-7"), 0),
    (key(6, 10, "branch", "else", "8"), 100),
    (key(8, 14, "branch", "elsif", "8-9"), 60),
    (key(8, 15, "branch", "else", ""), 40),
    (key(9, 22, "branch", "cond_then", "9"), 60),
    (key(9, 23, "branch", "cond_else", "9"), 0),
    (key(1, 1, "line", "block", "1", file="/x/other/t.v"), 0),   # not hdl/: ignored
]


def coverage(*runs):
    cov = C.Coverage()
    for run in runs:
        cov.add(C.read_dat(dat(run)), {"m.v"})
    return cov


def test_read_write_dat_and_merge():
    text = dat(RUN)
    assert C.read_dat(text) == dict(RUN)
    assert C.read_dat(C.write_dat(dict(RUN))) == dict(RUN)
    f = C.parse_key(RUN[4][0])
    assert (f["f"], f["l"], f["t"], f["o"], f["S"]) == ("/x/hdl/m.v", "6", "branch", "if", "6-7")
    # two instances and two runs of the same point: one point, counts added
    other = [(key(6, 9, "branch", "if", "6-7", hier="top.v"), 2)]
    cov = coverage(RUN, RUN, other)
    assert cov.runs == 3
    assert cov.counts[C.PointId("m.v", 6, 9, "branch", "if")] == 2
    assert cov.counts[C.PointId("m.v", 5, 5, "line", "block")] == 200
    assert all(p.file == "m.v" for p in cov.counts)
    assert len(cov.raw) == len(RUN) + 1          # merged.dat keeps every key


def test_span_and_lines():
    assert C.parse_span("57,62,72-74", 57) == {57, 62, 72, 73, 74}
    assert C.parse_span("", 3) == {3}
    assert C.parse_span(None, 3) == {3}
    lines = coverage(RUN).lines()["m.v"]
    # a line counts as reached when a point spanning it was (the largest count)
    assert lines == {2: 1, 3: 1, 5: 100, 6: 100, 7: 0, 8: 100, 9: 60}


def test_parse_waivers():
    wf = C.parse_waivers("""
# comment
floor line 97.5
floor branch 90
[parameter check: $fatal only on an illegal parameter]
m.v:3 if `IMS_CHECK(W >= 1, "W", W, "at least 1")
[a reason]
m.v:9 cond_else#2   a   <=  b ? c : d;
""")
    assert wf.floors == {"line": 97.5, "branch": 90.0}
    assert [(w.file, w.line, w.kind, w.nth, w.reason) for w in wf.waivers] == [
        ("m.v", 3, "if", 1, "parameter check: $fatal only on an illegal parameter"),
        ("m.v", 9, "cond_else", 2, "a reason")]
    assert wf.waivers[1].text == "a <= b ? c : d;"
    for bad in ("m.v:3 if no reason before it",
                "[r]\nm.v:3 branchy x",
                "[r]\nm.v if x",
                "floor toggle 50",
                "[ ]"):
        with pytest.raises(C.WaiverError):
            C.parse_waivers(bad)


def waivers(text):
    return C.parse_waivers("floor line 90\nfloor branch 50\n" + text).waivers


def test_match_follows_line_shifts():
    cov = coverage(RUN)
    points = cov.points("line", "branch")
    ws = waivers("[r]\nm.v:3 if `IMS_CHECK(W >= 1, \"W\", W, \"at least 1\")\n"
                 "m.v:9 cond_else a <= b ? c : d;\n")
    matched, unmatched, errors = C.match_waivers(ws, points, {"m.v": SOURCE})
    assert not unmatched and not errors
    assert {(p.line, p.kind) for p in matched} == {(3, "if"), (9, "cond_else")}
    # three lines added at the top: the same waivers still match, by text
    shifted = ["// new", "// new", "// new"] + SOURCE
    moved = [C.PointId(p.file, p.line + 3, p.col, p.type, p.kind) for p in points]
    matched, unmatched, _ = C.match_waivers(ws, moved, {"m.v": shifted})
    assert not unmatched
    assert {(p.line, p.kind) for p in matched} == {(6, "if"), (12, "cond_else")}
    # the line's text changed: the waiver matches nothing
    edited = [s.replace("b ? c : d", "b ? c : e") for s in SOURCE]
    _, unmatched, _ = C.match_waivers(ws, points, {"m.v": edited})
    assert [w.line for w in unmatched] == [9]
    # the nearest of two lines with the same text
    twice = SOURCE[:9] + ["        a <= b ? c : d;"] + SOURCE[9:]
    pts = points + [C.PointId("m.v", 10, 22, "branch", "cond_else")]
    matched, _, _ = C.match_waivers(waivers("[r]\nm.v:11 cond_else a <= b ? c : d;\n"), pts,
                                    {"m.v": twice})
    assert [p.line for p in matched] == [10]
    # two waivers of one point
    _, _, errors = C.match_waivers(waivers("[r]\nm.v:9 cond_else a <= b ? c : d;\n"
                                           "m.v:8 cond_else a <= b ? c : d;\n"),
                                   points, {"m.v": SOURCE})
    assert len(errors) == 1


def test_check_misses_floors_stale():
    cov = coverage(RUN)
    src = {"m.v": SOURCE}
    # nothing waived: three points not reached, each named in waiver-file form
    res = C.analyse(cov, [], src)
    assert res.misses == ['m.v:3 if `IMS_CHECK(W >= 1, "W", W, "at least 1")',
                          "m.v:6 if if (rst) begin",
                          "m.v:9 cond_else a <= b ? c : d;"]
    assert (res.total.branches, res.total.branches_hit) == (8, 5)
    assert (res.total.lines, res.total.lines_hit) == (7, 6)
    rc, msgs = C.check(res, {"line": 80, "branch": 50})
    assert rc == 1 and any("not reached and not waived" in m for m in msgs)
    # a slice of the regression only reports
    assert C.check(res, {"line": 80, "branch": 50}, partial=True)[0] == 0
    # every miss waived: passes; the waived line (7) is counted as waived
    ws = waivers("[r]\n" + "\n".join(res.misses) + "\n")
    res = C.analyse(cov, ws, src)
    assert not res.misses and res.waived == 3
    assert (res.total.lines_waived, res.total.branches_waived) == (1, 3)
    assert C.check(res, {"line": 80, "branch": 50}) == (0, [])
    # a floor above the measured figure fails (62.5% of the branches reached)
    rc, msgs = C.check(res, {"line": 80, "branch": 62.6})
    assert rc == 1 and "branch coverage of hdl/ 62.50% is below its floor 62.6%" in msgs[0]
    rc, msgs = C.check(res, {"branch": 50})
    assert rc == 1 and "no `floor line" in msgs[0]
    # a run that reaches the reset branch makes its waiver stale (a note)
    hit = [(key(6, 9, "branch", "if", "6-7"), 1)]
    res = C.analyse(coverage(RUN, hit), ws, src)
    assert len(res.stale) == 1 and "m.v:6 if" in res.stale[0]
    rc, msgs = C.check(res, {"line": 80, "branch": 50})
    assert rc == 0 and any("stale" in m for m in msgs)


def test_info():
    info = C.write_info(coverage(RUN), C.Path("/h"))
    assert info.startswith("TN:")
    assert "SF:/h/m.v" in info and "SF:/h/t.v" not in info
    assert "DA:7,0" in info and "DA:5,100" in info
    assert "BRDA:9,0,0,60" in info and "BRDA:9,0,1,0" in info
    assert "BRF:8\nBRH:5" in info and "LF:7\nLH:6" in info
