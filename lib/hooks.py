"""Extension points: how a lower app lets the apps above it add to what it does, without importing them.

The apps depend one way (README, "How the code is laid out"). When a lower app must include what a
higher one knows — the dashboard showing a school's target dates, the data export gathering CEUs —
the lower app declares a hook in its ``hooks.py``, typed with the signature its plug-ins must have,
and calls every plug-in where it needs them. The higher app registers its function in its
``AppConfig.ready()``. The registries are filled once at start-up and only read afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.template.loader import render_to_string

F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[F]):
    """Any number of plug-ins, called in the order they registered."""

    def __init__(self, name: str):
        self.name = name
        self._plugins: list[F] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._plugins)} plug-in(s)>"

    def register(self, plugin: F) -> F:
        """Add ``plugin`` (once, however often ``ready()`` runs); returns it, so it also decorates."""
        if plugin not in self._plugins:
            self._plugins.append(plugin)
        return plugin

    def __iter__(self) -> Iterator[F]:
        return iter(tuple(self._plugins))

    def __len__(self) -> int:
        return len(self._plugins)

    @contextmanager
    def plugged(self, plugin: F) -> Iterator[F]:
        """For tests: ``plugin`` takes part only inside the ``with`` block."""
        added = plugin not in self._plugins
        self.register(plugin)
        try:
            yield plugin
        finally:
            if added:
                self._plugins.remove(plugin)


class Registry(Generic[F]):
    """One plug-in per key (e.g. the email of each kind of reminder)."""

    def __init__(self, name: str):
        self.name = name
        self._plugins: dict[str, F] = {}

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._plugins) or 'empty'}>"

    def register(self, key: str, plugin: F) -> F:
        known = self._plugins.get(key)
        if known is not None and known is not plugin:
            raise ValueError(f"{self.name}: {key!r} already has a plug-in ({known.__qualname__}).")
        self._plugins[key] = plugin
        return plugin

    def get(self, key: str) -> F:
        try:
            return self._plugins[key]
        except KeyError:
            raise LookupError(f"{self.name}: no plug-in for {key!r}; its app registers one in ready().") from None

    @contextmanager
    def plugged(self, key: str, plugin: F) -> Iterator[F]:
        previous = self._plugins.get(key)
        self._plugins[key] = plugin
        try:
            yield plugin
        finally:
            if previous is None:
                del self._plugins[key]
            else:
                self._plugins[key] = previous


@dataclass(frozen=True)
class Section:
    """A part of a page that another app draws: its template and what the template needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)

    def render(self, request) -> str:
        return render_to_string(self.template, self.context, request=request)
