#!/usr/bin/env bash
# CI job: nnref on every interpreter it promises, and its type stubs.
#
# 1. Installs what the matrix needs if it is missing: PyPy (Debian's pypy3)
#    and the pinned npm packages in tools/js (npm ci).
# 2. Runs tools/matrix.sh: the full test suite on CPython 3.6-3.13 and PyPy,
#    the self-check on MicroPython and Pyodide; fails if any interpreter
#    fails or is missing.
# 3. Type-checks every stub (nnref/**/*.pyi) with mypy from PyPI in its own
#    virtual environment: `mypy --strict` on the stubs and on
#    tests/typing_usage.py, which also runs as a plain script; mypy's
#    stubtest, which compares the stubs with what the package defines; and
#    mypy on the same usage against an installed copy (the stubs ship).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

MYPY_VERSION=2.4.1
status=0
start=$(date +%s)

echo "--- installing PyPy and the npm packages (if missing)"
if ! command -v pypy3 >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -q && apt-get install -y -q pypy3) > /tmp/nnref-apt-pypy3.log 2>&1 ||
        { tail -n 30 /tmp/nnref-apt-pypy3.log; echo "could not install pypy3"; status=1; }
fi
(cd tools/js && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; status=1; }

echo "--- portability matrix (tools/matrix.sh)"
bash tools/matrix.sh || status=1

echo "--- type stubs (mypy $MYPY_VERSION)"
typecheck() {
    local venv=.venv-mypy
    if [ ! -x "$venv/bin/mypy" ] || ! "$venv/bin/mypy" --version | grep -q " $MYPY_VERSION "; then
        rm -rf "$venv"
        python3 -m venv "$venv" &&
            "$venv/bin/python" -m pip install -q --disable-pip-version-check "mypy==$MYPY_VERSION" ||
            return 1
    fi
    # Every stub in the package (find: a new subpackage's stubs are not missed).
    local stubs
    stubs="$(find nnref -name '*.pyi' | sort)"
    # shellcheck disable=SC2086  # the paths hold no spaces; one word each
    "$venv/bin/mypy" --strict --warn-unused-ignores --no-incremental \
        tests/typing_usage.py $stubs || return 1
    PYTHONPATH=. "$venv/bin/python" -m mypy.stubtest --mypy-config-file tools/stubtest.ini \
        --allowlist tools/stubtest-allowlist.txt nnref || return 1
    PYTHONPATH=. python3 tests/typing_usage.py || return 1
    # PEP 561: the installed package ships its stubs and py.typed, so mypy
    # finds the types from anywhere, not only inside the checkout.
    local scratch
    scratch="$(mktemp -d)"
    python3 -m venv "$scratch/venv" &&
        "$scratch/venv/bin/python" -m pip install -q --disable-pip-version-check . &&
        cp tests/typing_usage.py "$scratch/" &&
        (cd "$scratch" && "$OLDPWD/$venv/bin/mypy" --python-executable "$scratch/venv/bin/python" \
            --strict --warn-unused-ignores --no-incremental typing_usage.py)
    local rc=$?
    rm -rf "$scratch"
    [ "$rc" -eq 0 ] && echo "installed package: stubs found" || return 1
}
# (sed drops pip's notes about this machine's local index folders)
if ! typecheck 2>&1 | sed "/^WARNING: Location 'file:/d"; then
    echo "type check FAILED"
    status=1
fi

echo "10-matrix: $(( $(date +%s) - start ))s, status $status"
exit "$status"
