"""How long-running steps tell what they are doing, without knowing who is listening."""

from collections.abc import Callable

# (component, message): the launcher shows it in its progress display; tests ignore it.
Progress = Callable[[str, str], None]


def _ignore(component: str, message: str) -> None:
    del component, message


NO_PROGRESS: Progress = _ignore
