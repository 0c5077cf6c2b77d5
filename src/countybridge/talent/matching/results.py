"""What a ranking returns: matches with their explanation, and (on request) the excluded candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

# Requirement codes with their labels, for pages and API errors.
REQUIREMENT_LABELS = {
    "degree": ("学历", "degree"),
    "title": ("职称", "professional title"),
    "years": ("工作年限", "years of experience"),
    "major": ("专业", "major"),
}


@dataclass(frozen=True, slots=True)
class RequirementCheck:
    """One hard requirement: what the position asks, what the candidate has, whether it passed."""

    code: str  # degree | title | years | major
    required: str
    actual: str
    passed: bool

    @property
    def label_zh(self) -> str:
        return REQUIREMENT_LABELS[self.code][0]

    @property
    def label_en(self) -> str:
        return REQUIREMENT_LABELS[self.code][1]


@dataclass(frozen=True, slots=True)
class TermContribution:
    """A query term found in the document and the BM25 score it added."""

    term: str
    bm25: float


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the score: its value in [0, 1], its (normalised) weight and weight × value."""

    name: str  # text | major | degree | title | experience | location | field | salary
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a candidate scored what it did. Components' contributions add up to the score."""

    requirements: tuple[RequirementCheck, ...]
    matched_terms: tuple[TermContribution, ...]
    text_bm25: float  # raw BM25 sum over the matched terms
    text_normalised: float  # text_bm25 / best eligible candidate's
    components: tuple[Component, ...]


@dataclass(frozen=True, slots=True)
class Match:
    id: object
    score: float
    explanation: Explanation | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A text-relevant candidate dropped by hard requirements, with the requirements it failed."""

    id: object
    failed: tuple[RequirementCheck, ...]
    text_bm25: float


@dataclass(frozen=True, slots=True)
class RankResult:
    """Top matches best first; counts of eligible and excluded candidates; excluded ones on request.

    Iterating over a result or taking its len() concerns the matches only.
    """

    matches: tuple[Match, ...] = ()
    eligible_count: int = 0  # passed every hard requirement (whatever their text relevance)
    excluded_count: int = 0  # failed at least one
    excluded_by_requirement: dict[str, int] = field(default_factory=dict)
    excluded: tuple[Exclusion, ...] = ()
    query_terms: tuple[str, ...] = ()

    def __iter__(self):
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    @property
    def ids(self) -> list:
        return [m.id for m in self.matches]
