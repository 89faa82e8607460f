"""The one error the stack raises: something did not come up, and why."""


class StackError(Exception):
    """A component could not be prepared or started.

    `reason` is a sentence a developer can act on (a port taken by another process, Java
    missing); `log_tail` is the end of the component's log when it has one.
    """

    def __init__(self, reason: str, *, log_tail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.log_tail = log_tail

    def __str__(self) -> str:
        if not self.log_tail:
            return self.reason
        return f"{self.reason}\n--- end of the log ---\n{self.log_tail}"
