"""Surveillance models, one module per area: the disease catalogue, case reports, signals and response."""

from .catalogue import (  # noqa: F401
    CatalogueRelease,
    DetectionMethod,
    Disease,
    DiseaseClassification,
    DiseaseKind,
    LegalClass,
)
from .reports import (  # noqa: F401
    AgeUnit,
    CaseClassification,
    CaseReport,
    CaseReportVersion,
    Chronicity,
    PatientOrigin,
    PopulationGroup,
)
from .signals import Signal, SignalEvent, SignalFrequency, SignalLevel, SignalStatus, SpatialStatus  # noqa: F401
