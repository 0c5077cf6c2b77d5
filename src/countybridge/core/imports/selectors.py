"""Reading import batches: a batch is visible to the user who uploaded it, and only to them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .. import access
from ..models import ImportBatch


def batch_list(*, user, limit: int = 10) -> QuerySet:
    """The user's own recent batches (registry roles only)."""
    access.require_registry_access(user)
    return ImportBatch.objects.filter(actor_username=user.get_username()).defer("content_encrypted")[:limit]


def batch_get(*, user, pk) -> ImportBatch:
    """One of the user's own batches; anyone else's looks missing (404), so batch ids cannot be probed."""
    access.require_registry_access(user)
    batch = ImportBatch.objects.filter(pk=pk, actor_username=user.get_username()).first()
    if batch is None:
        raise Http404("no such import batch")
    return batch
