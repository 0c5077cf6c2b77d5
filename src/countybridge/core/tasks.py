"""Background job kinds of the core app (found by `jobs.registry.discover`, which imports every
app's `tasks` module)."""

from .jobs import integrity  # noqa: F401  (registers core.registry_integrity, core.worker_check)
