"""Pre-hospital emergency network (院前急救网络) of the county cities.

A county's road network is stored compactly (node and edge lists as JSON, with a content hash) and
versioned: an edit makes a new RoadNetwork row, so travel-time matrices cached under the old hash are
never reused. A Scenario is a named, saved layout — stations and their ambulances — over one network;
copying a scenario copies its stations and ambulances. Hospitals and demand points belong to the county
(they do not move between scenarios). Every row carries `region` (the county) so core.access scopes it:
county officers see their own county, the city administrator and health department officers see all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmsSettings(models.Model):
    """Editable settings (speeds per road class, intervals, call rates, time-of-day profile, standards,
    costs) as overrides of the sourced defaults in `parameters.DEFAULTS`. `region` None: city-wide."""

    region = models.OneToOneField(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    values = models.JSONField(_("settings"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = _("EMS settings")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(region__isnull=True), name="one_citywide_ems_settings"
            )
        ]

    def __str__(self) -> str:
        return f"EMS settings {self.region.code if self.region else 'city'}"


class RoadNetwork(models.Model):
    """One version of a county's road graph. `nodes`: [[id, lon, lat], …]; `edges`:
    [[from, to, length_m, road_class, oneway], …]. Immutable once saved: edits add a version."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("Generated (synthetic)")
        CSV = "csv", _("CSV edge list")
        GEOJSON = "geojson", _("GeoJSON")
        OSM = "osm", _("OpenStreetMap")
        EDITED = "edited", _("Edited")

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    nodes = models.JSONField(_("nodes"), default=list)
    edges = models.JSONField(_("edges"), default=list)
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(_("content hash"), max_length=64, db_index=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "version"], name="unique_ems_network_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Scenario(models.Model):
    """A saved station layout over one road network: the county's baseline (is_baseline) or a variant
    (copy, manual edits, an applied optimisation result). Compared side by side on coverage, response
    and cost."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    network = models.ForeignKey(RoadNetwork, on_delete=models.PROTECT, related_name="scenarios")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_baseline = models.BooleanField(_("baseline (current network)"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "-is_baseline", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_ems_scenario_name"),
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(is_baseline=True), name="one_ems_baseline_per_county"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """An emergency station (急救站点) in a scenario: location, crews; ambulances hang off it."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="stations")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    urban = models.BooleanField(_("urban"), default=False)
    crews = models.PositiveSmallIntegerField(_("crews on duty"), default=1)
    hospital = models.ForeignKey(
        "Hospital", null=True, blank=True, on_delete=models.SET_NULL, related_name="stations"
    )

    scope_region_field = "region"

    class Meta:
        ordering = ["scenario_id", "code"]
        constraints = [models.UniqueConstraint(fields=["scenario", "code"], name="unique_ems_station_code")]

    def __str__(self) -> str:
        return self.name


class AmbulanceKind(models.TextChoices):
    BASIC = "basic", _("Basic (普通型)")
    ADVANCED = "advanced", _("Monitoring / advanced (监护型)")
    NEGATIVE_PRESSURE = "negative_pressure", _("Negative-pressure (负压)")


class Ambulance(models.Model):
    """One ambulance based at a station; negative-pressure ones count toward the ≥40% standard."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="ambulances")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AmbulanceKind.choices, default=AmbulanceKind.BASIC
    )

    scope_region_field = "region"

    class Meta:
        ordering = ["station_id", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def negative_pressure(self) -> bool:
        return self.kind == AmbulanceKind.NEGATIVE_PRESSURE


class Hospital(models.Model):
    """A receiving hospital (二级/三级) of the county, linked to the core organisation when registered."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=[(2, _("Level 2 (二级)")), (3, _("Level 3 (三级)"))]
    )
    has_emergency_department = models.BooleanField(_("emergency department"), default=True)
    is_receiving = models.BooleanField(_("receives ambulance patients"), default=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    is_synthetic = models.BooleanField(default=False)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="unique_ems_hospital_code")]

    def __str__(self) -> str:
        return self.name


class DemandPoint(models.Model):
    """Where calls come from: a township/street, a community or a grid cell, with its population and
    (optionally) its own dispatch rate per 1,000 residents a year (empty: the county setting)."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("Township / street")
        COMMUNITY = "community", _("Community")
        GRID = "grid", _("Grid cell")

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TOWNSHIP)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    population = models.PositiveIntegerField(_("population"))
    call_rate = models.FloatField(_("dispatches per 1,000 a year"), null=True, blank=True)
    urban = models.BooleanField(_("urban"), default=False)
    is_synthetic = models.BooleanField(default=False)

    scope_region_field = "region"

    class Meta:
        ordering = ["region__code", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="unique_ems_demand_code")]

    def __str__(self) -> str:
        return self.name


class TravelTimeCache(models.Model):
    """A travel-time matrix (minutes, float32 .npy bytes) from origins to destinations, keyed by the
    network's content hash plus the speeds and point sets. A new network version has a new hash, and
    saving a network deletes the entries of its county's older versions."""

    network = models.ForeignKey(RoadNetwork, on_delete=models.CASCADE, related_name="matrices")
    key = models.CharField(max_length=64, unique=True)
    network_hash = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField()
    cols = models.PositiveIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.network_hash[:10]} {self.rows}×{self.cols}"


class AnalysisRun(models.Model):
    """A stored optimisation or simulation result for a scenario (run as a background job)."""

    class Kind(models.TextChoices):
        OPTIMISE = "optimise", _("Optimisation")
        SIMULATE = "simulate", _("Simulation")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(_("parameters"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    job = models.ForeignKey("core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_region_field = "region"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.scenario}"
