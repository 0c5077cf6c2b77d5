"""The rule sets shipped with the code: the municipal D–F degree rules and two illustrative county sets.

The county sets (简阳 510185, 大邑 510129) are demo data written against the catalogue items, not official county
documents; the Django layer stores each county's own set as JSON and passes it to `evaluate`.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from .catalogue import DATA_DIR, Catalogue, load_catalogue
from .rules import RuleSet, parse_ruleset


@cache
def _raw(version: str) -> dict[str, Any]:
    path = DATA_DIR / f"rules_{version}.json"
    if not path.exists():
        raise ValueError(f"没有{version}版规则集 / No rule sets for catalogue version {version}")
    return json.loads(path.read_text(encoding="utf-8"))


def shipped_ruleset_data(version: str = "2023") -> dict[str, Any]:
    """A deep copy of the shipped JSON (municipal + counties), e.g. to seed the database."""
    return json.loads(json.dumps(_raw(version)))


def load_municipal_ruleset(catalogue: Catalogue | None = None) -> RuleSet:
    catalogue = catalogue or load_catalogue()
    return parse_ruleset(_raw(catalogue.version)["municipal"], catalogue)


def load_county_rulesets(catalogue: Catalogue | None = None) -> dict[str, RuleSet]:
    """County code → parsed rule set."""
    catalogue = catalogue or load_catalogue()
    return {row["county"]: parse_ruleset(row, catalogue) for row in _raw(catalogue.version)["counties"]}
