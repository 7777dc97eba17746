#!/usr/bin/env bash
# Set up everything `make sim` / `make test` need; fast when already done.
#   - Icarus Verilog and pciutils (apt-get install when root, else a message
#     what to install)
#   - with --coverage (make coverage): lcov, for its genhtml (apt-get install
#     when root, else a message what to install)
#   - .venv with the project installed editable (pip runs again only when
#     pyproject.toml is newer than the stamp .venv/.installed)
set -euo pipefail
cd "$(dirname "$0")/.."
COVERAGE=0
[ "${1:-}" = "--coverage" ] && COVERAGE=1

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed

# A Debian package: apt-get install it when root, else say what to install
# and stop. $1 the package, $2 what is missing, $3 the make target to run again.
install_package() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing $1 (apt-get install $1)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq "$1" >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }
    else
        echo "setup: $2 is missing." >&2
        echo "       Install it, e.g. 'sudo apt-get install $1' (Debian/Ubuntu)," >&2
        echo "       then run $3 again." >&2
        exit 1
    fi
}

# Icarus Verilog: the cocotb runner calls iverilog and vvp.
if ! command -v iverilog >/dev/null || ! command -v vvp >/dev/null; then
    install_package iverilog "Icarus Verilog (iverilog, vvp)" make
fi
# pciutils: the lspci check decodes the simulated configuration space with
# Linux's own decoder (lspci -F).
if ! command -v lspci >/dev/null; then
    install_package pciutils "lspci (pciutils)" make
fi
# lcov: make coverage's HTML report is genhtml's (make test does not need it).
if [ "$COVERAGE" = 1 ] && ! command -v genhtml >/dev/null; then
    install_package lcov "genhtml (lcov), which make coverage needs for its HTML report," \
        "make coverage"
fi
# Verilator models are compiled with make and a C++ compiler.
for tool in make c++ perl; do
    if ! command -v "$tool" >/dev/null; then
        echo "setup: '$tool' is missing; install build-essential and perl" >&2
        exit 1
    fi
done

if [ -f "$STAMP" ] && [ "$STAMP" -nt pyproject.toml ] && [ -x "$VENV/bin/python" ]; then
    # Already set up for this pyproject.toml.
    exit 0
fi

if ! "$VENV/bin/python" -c '' 2>/dev/null; then
    echo "setup: creating $VENV"
    "$PYTHON" -m venv --clear "$VENV"
fi
echo "setup: installing the project and its tools into $VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e .
# The simulator embeds this Python: check cocotb finds its shared library.
"$VENV/bin/python" -c 'import find_libpython, sys; sys.exit(find_libpython.find_libpython() is None)' || {
    echo "setup: libpython not found (cocotb embeds Python); install the python3 dev/shared library" >&2
    exit 1
}
touch "$STAMP"
