#!/usr/bin/env bash
# The portability matrix: nnref, unmodified, on every interpreter it promises.
#
#   tools/matrix.sh [-j JOBS] [NAME ...]
#
# - CPython 3.6 ... 3.13 (the newest patch release of each minor version found
#   in "$(pyenv root)/versions") and PyPy 3 (`pypy3` on PATH): a virtual
#   environment per interpreter, cached in .venv-matrix/<name>, gets the test
#   extra that setup.cfg names (pytest, hypothesis); then, from the checkout
#   root so that the checkout's own nnref is the one imported (nothing is
#   installed), the full test suite, `python -S -c "import nnref"` and
#   `python -m nnref selfcheck`.
# - MicroPython 1.27 (WebAssembly) and Pyodide (CPython in WebAssembly), both
#   run by Node from tools/js (`npm ci` there first if node_modules is
#   missing): `import nnref`, `python -m nnref selfcheck` and the chapter
#   tour (`python -m nnref`).
# - Every interpreter also runs tools/bitcheck.py; at the end the checksums
#   are compared: exact results must be bit-identical on all of them, and
#   results through libm within the native and the WebAssembly family.
#
# NAME limits the run to some interpreters (e.g. `cpython3.6 micropython`).
# JOBS interpreters run at once (default 2, the machine's core count in CI).
# Each interpreter logs to .venv-matrix/logs/<name>.log; at the end a table of
# interpreter x result is printed, then the logs of the failures.  The exit
# status is non-zero if any interpreter failed or is missing.
#
# Needs: pyenv's CPythons, pypy3 (Debian: apt-get install -y pypy3), Node with
# npm, and PyPI and npm reachable the first time (to fill the caches).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.venv-matrix"
LOGS="$CACHE/logs"
JOBS=2
ONLY=()
CPYTHON_MINORS="3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13"
JOB_TIMEOUT=1500   # seconds; one interpreter should take a few minutes

while [ $# -gt 0 ]; do
    case "$1" in
        -j) JOBS="$2"; shift 2 ;;
        -j*) JOBS="${1#-j}"; shift ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) ONLY+=("$1"); shift ;;
    esac
done

mkdir -p "$LOGS"
cd "$ROOT" || exit 2

wanted() {
    [ "${#ONLY[@]}" -eq 0 ] && return 0
    local name
    for name in "${ONLY[@]}"; do [ "$name" = "$1" ] && return 0; done
    return 1
}

# The newest pyenv CPython X.Y.Z for the minor version X.Y, or nothing.
find_cpython() {
    local root best="" candidate
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    for candidate in $(ls "$root/versions" 2>/dev/null | grep -E "^$(echo "$1" | sed 's/\./\\./')\.[0-9]+$" | sort -t. -k3,3n); do
        [ -x "$root/versions/$candidate/bin/python" ] && best="$root/versions/$candidate/bin/python"
    done
    echo "$best"
}

# The packages of setup.cfg's `test` extra, one per line.
test_requirements() {
    "$1" - <<'EOF'
import configparser
config = configparser.ConfigParser()
config.read("setup.cfg")
for line in config["options.extras_require"]["test"].splitlines():
    if line.strip():
        print(line.strip())
EOF
}

# Run one CPython or PyPy through the suite; all output goes to the caller's log.
run_native() {
    local name="$1" python="$2" venv py requirements
    venv="$CACHE/$name"
    echo "== $name: $python"
    "$python" -c 'import sys; print(sys.version.replace("\n", " "))' || return 1
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv" || return 1
    fi
    py="$venv/bin/python"
    if "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 6))'; then
        # The pip 18.1 bundled with 3.6 picks releases that dropped 3.6.
        "$py" -m pip install -q --disable-pip-version-check -U 'pip<22' || return 1
    fi
    requirements="$(test_requirements "$py")" || return 1
    # shellcheck disable=SC2086
    "$py" -m pip install -q --disable-pip-version-check $requirements || return 1
    "$py" -m pip list --disable-pip-version-check 2>/dev/null | grep -iE '^(pytest|hypothesis) '
    echo "== $name: test suite"
    "$py" -m pytest -q -p no:cacheprovider || return 1
    echo "== $name: python -S -c 'import nnref'"
    "$py" -S -c 'import nnref; print("import nnref: ok", nnref.__file__)' || return 1
    echo "== $name: python -m nnref selfcheck"
    "$py" -m nnref selfcheck || return 1
    echo "== $name: tools/bitcheck.py"
    PYTHONPATH="$ROOT" "$py" tools/bitcheck.py > "$LOGS/$name.bits" || return 1
}

run_wasm() {
    local name="$1" runner="$ROOT/tools/js/$2"
    echo "== $name: node tools/js/$2"
    node "$runner" -c 'import sys; print(sys.version); print(sys.implementation)' || return 1
    echo "== $name: import nnref"
    node "$runner" -c 'import nnref; print("import nnref: ok", nnref.__version__)' || return 1
    echo "== $name: python -m nnref selfcheck"
    node "$runner" -m nnref selfcheck || return 1
    echo "== $name: python -m nnref (the chapter tour)"
    node "$runner" -m nnref || return 1
    echo "== $name: tools/bitcheck.py"
    node "$runner" "$ROOT/tools/bitcheck.py" > "$LOGS/$name.bits" || return 1
}

