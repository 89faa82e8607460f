from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles of a merchant's staff, each allowed what the one below it is, and more."""

    VIEWER = "VIEWER"
    MANAGER = "MANAGER"
    OWNER = "OWNER"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def allows(self, required: "Role") -> bool:
        return self.rank >= required.rank


_RANKS = {Role.VIEWER: 0, Role.MANAGER: 1, Role.OWNER: 2}


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified caller: a member of staff (`sub`) of one merchant account (`tenant`)."""

    subject: str
    tenant: str
    role: Role
