"""Users with one role and its scope (region, institution or domain); API tokens for machine clients."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    COUNTY_OFFICER = "county_officer", _("County officer")
    INSTITUTION_STAFF = "institution_staff", _("Institution staff")
    AUDITOR = "auditor", _("Auditor")
    PUBLIC = "public", _("Public user")


class Domain(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation department")
    HR = "hr", _("Human resources")
    HEALTH = "health", _("Health commission")
    CDC = "cdc", _("Centre for disease control")
    EDUCATION = "education", _("Education bureau")


class User(AbstractUser):
    """A platform user; `role` with `region` / `organisation` / `domain` defines what it may see."""

    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.PUBLIC)
    region = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("county (county officers)"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("institution (institution staff)"),
    )
    domain = models.CharField(
        _("domain (department officers)"), max_length=16, choices=Domain.choices, blank=True
    )
    person = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("own person record (public users)"),
    )

    class Meta:
        verbose_name = _("user")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="county_officer") | models.Q(region__isnull=False),
                name="county_officer_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="institution_staff") | models.Q(organisation__isnull=False),
                name="institution_staff_has_organisation",
            ),
        ]


class APIToken(models.Model):
    """A token for a machine client (hospital or clinic system), bound to one institution.

    Only a SHA-256 of the secret is stored; the secret is shown once, when issued.
    """

    name = models.CharField(_("name"), max_length=80)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="api_tokens")
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> tuple[str, str]:
        prefix = secrets.token_hex(4)
        return prefix, f"cb_{prefix}_{secrets.token_urlsafe(32)}"
