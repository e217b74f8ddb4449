"""What the apps above content may add to it (lib/hooks.py says how hooks work).

- ``data_loaders``: more reference data, loaded by ``load_ladder`` inside its one transaction, after
  content's own files. A loader reads its own files from ``data_dir``, counts what it wrote in the
  report and raises ``LadderDataError`` naming the file and the entry on bad data.
- ``roadmaps_including``: the roadmaps that include a credential, role or education path, for their
  pages. A plug-in returns objects with ``name`` and ``get_absolute_url()``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Model

from lib.hooks import Hook

if TYPE_CHECKING:
    from .loader import LoadReport

data_loaders: Hook[Callable[[Path, LoadReport], None]] = Hook("content.data_loaders")
roadmaps_including: Hook[Callable[[Model], list[Any]]] = Hook("content.roadmaps_including")
