"""People with identity documents; the number is encrypted at rest and found by keyed hash."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..identifiers import ID_TYPES


class Person(models.Model):
    """A resident known to the platform (patient, talent, pupil, cadre …): sensitive personal information.

    Legal basis (PIPL art. 13(3) statutory duty by default) is recorded per data set.
    """

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    id_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=[(k, v[0]) for k, v in ID_TYPES.items()],
        default="resident_id",
    )
    id_number_encrypted = models.TextField(_("encrypted document number"))
    id_number_hash = models.CharField(max_length=64, db_index=True)
    id_number_masked = models.CharField(_("document number (masked)"), max_length=24)
    name = models.CharField(_("name"), max_length=64)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="people", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="township_people"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("registering institution"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=40, default="PIPL 13(3)")
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number_hash"], name="unique_person_document"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"
