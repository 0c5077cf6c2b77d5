"""A rich progress bar for long commands (`countybridge jobs run`, imports): one bar, a stage text, the
elapsed time. `update(percent, stage)` matches JobContext's `on_progress` callback."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)


class ProgressDisplay:
    def __init__(self, title: str, *, console: Console | None = None, translate=None):
        self.title = title
        self.console = console or Console(stderr=True)
        self.translate = translate or (lambda text: text)
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[stage]}"),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._task = None
        self._stage = ""

    def __enter__(self) -> ProgressDisplay:
        self._progress.start()
        self._task = self._progress.add_task(self.title, total=100, stage="")
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def update(self, percent: float, stage: str = "") -> None:
        if stage != self._stage:
            self._stage = stage
            self._progress.update(self._task, completed=percent, stage=self.translate(stage) if stage else "")
        else:
            self._progress.update(self._task, completed=percent)
