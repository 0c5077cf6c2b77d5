"""Surveillance models, one module per area: the disease catalogue, case reports, signals and response."""
