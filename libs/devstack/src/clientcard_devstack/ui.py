"""The launcher's progress display: one line per component, updated as it comes up."""

import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

from rich.console import Console, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

_ICONS = {"done": "[green]✔[/]", "failed": "[red]✘[/]", "skipped": "[dim]-[/]", "pending": "·"}


@dataclass(slots=True)
class _Line:
    state: str = "pending"
    message: str = "waiting"
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None


class LiveReporter:
    """Shows every component's state; on a terminal as a live table, else line by line."""

    def __init__(self, console: Console, components: list[str]) -> None:
        self._console = console
        self._lines = {name: _Line() for name in components}
        self._failures: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._live: Live | None = None

    def __enter__(self) -> "LiveReporter":
        if self._console.is_terminal:
            self._live = Live(self, console=self._console, refresh_per_second=8, transient=False)
            self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.__exit__(exc_type, exc, traceback)
        for name, message in self._failures:
            self._console.print(Panel(Text(message), title=f"{name} did not come up", style="red"))

    def step(self, component: str, message: str) -> None:
        self._set(component, "working", message)

    def done(self, component: str, message: str) -> None:
        self._set(component, "done", message)

    def failed(self, component: str, message: str) -> None:
        with self._lock:
            self._failures.append((component, message))
        first_line = message.splitlines()[0] if message else "failed"
        # Errors name their component for other readers (tests); the table already does.
        self._set(component, "failed", first_line.removeprefix(f"{component}: "))

    def skipped(self, component: str, message: str) -> None:
        self._set(component, "skipped", message)

    def _set(self, component: str, state: str, message: str) -> None:
        with self._lock:
            line = self._lines.setdefault(component, _Line())
            if line.state == "pending":
                line.started = time.monotonic()
            line.state, line.message = state, message
            if state in ("done", "failed", "skipped"):
                line.finished = time.monotonic()
        if self._live is None:
            icon = _ICONS.get(state, "…")
            self._console.print(f"{icon} [bold]{component}[/]: {message}", highlight=False)

    def __rich__(self) -> RenderableType:
        table = Table.grid(padding=(0, 2))
        with self._lock:
            for name, line in self._lines.items():
                icon: RenderableType = (
                    Spinner("dots", style="cyan")
                    if line.state == "working"
                    else Text.from_markup(_ICONS[line.state])
                )
                elapsed = (line.finished or time.monotonic()) - line.started
                shown = "" if line.state in ("pending", "skipped") else f"{elapsed:5.1f}s"
                table.add_row(icon, Text(name, style="bold"), Text(line.message), shown)
        return table
