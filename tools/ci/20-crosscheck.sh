#!/usr/bin/env bash
# CI job: cross-check NumPy, PyTorch (the CPU build), the ONNX reference
# evaluator, ONNX Runtime (CPU) and JAX (CPU) against nnref's conformance
# vectors, in every dtype each of them computes in; then the tests that need
# those libraries (tests/peers/).
#
# A separate Python 3.11 virtual environment (never the test environment, so
# that nnref's own tests stay dependency-free) gets numpy, torch==2.13.0,
# onnx, onnxruntime, jax, jaxlib and ml_dtypes, plus pytest and hypothesis
# for tests/peers.  torch 2.13.0 is pinned because it is the CPU build for
# Python 3.11; other versions pull the multi-GB CUDA build.  Then, from the
# checkout (not installed), `python -m nnref crosscheck LIB --dtype DTYPE`
# for each pair below: it fails on any difference that
# nnref/conformance/allowlist.json does not list for that library and dtype.
#
#   float64                     every library (JAX with jax_enable_x64)
#   float32, float16            every library
#   bfloat16                    PyTorch, JAX and the ONNX reference (NumPy has
#                               no bfloat16, ONNX Runtime's CPU provider no
#                               bfloat16 kernels for these operators)
#
# Each run covers every operation the adapter has: for torch and jax that
# includes the four backward passes (relu_backward, sigmoid_backward,
# softmax_backward, dense_backward) through torch.autograd.grad and jax.vjp,
# in every dtype of the pairs below, and for numpy, torch and jax the four losses
# (categorical_crossentropy and its backward, softmax_crossentropy_backward,
# accuracy).
#
# The outcomes are recorded in docs/conformance.md.  The job takes about 3.5
# minutes on two cores: about 1 to install, 1.5 for the 18 runs (JAX's, 12-16 s
# each, are the slowest), 15 s for tests/peers, 0.5 to delete the venv.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

PAIRS="numpy:float64 numpy:float32 numpy:float16
torch:float64 torch:float32 torch:float16 torch:bfloat16
onnx:float64 onnx:float32 onnx:float16 onnx:bfloat16
onnxruntime:float64 onnxruntime:float32 onnxruntime:float16
jax:float64 jax:float32 jax:float16 jax:bfloat16"

if command -v pyenv >/dev/null 2>&1 && [ -x "$(pyenv root)/versions/3.11.7/bin/python" ]; then
    PYTHON="$(pyenv root)/versions/3.11.7/bin/python"
else
    PYTHON="$(command -v python3.11)"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)

echo "--- installing the libraries into their own venv"
"$PYTHON" -m venv "$WORK/venv" || exit 1
"$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check \
    numpy torch==2.13.0 onnx onnxruntime jax jaxlib ml_dtypes pytest hypothesis || exit 1
echo "installed in $(( $(date +%s) - start )) s"

status=0
for pair in $PAIRS; do
    library="${pair%%:*}"
    dtype="${pair#*:}"
    echo "--- python -m nnref crosscheck $library --dtype $dtype"
    began=$(date +%s)
    # RuntimeWarnings (overflow in exp, 0/0) are expected: the cases are built to provoke them.
    if ! "$WORK/venv/bin/python" -W ignore::RuntimeWarning -m nnref crosscheck "$library" --dtype "$dtype"; then
        echo "crosscheck $library --dtype $dtype: differences outside the allow-list"
        status=1
    fi
    echo "($library $dtype: $(( $(date +%s) - began )) s)"
done

echo "--- tests/peers (the tests that need the libraries)"
"$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider tests/peers || status=1

echo "crosscheck job: $(( $(date +%s) - start )) s before removing the venv"
exit "$status"
