"""Shared test settings: hypothesis runs derandomized (reproducible), without
deadlines and without its "data generation is too slow" check, since CI
machines are small and noisy (a loaded machine trips both; neither says
anything about nnref)."""

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow]
settings.register_profile("nnref", deadline=None, derandomize=True, max_examples=100,
                          suppress_health_check=_QUIET)
settings.register_profile("nnref-dev", deadline=None, max_examples=300, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("NNREF_HYPOTHESIS_PROFILE", "nnref"))

# tests/peers/ checks nnref against real NumPy, PyTorch and JAX objects; the
# default suite needs only pytest and hypothesis, so it leaves that folder out.
# Run it where the libraries are installed: `python -m pytest tests/peers`
# (a folder named on the command line is still collected).
collect_ignore = ["peers"]
