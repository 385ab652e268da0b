"""Who may change which town's data. A town's staff change only their own town's rows; county
staff (COUNTY) change any town's. Checked by the store itself on every import, edit and undo, so a
page that forgot to hide a button still cannot change another town's data.

An Operator comes only from a way of recognising a person, each a constructor below: a sign-in on
the page (`signed_in`: OIDC, a staff passcode, or the form of an installation without one), the
account running a command on the server (`shell_account`), or the sample loader (`sample_data`).
The store refuses anything else (`require_operator`): a plain name grants nothing."""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from ..domain import labels
from ..domain.text import strip_invisible
from .scope import COUNTY


@dataclass(frozen=True)
class Operator:
    """A person changing data, the authority they act under (a town's name, or COUNTY), and how
    they were recognised (`identity`, e.g. "工作人员口令", "统一登录 a@b.cn", "服务器账号 root").
    The name is stored with every import and undo as typed, less invisible characters (U+202E …)."""
    name: str
    authority: str
    identity: str

    def __post_init__(self):
        object.__setattr__(self, "name", _visible(self.name))
        object.__setattr__(self, "identity", _visible(self.identity))

    @classmethod
    def signed_in(cls, name: str, authority: str, identity: str) -> Operator:
        """A person the page recognised (lakou_app.auth): `identity` says how."""
        return cls(name, authority, identity)

    @classmethod
    def shell_account(cls, town: str, name: str | None = None) -> Operator:
        """The account running a command on the server, acting for the town the command opens
        (anyone who can run it can write the database file anyway); `name`, when given, is the
        name recorded instead of the account's."""
        account = _os_account()
        return cls(_visible(name or "") or account, town, labels.IDENTITY_SHELL.format(account=account))

    @classmethod
    def sample_data(cls) -> Operator:
        """The sample loader: county staff, so each sample file goes to the town it names."""
        return cls(labels.IDENTITY_SAMPLE, COUNTY, labels.IDENTITY_SAMPLE)

    def describe(self) -> str:
        return "县级" if self.authority == COUNTY else self.authority

    def may_change(self, town: str) -> bool:
        """True when this person may change `town`'s data: their own town's, or any as county staff."""
        return self.authority in (COUNTY, town)


class NotPermitted(Exception):
    """The operator may not change this town's data; nothing was changed. The message is for the person."""


def require_operator(operator: object) -> Operator:
    """`operator` when it is an Operator with an identity; else TypeError (a programming error:
    every page and command passes the Operator its sign-in made)."""
    if not isinstance(operator, Operator) or not operator.identity:
        raise TypeError(f"operator must be an Operator made by a sign-in (Operator.signed_in, "
                        f"Operator.shell_account), not {operator!r}; nothing was stored")
    return operator


def authorise(operator: Operator, town: str) -> None:
    """Raises NotPermitted unless `operator` may change `town`'s data."""
    if not operator.may_change(town):
        raise NotPermitted(labels.NOT_PERMITTED.format(who=operator.name, authority=operator.authority, town=town))


def _visible(text: str) -> str:
    return strip_invisible(str(text)).strip()


def _os_account() -> str:
    """The operating-system account running this process."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment nor the password database
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
