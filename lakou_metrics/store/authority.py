"""Who may change which town's data. A town's staff change only their own town's rows; county
staff (COUNTY) change any town's. Checked by the store itself on every import, edit and undo, so a
page that forgot to hide a button still cannot change another town's data."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain import labels
from ..domain.periods import strip_invisible
from .scope import COUNTY


@dataclass(frozen=True)
class Operator:
    """A person changing data, and the authority they act under: a town's name, or COUNTY. The
    name is stored with every import and undo as typed, less invisible characters (U+202E …)."""
    name: str
    authority: str

    def __post_init__(self):
        object.__setattr__(self, "name", strip_invisible(str(self.name)).strip())

    def describe(self) -> str:
        return "县级" if self.authority == COUNTY else self.authority

    def may_change(self, town: str) -> bool:
        """True when this person may change `town`'s data: their own town's, or any as county staff."""
        return self.authority in (COUNTY, town)


class NotPermitted(Exception):
    """The operator may not change this town's data; nothing was changed. The message is for the person."""


def as_operator(who: str | Operator | None, town: str, default_name: str) -> Operator:
    """A plain name acts as staff of the town being changed (the CLI on the server, the page of a
    town's own installation); an Operator keeps its own authority."""
    if isinstance(who, Operator):
        return who
    return Operator(strip_invisible(str(who or "")).strip() or default_name, town)


def authorise(operator: Operator, town: str) -> None:
    """Raises NotPermitted unless `operator` may change `town`'s data."""
    if not operator.may_change(town):
        raise NotPermitted(labels.NOT_PERMITTED.format(who=operator.name, authority=operator.authority, town=town))
