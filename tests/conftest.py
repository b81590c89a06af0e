"""Shared test settings: hypothesis runs derandomized (reproducible) and
without deadlines, since CI machines are small and noisy."""

import os

from hypothesis import settings

settings.register_profile("nnref", deadline=None, derandomize=True, max_examples=100)
settings.register_profile("nnref-dev", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("NNREF_HYPOTHESIS_PROFILE", "nnref"))

# tests/peers/ checks nnref against real NumPy, PyTorch and JAX objects; the
# default suite needs only pytest and hypothesis, so it leaves that folder out.
# Run it where the libraries are installed: `python -m pytest tests/peers`
# (a folder named on the command line is still collected).
collect_ignore = ["peers"]
