#!/usr/bin/env bash
# CI job: cross-check NumPy, PyTorch (the CPU build) and the ONNX reference
# evaluator against nnref's conformance vectors.
#
# A separate Python 3.11 virtual environment (never the test environment, so
# that nnref's own tests stay dependency-free) gets numpy, torch==2.13.0 and
# onnx.  torch 2.13.0 is pinned because it is the CPU build for Python 3.11;
# other versions pull the multi-GB CUDA build.  Then, from the checkout (not
# installed), `python -m nnref crosscheck LIB` for each library: it fails on
# any difference that nnref/conformance/allowlist.json does not list.  The
# outcomes are recorded in docs/conformance.md.
set -uo pipefail
cd "$(dirname "$0")/../.."

if command -v pyenv >/dev/null 2>&1 && [ -x "$(pyenv root)/versions/3.11.7/bin/python" ]; then
    PYTHON="$(pyenv root)/versions/3.11.7/bin/python"
else
    PYTHON="$(command -v python3.11)"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$PYTHON" -m venv "$WORK/venv" || exit 1
"$WORK/venv/bin/python" -m pip install -q numpy torch==2.13.0 onnx || exit 1

status=0
for library in numpy torch onnx; do
    echo "--- python -m nnref crosscheck $library"
    # RuntimeWarnings (overflow in exp, 0/0) are expected: the cases are built to provoke them.
    if ! "$WORK/venv/bin/python" -W ignore::RuntimeWarning -m nnref crosscheck "$library"; then
        echo "crosscheck $library: differences outside the allow-list"
        status=1
    fi
done
exit "$status"
