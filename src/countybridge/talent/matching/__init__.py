"""Talent ↔ position matching engine (issue #3 item 2): pure Python, numpy, jieba and bm25s; no Django.

    index = MatchIndex.build(talents, positions, pairings=[("510185", "510116")])
    result = index.rank_talents(position, k=10, explain=True)
    for match in result: match.id, match.score, match.explanation

Hard requirements (degree, title, years, major or major family) exclude; the score then combines BM25
relevance of the Chinese texts with structured fit under configurable Weights, and each match explains
both. synthetic.py generates a labelled evaluation set.
"""

from .index import MatchIndex
from .majors import MAJOR_FAMILIES
from .model import Degree, MatchingInputError, Position, Talent, Title, Weights, parse_degree, parse_title
from .results import Component, Exclusion, Explanation, Match, RankResult, RequirementCheck, TermContribution

__all__ = [
    "MAJOR_FAMILIES",
    "Component",
    "Degree",
    "Exclusion",
    "Explanation",
    "Match",
    "MatchIndex",
    "MatchingInputError",
    "Position",
    "RankResult",
    "RequirementCheck",
    "Talent",
    "TermContribution",
    "Title",
    "Weights",
    "parse_degree",
    "parse_title",
]