export ROOT CACHE LOGS
export -f run_native run_wasm test_requirements

# One interpreter, run in the background: writes <name>.log and <name>.status
# ("PASS", "FAIL" or "MISSING", then the seconds taken).
run_one() {
    local name="$1" kind="$2" target="$3" log="$LOGS/$1.log" start rc
    start=$(date +%s)
    if [ -z "$target" ]; then
        echo "$name: interpreter not found" > "$log"
        echo "MISSING 0" > "$LOGS/$name.status"
        return
    fi
    timeout "$JOB_TIMEOUT" bash -c 'set -o pipefail; "run_$0" "$@"' "$kind" "$name" "$target" > "$log" 2>&1
    rc=$?
    [ "$rc" -eq 124 ] && echo "== $name: timed out after ${JOB_TIMEOUT}s" >> "$log"
    if [ "$rc" -eq 0 ]; then
        echo "PASS $(( $(date +%s) - start ))" > "$LOGS/$name.status"
    else
        echo "FAIL $(( $(date +%s) - start ))" > "$LOGS/$name.status"
    fi
}

# The node packages, once, before anything runs in parallel.
prepare_node() {
    if ! command -v node >/dev/null; then
        echo "matrix: node not found" >&2
        return 1
    fi
    if [ ! -d "$ROOT/tools/js/node_modules/pyodide" ] ||
       [ ! -d "$ROOT/tools/js/node_modules/@micropython/micropython-webassembly-pyscript" ]; then
        echo "matrix: npm ci in tools/js"
        (cd "$ROOT/tools/js" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    fi
}

NAMES=()
KINDS=()
TARGETS=()
add() { wanted "$1" || return 0; NAMES+=("$1"); KINDS+=("$2"); TARGETS+=("$3"); }

# The slow ones first, so that the two lanes finish together.
add pypy3 native "$(command -v pypy3 || true)"
for minor in $CPYTHON_MINORS; do
    add "cpython$minor" native "$(find_cpython "$minor")"
done
node_ok=""
if wanted micropython || wanted pyodide; then
    prepare_node && node_ok=yes
fi
add micropython wasm "${node_ok:+run_micropython.mjs}"
add pyodide wasm "${node_ok:+run_pyodide.mjs}"

if [ "${#NAMES[@]}" -eq 0 ]; then
    echo "matrix: no interpreter called ${ONLY[*]}" >&2
    exit 2
fi

# Stopped (Ctrl-C, a CI timeout): stop the interpreters still running too.
stop_running() {
    local pid
    for pid in $(jobs -p); do
        pkill -TERM -P "$pid" 2>/dev/null
        kill "$pid" 2>/dev/null
    done
    exit 130
}
trap stop_running INT TERM

echo "matrix: ${#NAMES[@]} interpreters, $JOBS at a time; logs in ${LOGS#$ROOT/}/"
matrix_start=$(date +%s)
rm -f "$LOGS"/*.bits
running=0
for i in "${!NAMES[@]}"; do
    rm -f "$LOGS/${NAMES[$i]}.status"
    if [ "$running" -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
    echo "  started ${NAMES[$i]}"
    run_one "${NAMES[$i]}" "${KINDS[$i]}" "${TARGETS[$i]}" &
    running=$((running + 1))
done
wait

# What each passing run said about itself, for the table.
summary() {
    local log="$1" line
    case "$2" in
        native) line="$(grep -E '^=* ?[0-9]+ (passed|failed|error).* in [0-9.]+s' "$log" | tail -n 1 | sed 's/=//g; s/^ *//; s/ *$//')" ;;
        wasm) line="" ;;
    esac
    local check
    check="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
    [ -n "$check" ] && line="${line:+$line; }selfcheck $check"
    echo "$line"
}

failed=0
echo
printf '%-13s %-8s %6s  %s\n' "interpreter" "result" "time" "details"
printf '%-13s %-8s %6s  %s\n' "-----------" "------" "----" "-------"
for i in "${!NAMES[@]}"; do
    name="${NAMES[$i]}"
    read -r result seconds < "$LOGS/$name.status" 2>/dev/null || { result=FAIL; seconds=0; }
    [ "$result" = PASS ] || failed=1
    printf '%-13s %-8s %5ss  %s\n' "$name" "$result" "$seconds" "$(summary "$LOGS/$name.log" "${KINDS[$i]}")"
done
echo "matrix wall time: $(( $(date +%s) - matrix_start ))s"

# Which results were bit-identical where (see tools/bitcheck.py): exact
# results must match on every interpreter, libm results within a libm family.
echo
python3 "$ROOT/tools/bitcheck.py" --compare "$LOGS" || failed=1

for i in "${!NAMES[@]}"; do
    name="${NAMES[$i]}"
    read -r result seconds < "$LOGS/$name.status" 2>/dev/null || result=FAIL
    if [ "$result" != PASS ]; then
        echo
        echo "===== $name ($result): last 150 lines of ${LOGS#$ROOT/}/$name.log"
        tail -n 150 "$LOGS/$name.log"
    fi
done
exit "$failed"
