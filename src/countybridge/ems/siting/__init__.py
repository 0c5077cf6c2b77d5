"""Ambulance station siting models (pure: numpy/scipy + HiGHS through highspy; no Django).

p_median, maximal_covering (MCLP), set_covering (LSCP), p_center and max_expected_covering (MEXCLP), each
returning a SitingResult (sites as column indices, objective, proven gap, seconds, status). Instances:
orlib.read_orlib (Beasley's pmed files) and csvinstance.read_csv (documented in that module).
"""

from ._common import SitingInputError, SitingResult
from .coverage import max_expected_covering, maximal_covering, set_covering
from .pcenter import p_center
from .pmedian import p_median

MODELS = ("pmedian", "mclp", "lscp", "pcenter", "mexclp")

__all__ = [
    "MODELS",
    "SitingInputError",
    "SitingResult",
    "max_expected_covering",
    "maximal_covering",
    "p_center",
    "p_median",
    "set_covering",
]
