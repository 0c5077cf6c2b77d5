"""Job kinds of the core app: the registry integrity check and a worker check for operators."""

from __future__ import annotations

import time

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .. import crypto
from ..models import Organisation, Person, Region, RegionLevel, Role
from .context import JobContext
from .integrity_checks import CountyTally, credit_code_problem, document_problem, summarise
from .registry import Param, register

CHUNK = 500


@register(
    "core.registry_integrity",
    title=_("Registry integrity check"),
    description=_(
        "Re-validates every organisation's credit code and every person's encrypted document "
        "(decrypt, check character, lookup hash, masked form) and counts problems per county."
    ),
    params=[
        Param("county", "county", label=_("County"), help=_("Empty: every county in your scope")),
        Param("include_people", "bool", label=_("Check people's documents"), default=True),
    ],
    roles={Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER},
    region_param="county",
    result_template="core/job_result_integrity.html",
)
def registry_integrity(job: JobContext, county: str | None = None, include_people: bool = True) -> dict:
    """Read-only: it writes nothing but its result, so cancelling at any point leaves no trace."""
    organisations = job.scope(Organisation.objects.all())
    people = job.scope(Person.objects.all()) if include_people else Person.objects.none()
    if county:
        organisations = organisations.filter(region__code=county)
        people = people.filter(region__code=county)
    names = dict(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name_zh"))
    tallies: dict[str, CountyTally] = {}

    def tally(code: str) -> CountyTally:
        if code not in tallies:
            tallies[code] = CountyTally(code, names.get(code, code))
        return tallies[code]

    job.progress(0, gettext_noop("Counting records"))
    org_total, person_total = organisations.count(), people.count()
    total = max(org_total + person_total, 1)
    done = 0

    job.progress(0, gettext_noop("Checking organisations' credit codes"))
    rows = organisations.order_by("pk").values_list("pk", "region__code", "credit_code")
    for pk, region_code, credit_code in rows.iterator(chunk_size=CHUNK):
        t = tally(region_code)
        t.organisations += 1
        if not credit_code:
            t.organisations_without_code += 1
        t.add("organisation", pk, credit_code_problem(credit_code))
        done += 1
        job.progress(100 * done / total)

    job.progress(100 * done / total, gettext_noop("Decrypting and checking people's documents"))
    rows = people.order_by("pk").values_list(
        "pk", "region__code", "id_type", "id_number_encrypted", "id_number_hash", "id_number_masked"
    )
    for pk, region_code, id_type, encrypted, stored_hash, masked in rows.iterator(chunk_size=CHUNK):
        t = tally(region_code)
        t.people += 1
        try:
            number = crypto.decrypt(encrypted)
        except ImproperlyConfigured:
            number = None
        matches = number is not None and crypto.keyed_hash(f"{id_type}:{number}") == stored_hash
        t.add(
            "person",
            pk,
            document_problem(id_type=id_type, number=number, stored_masked=masked, hash_matches=matches),
        )
        done += 1
        job.progress(100 * done / total)

    job.progress(100, gettext_noop("Summarising"))
    return {"county": county or "", "include_people": include_people, **summarise(tallies)}


@register(
    "core.worker_check",
    title=_("Worker check"),
    description=_(
        "Waits the given number of seconds while reporting progress: shows that a worker is running."
    ),
    params=[Param("seconds", "int", label=_("Seconds"), default=5, min=0, max=3600)],
    roles={Role.CITY_ADMIN},
)
def worker_check(job: JobContext, seconds: int = 5) -> dict:
    started = time.monotonic()
    job.progress(0, gettext_noop("Waiting"))
    while (elapsed := time.monotonic() - started) < seconds:
        job.progress(100 * elapsed / seconds)
        time.sleep(min(0.1, seconds - elapsed))
    return {"seconds": seconds}
