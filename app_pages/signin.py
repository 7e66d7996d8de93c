"""Who is using the app: signed in with the municipality's identity provider (OpenID Connect,
Streamlit's `st.login`), or the single local user of an app that only this computer reaches.

Sign-in is configured in `.streamlit/secrets.toml` (`[auth]`: redirect_uri, cookie_secret,
client_id, client_secret, server_metadata_url; see docs/deploy.md). Roles come from the
identity token's group claim (`[roomplan] roles_claim`, `[roomplan.groups]` group -> role)
and from the library's role table. Without sign-in the app refuses to serve any address but
the loopback one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from roomplan.access import AccessDenied, Identity, allowed, signed_in_identity
from roomplan.i18n import t
from roomplan.library import Library, LibraryError
from roomplan.report.render import markdown_text as plain

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def missing_keys(secrets: Mapping[str, Any]) -> list[str] | None:
    """The `[auth]` keys sign-in still lacks; None when there is no `[auth]` at all."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping) or not auth:
        return None
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    providers = [auth] + [v for v in auth.values() if isinstance(v, Mapping)]
    if not any(all(p.get(k) for k in PROVIDER_KEYS) for p in providers):
        missing += [k for k in PROVIDER_KEYS if not auth.get(k)]
    return missing


def provider(secrets: Mapping[str, Any]) -> str | None:
    """The `[auth.<name>]` provider to sign in with; None for keys directly under `[auth]`."""
    auth = secrets["auth"]
    if all(auth.get(k) for k in PROVIDER_KEYS):
        return None
    return next(
        k
        for k, v in auth.items()
        if isinstance(v, Mapping) and all(v.get(x) for x in PROVIDER_KEYS)
    )


def _secrets(lang: str) -> Mapping[str, Any]:
    """The app's secrets; none when there is no secrets file. A file that cannot be read
    stops the app: running it without the sign-in it may configure would open it to all."""
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, OSError, ValueError) as exc:  # Streamlit's is a FileNotFoundError
        files = [Path(f).expanduser() for f in st.get_option("secrets.files") or []]
        if any(f.exists() for f in files):  # a file, or a folder of Kubernetes secrets
            st.error(plain(t("signin.unreadable", lang, error=type(exc).__name__)))
            st.stop()
        return {}


def gate(lib: Library | None, lang: str) -> Identity:
    """The identity of this session; stops the page with the reason when there is none."""
    secrets = _secrets(lang)
    missing = missing_keys(secrets)
    if missing:  # half a sign-in is no sign-in, and must not become an app open to all
        st.error(plain(t("signin.half", lang, keys=", ".join(missing))))
        st.stop()
    if missing is None:
        return _single_user(lang)
    if not st.user.is_logged_in:
        st.title("roomplan")
        st.write(t("signin.why", lang))
        if st.button(t("signin.button", lang), type="primary"):
            st.login(provider(secrets))
        st.stop()
    try:
        who = signed_in_identity(
            st.user.to_dict(), secrets.get("roomplan", {}), lib.roles if lib else None
        )
    except ValueError:  # a group mapped to no role of roomplan's: the deployment's mistake
        st.error(t("signin.bad_groups", lang))
        st.stop()
    except LibraryError as exc:  # the role table cannot be read: the groups' roles only
        st.warning(plain(exc.message(lang)))
        who = signed_in_identity(st.user.to_dict(), secrets.get("roomplan", {}))
    with st.sidebar:
        held = ", ".join(t(f"role.{r.value}", lang) for r in sorted(who.roles))
        held = held or t("role.none", lang)
        st.caption(plain(t("signin.as", lang, name=who.shown, roles=held)))
        if st.button(t("signin.out", lang)):
            st.logout()
    if not allowed(who, "read"):
        st.error(plain(AccessDenied(who, "read").message(lang)))
        st.stop()
    return who


# headers a reverse proxy adds: a request through one comes from another computer
PROXY_HEADERS = (
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Real-Ip",
    "Forwarded",
)


def exposure(address: str, headers: Mapping[str, str]) -> str | None:
    """Why an app without sign-in must not serve this request (the words' key), or None:
    it listens beyond this computer, or the request came through a proxy (a forwarding
    header, or a page on another host: the browser's Origin)."""
    if address not in LOOPBACK:
        return "signin.exposed"
    if any(headers.get(h) for h in PROXY_HEADERS):
        return "signin.proxied"
    origin = urlsplit(headers.get("Origin") or "").hostname
    if origin and origin not in LOOPBACK:
        return "signin.proxied"
    return None


def _single_user(lang: str) -> Identity:
    address = st.get_option("server.address") or ""
    why = exposure(address, st.context.headers or {})
    if why is not None:
        st.error(t(why, lang, address=address or "0.0.0.0"))
        st.stop()
    with st.sidebar:
        st.caption(t("signin.single", lang, address=address))
    return Identity.local(st.session_state.get("who", ""))
