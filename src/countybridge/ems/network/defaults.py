"""Default free-flow speeds (km/h) per road class, from ../shared/facts/ems.md § 4 and § 6.

Two vocabularies are accepted:

- Chinese administrative classes (facts § 6 "speeds: expressway, national/provincial, county, township,
  village/mountain" = 90, 60–65, 40–50, 25–30, 15–25 km/h ◐/⚠) and Chengdu's urban peak network speed
  (26 km/h, facts S40 ◐);
- OpenStreetMap ``highway=*`` classes with the OSRM car-profile speeds (facts S37 ✅).

The table is editable: pass ``speeds={...}`` to the readers/builders (merged over these defaults) or load a
JSON object ``{"class": km_h, ...}`` with `load_speed_table`. A per-edge ``speed_kmh`` always wins over the
class default. ``ROAD_CLASS_LABELS`` gives 中文/English names for pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

DEFAULT_SPEEDS_KMH: dict[str, float] = {
    # Chinese administrative classes (facts § 6)
    "expressway": 90.0,  # 高速公路
    "national": 65.0,  # 国道
    "provincial": 60.0,  # 省道
    "county": 45.0,  # 县道
    "township": 30.0,  # 乡道
    "village": 20.0,  # 村道
    "mountain": 15.0,  # 山区道路 (low end of village/mountain 15–25 ⚠)
    "urban": 26.0,  # 城市道路, Chengdu peak network speed (S40 ◐)
    # OpenStreetMap highway=* (OSRM car profile, S37)
    "motorway": 90.0,
    "motorway_link": 45.0,
    "trunk": 85.0,
    "trunk_link": 40.0,
    "primary": 65.0,
    "primary_link": 30.0,
    "secondary": 55.0,
    "secondary_link": 25.0,
    "tertiary": 40.0,
    "tertiary_link": 20.0,
    "unclassified": 25.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
    "road": 25.0,
}

ROAD_CLASS_LABELS: dict[str, tuple[str, str]] = {
    "expressway": ("高速公路", "Expressway"),
    "national": ("国道", "National road"),
    "provincial": ("省道", "Provincial road"),
    "county": ("县道", "County road"),
    "township": ("乡道", "Township road"),
    "village": ("村道", "Village road"),
    "mountain": ("山区道路", "Mountain road"),
    "urban": ("城市道路", "Urban street"),
    "motorway": ("高速公路 (OSM motorway)", "Motorway"),
    "trunk": ("干线公路 (OSM trunk)", "Trunk road"),
    "primary": ("一级道路 (OSM primary)", "Primary road"),
    "secondary": ("二级道路 (OSM secondary)", "Secondary road"),
    "tertiary": ("三级道路 (OSM tertiary)", "Tertiary road"),
    "unclassified": ("等外道路 (OSM unclassified)", "Unclassified road"),
    "residential": ("居住区道路 (OSM residential)", "Residential street"),
}

# Straight-line → road distance (facts § 4, S41 ✅); used only to estimate lengths from coordinates when a
# caller asks for it (the synthetic generator uses its own per-terrain factors).
DETOUR_FACTOR = 1.6


def speed_table(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Defaults merged with ``overrides`` (class names are case-insensitive, stored lower-case)."""
    table = dict(DEFAULT_SPEEDS_KMH)
    for name, value in (overrides or {}).items():
        table[str(name).strip().lower()] = float(value)
    return table


def load_speed_table(path: str | Path) -> dict[str, float]:
    """Read a JSON object ``{"class": km_h}`` and merge it over the defaults."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError("speed table JSON must be an object {road_class: km_h}")
    return speed_table(data)
