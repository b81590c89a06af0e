#!/usr/bin/env bash
# CI job: the example harnesses of examples/ against the vectors, as a porter runs them.
#
#   JavaScript  examples/js/harness.mjs (Node, no packages, float64, the JSON vectors)
#   C           examples/c/harness.c    (C99, the standard library, float, the line form)
#
# Each writes results for relu, sigmoid, softmax and dense; `python -m nnref check` must
# pass them with the harness's own allow-list (examples/*/allowlist.json).  Then the
# JavaScript harness runs with its softmax broken (--broken softmax-no-shift): check must
# fail, on the cases where exp overflows or underflows unshifted and on no others.
# gcc is installed from the system's packages if there is no C compiler.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    echo "installing gcc"
    export DEBIAN_FRONTEND=noninteractive
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq gcc >/dev/null || exit 1
fi
CC="$(command -v cc || command -v gcc)"
node --version && "$CC" --version | head -n 1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0

python3 -m nnref vectors --out "$work/vectors" >/dev/null || exit 1
python3 -m nnref vectors --format lines --out "$work/lines" >/dev/null || exit 1

echo "--- JavaScript: node examples/js/harness.mjs (float64, JSON)"
if node examples/js/harness.mjs "$work/vectors" "$work/js"; then
    python3 -m nnref check --allowlist examples/js/allowlist.json --ops relu,sigmoid,softmax,dense \
        --dtype float64 "$work/vectors" "$work/js" || { echo "FAILED: the JavaScript harness"; status=1; }
else
    echo "FAILED: the JavaScript harness did not run"; status=1
fi

echo "--- C: cc -std=c99 -O2 examples/c/harness.c -lm (float32, lines)"
mkdir -p "$work/c"
if "$CC" -std=c99 -O2 -Wall -Wextra -pedantic -o "$work/harness" examples/c/harness.c -lm \
        && "$work/harness" "$work/lines" "$work/c"; then
    python3 -m nnref check --allowlist examples/c/allowlist.json --ops relu,sigmoid,softmax,dense \
        --dtype float32 "$work/lines" "$work/c" || { echo "FAILED: the C harness"; status=1; }
else
    echo "FAILED: the C harness did not build or run"; status=1
fi

echo "--- a broken harness must fail: node examples/js/harness.mjs --broken softmax-no-shift"
node examples/js/harness.mjs --broken softmax-no-shift "$work/vectors" "$work/broken" >/dev/null || status=1
if python3 -m nnref check --allowlist examples/js/allowlist.json --ops relu,sigmoid,softmax,dense \
        --dtype float64 "$work/vectors" "$work/broken" >"$work/broken.txt"; then
    cat "$work/broken.txt"
    echo "FAILED: check passed a softmax without the max shift"; status=1
else
    # It must fail where exp(x) overflows or underflows without the shift, nowhere else.
    python3 - "$work/vectors" "$work/broken" <<'EOF' || status=1
import sys
from nnref import conformance
report = conformance.check_files(sys.argv[1], sys.argv[2], dtype="float64", ops=["softmax"])
failed = dict((f.tc_id, f.flags) for f in report.failures)
exposing = {"naive-exp-overflow", "exp-underflow", "large-magnitude", "posinf-in-row"}
overflow = [c.tc_id for c in conformance.cases("softmax") if "naive-exp-overflow" in c.flags]
wrong = sorted(t for t, flags in failed.items() if not exposing & set(flags))
missed = sorted(set(overflow) - set(failed))
print("check fails the unshifted softmax on tcIds %s" % " ".join(str(t) for t in sorted(failed)))
if wrong or missed or not failed:
    print("FAILED: failures without an overflow flag: %s; naive-exp-overflow cases passed: %s" % (wrong, missed))
    sys.exit(1)
EOF
fi

exit "$status"
