"""Pin BLAS and OpenMP thread pools to one thread for `survey` commands (cheap: no numpy import here).

Environment variables reach the libraries loaded later (numpy, scikit-learn are imported inside commands);
threadpoolctl limits any pool already loaded. A variable the user set explicitly is left as it is.
"""

from __future__ import annotations

import os
import sys

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def pin_threads() -> None:
    """One BLAS/OpenMP thread, unless the environment says otherwise."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    if "numpy" in sys.modules or "sklearn" in sys.modules:
        from threadpoolctl import threadpool_limits

        value = os.environ["OMP_NUM_THREADS"]
        threadpool_limits(limits=int(value) if value.isdigit() and int(value) > 0 else 1)
