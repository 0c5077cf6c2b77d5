"""Cadres (干部): careers, posts and the exchange (干部交流) between county cities, municipal departments and
urban districts. The pure planning engine lives in `cadres.planning` and imports nothing from Django."""
