"""The RTL register style (docs/design.md, "RTL conventions"), as a checker.

Every ``always`` block of hdl/*.v is one of two kinds:

* clocked, ``always @(posedge clk)``: it writes registers, with
  non-blocking assignments only, and every register it writes is named
  ``*_reg`` (memories, i.e. arrays, may be named otherwise); the only
  blocking assignments are to ``integer`` loop variables;
* combinational, ``always @*``: blocking assignments only, and nothing it
  assigns is named ``*_reg``.

Any other sensitivity list is reported too. ``initial`` blocks and
functions are not checked. The parser knows the statements the RTL uses
(begin/end, if/else, case, for, system task calls, assignments); a
statement it does not know is reported rather than skipped, so that the
check cannot pass by not looking.

Run as ``python -m tests.rtl_style [files or folders]`` (default: hdl/).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<number>(?:\d[\d_]*)?'[sS]?[bBoOdDhH]\s*[0-9a-fA-FxXzZ?_]+|\d[\d_]*(?:\.\d+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_$]*|\\\S+)
  | (?P<system>\$[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<directive>`[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>===|!==|<<<|>>>|<=|>=|==|!=|&&|\|\||<<|>>|\+:|-:|~&|~\||~\^|\^~|\*\*|[^\s])
""", re.X)


@dataclass
class Tok:
    text: str
    kind: str
    line: int


def strip_comments(text: str) -> str:
    """Text with // and /* */ comments blanked (line numbers kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text[i] == '"':
            m = re.compile(r'"(?:\\.|[^"\\\n])*"?').match(text, i)
            assert m is not None  # it matches at any quote
            out.append(m.group(0))
            i = m.end()
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def tokenize(text: str) -> list[Tok]:
    toks, line = [], 1
    # attributes, (* name ... *), say nothing about the style (not @(*))
    text = re.sub(r"\(\*\s*[A-Za-z_][^*]*\*\)", lambda m: "\n" * m.group(0).count("\n"),
                  strip_comments(text))
    # macro definitions, continuation lines included, are not code here
    text = re.sub(r"^[ \t]*`define\b(?:[^\n]*\\\n)*[^\n]*",
                  lambda m: "\n" * m.group(0).count("\n"), text, flags=re.M)
    # formal properties (`ifdef FORMAL ... `endif, no nesting) are not RTL
    text = re.sub(r"^[ \t]*`ifdef[ \t]+FORMAL\b.*?^[ \t]*`endif\b",
                  lambda m: "\n" * m.group(0).count("\n"), text, flags=re.M | re.S)
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        if kind != "space":
            toks.append(Tok(m.group(0), kind, line))
        line += m.group(0).count("\n")
    # Preprocessor lines: `ifdef/`ifndef/`else/`endif/`include/... are
    # dropped with their argument; the code under every branch is checked
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "directive":
            if t.text in ("`ifdef", "`ifndef", "`elsif", "`include", "`timescale",
                          "`default_nettype", "`undef"):
                # skip the rest of the directive's line
                j = i + 1
                while j < len(toks) and toks[j].line == t.line:
                    j += 1
                i = j
                continue
            i += 1          # `else, `endif, `resetall, `celldefine...
            continue
        out.append(t)
        i += 1
    return out


KEYWORDS = {
    "module", "endmodule", "input", "output", "inout", "wire", "reg", "integer",
    "genvar", "parameter", "localparam", "assign", "always", "initial", "begin",
    "end", "if", "else", "case", "casez", "casex", "endcase", "default", "for",
    "function", "endfunction", "generate", "endgenerate", "posedge", "negedge",
    "or", "signed", "task", "endtask", "while", "repeat", "forever",
}


@dataclass
class Assign:
    name: str
    op: str          # "=" or "<="
    line: int
    loop: bool       # in a for loop's header


class ParseError(Exception):
    pass


class _BlockParser:
    """Collects the assignments of one always block's statement."""

    def __init__(self, toks: list[Tok], pos: int):
        self.t, self.i = toks, pos
        self.assigns: list[Assign] = []

    def peek(self, k: int = 0) -> Tok:
        if self.i + k >= len(self.t):
            raise ParseError("unexpected end of file")
        return self.t[self.i + k]

    def take(self, text: str | None = None) -> Tok:
        tok = self.peek()
        if text is not None and tok.text != text:
            raise ParseError(f"line {tok.line}: expected {text!r}, found {tok.text!r}")
        self.i += 1
        return tok

    def skip_balanced(self) -> None:
        """Skip a parenthesised group starting at '('."""
        depth = 0
        while True:
            tok = self.take()
            if tok.text in ("(", "[", "{"):
                depth += 1
            elif tok.text in (")", "]", "}"):
                depth -= 1
                if depth == 0:
                    return

    def skip_until(self, stops: tuple[str, ...]) -> Tok:
        """Skip an expression up to one of *stops* at depth 0; return it."""
        depth = 0
        while True:
            tok = self.peek()
            if depth == 0 and tok.text in stops:
                return tok
            if tok.text in ("(", "[", "{"):
                depth += 1
            elif tok.text in (")", "]", "}"):
                depth -= 1
                if depth < 0:
                    raise ParseError(f"line {tok.line}: unbalanced {tok.text!r}")
            self.i += 1

    def lvalue_names(self) -> list[Tok]:
        """Names written by the lvalue at the cursor; cursor left on = or <=."""
        names: list[Tok] = []
        depth = 0
        while True:
            tok = self.peek()
            if depth == 0 and tok.text in ("=", "<="):
                return names
            if tok.text in (";", "begin", "end"):
                raise ParseError(f"line {tok.line}: no assignment in statement")
            if tok.text in ("(", "["):
                depth += 1
            elif tok.text in (")", "]"):
                depth -= 1
            elif tok.kind == "ident" and depth == 0 and tok.text not in KEYWORDS:
                names.append(tok)       # a name, or one of a {concatenation}
            self.i += 1

    def assignment(self, loop: bool = False, end: str = ";") -> None:
        names = self.lvalue_names()
        op = self.take().text
        for n in names:
            self.assigns.append(Assign(n.text, op, n.line, loop))
        self.skip_until((end,))
        self.take(end)

    def statement(self) -> None:
        tok = self.peek()
        w = tok.text
        if w == "begin":
            self.take()
            if self.peek().text == ":":
                self.take()
                self.take()
            while self.peek().text != "end":
                self.statement()
            self.take("end")
        elif w == "if":
            self.take()
            self.skip_balanced()
            self.statement()
            if self.peek().text == "else":
                self.take()
                self.statement()
        elif w in ("case", "casez", "casex"):
            self.take()
            self.skip_balanced()
            while self.peek().text != "endcase":
                if self.peek().text == "default":
                    self.take()
                    if self.peek().text == ":":
                        self.take()
                else:
                    self.skip_until((":",))
                    self.take(":")
                self.statement()
            self.take("endcase")
        elif w == "for":
            self.take()
            self.take("(")
            self.assignment(loop=True)
            self.skip_until((";",))
            self.take(";")
            self.assignment(loop=True, end=")")
            self.statement()
        elif w == ";":
            self.take()
        elif tok.kind == "system":
            self.take()
            if self.peek().text == "(":
                self.skip_balanced()
            self.take(";")
        elif tok.kind == "ident" and w not in KEYWORDS or w == "{":
            self.assignment()
        else:
            raise ParseError(f"line {tok.line}: statement not understood: {w!r}")


