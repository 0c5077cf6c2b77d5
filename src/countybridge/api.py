"""The JSON API under /api/: one router per app, consistent error bodies, OpenAPI docs at /api/docs."""

from countybridge.core.api.setup import build_api

api = build_api()
