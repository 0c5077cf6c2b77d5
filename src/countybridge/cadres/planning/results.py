"""What the planner and the checker hand back: moves with their explanations, must-move outcomes, the
checker's report and the solver's figures (objective, best bound, gap, time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .eligibility import Finding


@dataclass(frozen=True)
class Move:
    """One cadre to one post. A manual plan may give only the two ids; the planner fills in the rest."""

    cadre_id: str
    to_position_id: str
    from_position_id: str = ""
    kind: str = ""  # "lateral" or "promotion"
    fit: int = 0
    components: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    binding: tuple[Finding, ...] = ()  # rules that required or limited this move
    checked: tuple[Finding, ...] = ()  # rules evaluated on this move and passed, with the values used

    def to_dict(self) -> dict[str, Any]:
        return {
            "cadre_id": self.cadre_id,
            "from_position_id": self.from_position_id,
            "to_position_id": self.to_position_id,
            "kind": self.kind,
            "fit": self.fit,
            "components": dict(self.components),
            "binding": [f.to_dict() for f in self.binding],
            "checked": [f.to_dict() for f in self.checked],
        }


@dataclass(frozen=True)
class MustMove:
    """A cadre the rules require to move, whether the plan moves them, and if not, why not."""

    cadre_id: str
    reasons: tuple[Finding, ...]
    moved: bool
    why_not: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    """`violations`: rules the plan itself breaks. `unmet`: obligations left open (a must-move cadre not
    moved, relatives already serving together and not separated), each with the rule and article."""

    violations: tuple[Finding, ...] = ()
    unmet: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class PlanResult:
    """A proposed exchange plan and how it was reached. `objective` is the total fit of the moves;
    `best_bound` the lower of CP-SAT's bound and the LP relaxation's, on the model solved;
    `gap` = (best_bound - objective) / max(1, objective), 0 when optimality is proved."""

    as_of: dt.date
    status: str
    moves: tuple[Move, ...]
    objective: int
    best_bound: float
    gap: float
    solve_seconds: float
    total_seconds: float
    must_move: tuple[MustMove, ...]
    check: CheckReport
    eligible_pairs: int  # pairs no rule excludes
    model_pairs: int  # pairs in the model (fewer than eligible when a large round was pruned)
    excluded_counts: Mapping[str, int]  # first excluding rule -> number of (cadre, open post) pairs
    blocked_cadres: Mapping[str, int]  # rule keeping a cadre out of the round -> number of cadres
    notes: tuple[Finding, ...] = ()
    exclusions: Mapping[tuple[str, str], tuple[Finding, ...]] | None = None  # only when asked for
    must_move_status: str = ""  # first phase: as many must-move cadres placed as possible
    proof: str = ""  # what proved optimality: "cp-sat" or "lp" (the LP bound reached); "" if not proved
    unpruned_bound: float | None = None  # LP bound on the whole round when it was pruned and it was asked for

    def move_of(self, cadre_id: str) -> Move | None:
        return next((m for m in self.moves if m.cadre_id == cadre_id), None)