def _declarations(toks: list[Tok]) -> tuple[set[str], set[str]]:
    """(memories, integers) declared anywhere in the file."""
    memories, integers = set(), set()
    for k, tok in enumerate(toks):
        if tok.text not in ("reg", "integer"):
            continue
        if k and toks[k - 1].text in ("parameter", "localparam"):
            continue                    # a parameter's type
        j = k + 1
        if j < len(toks) and toks[j].text == "signed":
            j += 1
        if j < len(toks) and toks[j].text == "[":
            depth = 0
            while True:
                depth += {"[": 1, "]": -1}.get(toks[j].text, 0)
                j += 1
                if depth == 0:
                    break
        while j < len(toks) and toks[j].kind == "ident" and toks[j].text not in KEYWORDS:
            name = toks[j].text
            j += 1
            if tok.text == "integer":
                integers.add(name)
            if j < len(toks) and toks[j].text == "[":
                memories.add(name)
            depth = 0
            while j < len(toks):        # dimensions, an initialiser
                t = toks[j].text
                if depth == 0 and t in (",", ";", ")"):
                    break
                depth += {"[": 1, "(": 1, "{": 1, "]": -1, ")": -1, "}": -1}.get(t, 0)
                j += 1
            if j < len(toks) and toks[j].text == ",":
                j += 1
                continue
            break
    return memories, integers


def check_text(text: str, filename: str = "<text>") -> list[str]:
    """Violations of the register style in Verilog source *text*."""
    toks = tokenize(text)
    memories, integers = _declarations(toks)
    problems = []
    for k, tok in enumerate(toks):
        if tok.text != "always":
            continue
        p = _BlockParser(toks, k + 1)
        try:
            p.take("@")
            if p.peek().text == "*":
                p.take()
                kind: str | None = "comb"
            else:
                start = p.i
                p.skip_balanced()
                sens = " ".join(t.text for t in toks[start:p.i])
                kind = {"( * )": "comb", "(*)": "comb", "( posedge clk )": "clocked"}.get(sens)
                if kind is None:
                    problems.append(f"{filename}:{tok.line}: always @{sens}: only "
                                    f"@(posedge clk) and @* are used")
                    continue
            p.statement()
        except ParseError as exc:
            problems.append(f"{filename}:{tok.line}: always block not understood ({exc})")
            continue
        for a in p.assigns:
            where = f"{filename}:{a.line}: {a.name}"
            if kind == "clocked":
                if a.op == "=" and a.name not in integers:
                    problems.append(f"{where}: blocking assignment in a clocked block "
                                    f"(only loop integers)")
                elif a.op == "<=" and not a.name.endswith("_reg") and a.name not in memories:
                    problems.append(f"{where}: register written in a clocked block "
                                    f"is not named *_reg")
            else:
                if a.op == "<=":
                    problems.append(f"{where}: non-blocking assignment in a "
                                    f"combinational block")
                if a.name.endswith("_reg"):
                    problems.append(f"{where}: assigned in a combinational block but "
                                    f"named *_reg")
    # one report per signal and rule (the first line it happens on)
    seen, unique = set(), []
    for msg in problems:
        key = re.sub(r":\d+:", ":", msg, count=1)
        if key not in seen:
            seen.add(key)
            unique.append(msg)
    return unique


def check_files(paths) -> list[str]:
    problems = []
    for path in paths:
        path = Path(path)
        try:
            name = str(path.resolve().relative_to(ROOT))
        except ValueError:
            name = str(path)
        problems += check_text(path.read_text(), name)
    return problems


def hdl_files(args=()) -> list[Path]:
    files = []
    for a in (args or [ROOT / "hdl"]):
        a = Path(a)
        files += sorted(a.glob("*.v")) if a.is_dir() else [a]
    return files


def main(argv=None) -> int:
    problems = check_files(hdl_files(sys.argv[1:] if argv is None else argv))
    print("\n".join(problems) or "rtl style: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
