#!/usr/bin/env bash
# CI job: the wheel and the sdist work as their users get them.
#
# 1. Builds the sdist, and the wheel from the sdist, with PyPI's `build` in a
#    throwaway virtual environment.
# 2. Installs the WHEEL into a fresh virtual environment and, from an empty
#    folder outside the checkout (so only the installed copy can be
#    imported): `nnref --version`, `nnref --help`, `nnref selfcheck -q`,
#    `python -m nnref --version`, an unknown command's exit status through the
#    console wrapper, `import nnref.conformance, nnref.book`, that the
#    stubs, py.typed and the vectors are installed, and conformance.cases()
#    checking nnref's softmax on them; then NumPy beside it and
#    `crosscheck numpy` in float64 and float16 (the adapters, allow-list and
#    vectors all come from the wheel).  (mypy against the installed stubs
#    runs in 10-matrix.sh.)
# 3. Unpacks the SDIST into a temporary folder, makes a fresh virtual
#    environment there and runs the README's test command in it:
#    `pip install '.[test]'`, then `python -m pytest -q`, which must pass.
#
# Needs python3 with venv, and PyPI (build, setuptools, pytest, hypothesis).
# A few minutes at most: the test suite runs once.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT="$(pwd)"

start=$(date +%s)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' nnref/_base/version.py)"
# (sed drops pip's notes about this machine's local index folders)
quiet() { "$@" 2>&1 | sed "/^WARNING: Location 'file:/d"; return "${PIPESTATUS[0]}"; }

step() { echo "--- $*"; }
fail() { echo "15-package: FAILED: $*"; echo "15-package: $(( $(date +%s) - start ))s, status 1"; exit 1; }

step "building the sdist and the wheel (python -m build: the wheel is built from the sdist)"
python3 -m venv "$scratch/build-venv" &&
    quiet "$scratch/build-venv/bin/python" -m pip install -q --disable-pip-version-check build ||
    fail "could not install build"
quiet "$scratch/build-venv/bin/python" -m build --outdir "$scratch/dist" . > "$scratch/build.log" ||
    { tail -n 30 "$scratch/build.log"; fail "python -m build"; }
sdist="$scratch/dist/nnref-$version.tar.gz"
wheel="$scratch/dist/nnref-$version-py3-none-any.whl"
[ -f "$sdist" ] && [ -f "$wheel" ] || { ls -l "$scratch/dist"; fail "expected $sdist and $wheel"; }

step "the wheel, installed in a fresh venv, run from outside the checkout"
python3 -m venv "$scratch/wheel-venv" &&
    quiet "$scratch/wheel-venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel" ||
    fail "could not install the wheel"
mkdir "$scratch/elsewhere"
(
    set -e
    cd "$scratch/elsewhere"
    bin="$scratch/wheel-venv/bin"
    expect() {      # expect WHAT EXPECTED ACTUAL
        if [ "$2" != "$3" ]; then echo "$1: expected '$2', got '$3'"; return 1; fi
    }
    expect "nnref --version" "nnref $version" "$("$bin/nnref" --version)"
    expect "python -m nnref --version" "nnref $version" "$("$bin/python" -m nnref --version)"
    help="$("$bin/nnref" --help)"
    case "$help" in *"  selfcheck "*) ;; *) echo "nnref --help lists no selfcheck: $help"; exit 1 ;; esac
    "$bin/nnref" selfcheck -q
    set +e
    "$bin/nnref" no-such-command 2> /dev/null
    status=$?
    set -e
    expect "nnref no-such-command's exit status" 2 "$status"
    "$bin/python" - "$ROOT" <<'EOF'
import os, sys
import nnref, nnref.book, nnref.conformance
root = sys.argv[1]
here = os.path.dirname(os.path.abspath(nnref.__file__))
assert "site-packages" in here and not here.startswith(root), here
# The stubs, py.typed and the package data the checkout has are installed.
def files(top):
    found = set()
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.update(os.path.relpath(os.path.join(folder, n), top) for n in names
                     if n.endswith((".pyi", ".typed", ".json")))
    return found
wanted = files(os.path.join(root, "nnref"))
missing = sorted(wanted - files(here))
assert not missing, "not in the wheel: %s" % missing
assert {"py.typed", "book/__init__.pyi"} <= wanted
print("installed: %d stub and data files, nnref %s from %s" % (len(wanted), nnref.__version__, here))
# The packaged vectors as a test suite gets them: conformance.vectors() and cases().
from nnref import conformance
assert conformance.vectors("softmax", "float32")["dtype"] == "float32"
softmax_cases = conformance.cases("softmax")
for case in softmax_cases:
    case.check(nnref.softmax)
print("conformance.cases: %d softmax cases pass, ids %s..." % (len(softmax_cases), softmax_cases[0].id))
EOF
    # What a cross-checker does with the wheel: install NumPy beside it and
    # run the packaged adapters, allow-list and vectors, in two dtypes.
    quiet "$bin/python" -m pip install -q --disable-pip-version-check numpy
    "$bin/python" -W ignore::RuntimeWarning -m nnref crosscheck numpy > crosscheck.txt
    "$bin/nnref" crosscheck numpy --dtype float16 > crosscheck16.txt 2> /dev/null
    tail -n 1 crosscheck.txt
    [ -z "$(ls -A . | grep -v '^crosscheck')" ] || { echo "crosscheck wrote files: $(ls -A)"; exit 1; }
) || fail "the installed wheel"

step "the sdist, unpacked: pip install '.[test]' and python -m pytest -q in a fresh venv"
mkdir "$scratch/sdist" && tar -xzf "$sdist" -C "$scratch/sdist" || fail "could not unpack the sdist"
(
    set -e
    cd "$scratch/sdist/nnref-$version"
    # As in the checkout's CI: the MicroPython runner's pinned npm packages.
    (cd tools/js && npm ci --no-audit --no-fund --loglevel=error)
    python3 -m venv .venv && . .venv/bin/activate
    quiet python -m pip install -q --disable-pip-version-check '.[test]'
    python -m pytest -q -p no:cacheprovider
) || fail "the sdist's own tests"

echo "15-package: $(( $(date +%s) - start ))s, status 0"
