"""Administrative regions (GB/T 2260 counties, NBS township codes), functional zones and pairings."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County-level division")
    TOWNSHIP = "township", _("Township / street")


class Region(models.Model):
    """A division as it stood over [valid_from, valid_to); old codes point to their successor.

    Codes change (简阳 512081 → 510185), so figures and ID numbers resolve through `successor`.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, blank=True, help_text="区/县/县级市/街道/镇")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_county_city = models.BooleanField(_("county city (县市新城)"), default=False)
    population_2020 = models.PositiveIntegerField(_("2020 census population"), null=True, blank=True)
    population_is_synthetic = models.BooleanField(_("population is a synthetic estimate"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors"
    )
    lon = models.FloatField(_("longitude (GCJ-02)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (GCJ-02)"), null=True, blank=True)
    coordinates_are_synthetic = models.BooleanField(_("coordinates are synthetic (demo)"), default=False)
    terrain = models.CharField(_("terrain"), max_length=32, blank=True)
    map_name = models.CharField(_("name in the map outlines"), max_length=32, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "is_county_city"])]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on < self.valid_to
        )

    @property
    def county_id_for_scope(self) -> int | None:
        """The county-level division that scopes records attached to this region."""
        if self.level == RegionLevel.COUNTY:
            return self.pk
        if self.level == RegionLevel.TOWNSHIP:
            return self.parent_id
        return None


class FunctionalZone(models.Model):
    """A functional zone (东部新区, 高新区, 天府新区): a tag over divisions, not a division itself."""

    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96)
    regions = models.ManyToManyField(Region, related_name="zones", blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("functional zone")

    def __str__(self) -> str:
        return self.name_zh


class Pairing(models.Model):
    """A pairing (结对) of a county city with a central district; unknown ones are labelled illustrative."""

    class Status(models.TextChoices):
        KNOWN = "known", _("Known (sourced)")
        ILLUSTRATIVE = "illustrative", _("Illustrative (demo)")

    county_city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pairings")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="paired_county_cities")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("pairing")
        constraints = [
            models.UniqueConstraint(fields=["county_city", "district"], name="unique_pairing"),
        ]

    def __str__(self) -> str:
        return f"{self.county_city.name_zh} ↔ {self.district.name_zh}"
