"""Float helpers of the theory package: exponentials that overflow to inf, not to an error."""

from __future__ import annotations

import math
import sys

__all__ = ["LOG_MAX", "exp_or_inf"]

#: ln of the largest float: exp of more is not representable.
LOG_MAX = math.log(sys.float_info.max)


def exp_or_inf(x: float) -> float:
    """e^x, inf above the largest float (where :func:`math.exp` raises), 0 far below."""
    return math.inf if x > LOG_MAX else math.exp(x)
