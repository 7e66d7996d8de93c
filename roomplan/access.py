"""Who may do what: the four roles of a shared roomplan, and the identity an action is done by.

Roles come from the identity provider's group claim (mapped in the deployment's settings) or
from the library's role table; :func:`require` is the one place an action's role is checked,
and the library calls it before it writes, so a hidden button is never the only guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from roomplan.i18n import DEFAULT_LANG, t


class Role(StrEnum):
    VIEWER = "viewer"  # read plans, run scenarios
    PLANNER = "planner"  # edit plans, save versions, recommendations, the catalogue
    FACILITIES = "facilities"  # upload plans, adopt versions
    SECURITY = "security"  # export reports, approve a report


ALL_ROLES = frozenset(Role)

# action -> the roles that may do it
PERMISSIONS: dict[str, frozenset[Role]] = {
    "read": ALL_ROLES,
    "scenario": ALL_ROLES,
    "edit": frozenset({Role.PLANNER, Role.FACILITIES}),
    "save_version": frozenset({Role.PLANNER, Role.FACILITIES}),
    "recommend": frozenset({Role.PLANNER}),
    "catalogue": frozenset({Role.PLANNER}),
    "upload": frozenset({Role.FACILITIES}),
    "adopt": frozenset({Role.FACILITIES}),
    "export_report": frozenset({Role.SECURITY}),
    "approve_report": frozenset({Role.SECURITY}),
}


@dataclass(frozen=True)
class Identity:
    """Who does an action: the identity provider's subject and the name shown in the audit
    trail, with the roles they hold. ``signed_in`` is False in single-user mode."""

    subject: str
    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    signed_in: bool = False

    @classmethod
    def local(cls, name: str = "") -> Identity:
        """The one user of an app without sign-in (bound to this computer): every role."""
        return cls("local", name.strip()[:200], ALL_ROLES, signed_in=False)

    @property
    def shown(self) -> str:
        """The name the audit trail shows: the name, else the subject."""
        return self.name or self.subject


class AccessDenied(PermissionError):
    """``who`` may not do ``action``: the message names the roles that may."""

    def __init__(self, who: Identity, action: str):
        self.who, self.action = who, action
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str | None = None) -> str:
        may = ", ".join(t(f"role.{r.value}", lang) for r in sorted(PERMISSIONS[self.action]))
        held = ", ".join(t(f"role.{r.value}", lang) for r in sorted(self.who.roles))
        return t(
            "access.denied",
            lang,
            who=self.who.shown,
            action=t(f"action.{self.action}", lang),
            roles=may,
            held=held or t("role.none", lang),
        )


def allowed(who: Identity, action: str) -> bool:
    """May ``who`` do ``action`` (a key of :data:`PERMISSIONS`)?"""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}; known: {', '.join(PERMISSIONS)}")
    return bool(who.roles & PERMISSIONS[action])


def require(who: Identity, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``who`` may do ``action``."""
    if not allowed(who, action):
        raise AccessDenied(who, action)


def roles_from_claims(
    claims: Mapping[str, object], claim: str, groups: Mapping[str, str]
) -> frozenset[Role]:
    """The roles the identity provider's ``claim`` (a list of groups, or one group) gives,
    through ``groups`` (group -> role name). Unknown groups give no role."""
    value = claims.get(claim)
    if isinstance(value, str):
        values: Iterable[object] = [value]
    elif isinstance(value, list | tuple):
        values = value
    else:
        values = []
    return frozenset(parse_role(groups[str(v)]) for v in values if str(v) in groups)


def signed_in_identity(
    claims: Mapping[str, object],
    settings: Mapping[str, object],
    table: Callable[[str], frozenset[Role]] | None = None,
) -> Identity:
    """Who the identity provider's ID-token ``claims`` say signed in, with their roles: those
    the group claim gives (``settings``: ``roles_claim``, default "groups", and ``groups``,
    group -> role) and those the library's role ``table`` gives their subject, or their
    e-mail address when the provider verified it (``email_verified``) or ``settings`` says
    ``trust_email`` (a provider that never sends the claim). ValueError for a group mapped
    to a role that does not exist."""
    subject = str(claims.get("sub") or claims.get("email") or "")
    name = str(claims.get("name") or claims.get("email") or subject)
    groups = settings.get("groups") or {}
    claim = str(settings.get("roles_claim") or "groups")
    roles = roles_from_claims(claims, claim, groups if isinstance(groups, Mapping) else {})
    keys = {subject}
    verified = claims.get("email_verified") in (True, "true") or settings.get("trust_email") is True
    if claims.get("email") and verified:
        keys.add(str(claims["email"]))
    if table is not None:
        for key in sorted(keys - {""}):
            roles |= table(key)
    return Identity(subject, name, frozenset(roles), signed_in=True)


def parse_role(name: str) -> Role:
    """A role from its name; a ValueError that lists the roles for anything else."""
    try:
        return Role(name.strip().lower())
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {name!r}; roles are: {known}") from None
