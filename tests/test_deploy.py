"""A shared deployment: without sign-in the app serves this computer only and says so; sign-in
settings are read as Streamlit reads them; roles are checked before anything is done."""

import os
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.signin import missing_keys, provider
from roomplan.access import (
    PERMISSIONS,
    AccessDenied,
    Identity,
    Role,
    allowed,
    require,
    roles_from_claims,
)
from tests.browser import free_port, group_alive, made_run

ROOT = Path(__file__).resolve().parents[1]
COMPLETE = {
    "redirect_uri": "https://roomplan.slagelse.dk/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "roomplan",
    "client_secret": "s",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}


def test_sign_in_settings_are_complete_or_name_what_is_missing():
    assert missing_keys({}) is None
    assert missing_keys({"auth": COMPLETE}) == []
    assert provider({"auth": COMPLETE}) is None
    half = {k: v for k, v in COMPLETE.items() if k != "cookie_secret"}
    assert missing_keys({"auth": half}) == ["cookie_secret"]
    # a named provider, as Streamlit allows: [auth.entra]
    named = {
        "redirect_uri": COMPLETE["redirect_uri"],
        "cookie_secret": COMPLETE["cookie_secret"],
        "entra": {k: COMPLETE[k] for k in ("client_id", "client_secret", "server_metadata_url")},
    }
    assert missing_keys({"auth": named}) == [] and provider({"auth": named}) == "entra"
    assert missing_keys({"auth": {"redirect_uri": "x", "cookie_secret": "y"}}) == [
        "client_id",
        "client_secret",
        "server_metadata_url",
    ]


def test_roles_come_from_the_group_claim():
    groups = {"grp-plan": "planner", "grp-sec": "Security"}
    claims = {"groups": ["grp-plan", "grp-sec", "grp-other"], "roles": "grp-plan"}
    assert roles_from_claims(claims, "groups", groups) == {Role.PLANNER, Role.SECURITY}
    assert roles_from_claims(claims, "roles", groups) == {Role.PLANNER}  # one value, not a list
    assert roles_from_claims(claims, "missing", groups) == frozenset()
    with pytest.raises(ValueError, match="viewer, planner"):
        roles_from_claims({"groups": ["g"]}, "groups", {"g": "admin"})


def test_each_action_needs_its_role():
    viewer = Identity("v", "Vera", frozenset({Role.VIEWER}), signed_in=True)
    nobody = Identity("n", "Nemo", frozenset(), signed_in=True)
    assert allowed(viewer, "read") and allowed(viewer, "scenario")
    for action in ("edit", "upload", "adopt", "export_report", "approve_report", "recommend"):
        assert not allowed(viewer, action)
    assert not allowed(nobody, "read")
    assert all(allowed(Identity.local(), action) for action in PERMISSIONS)
    with pytest.raises(AccessDenied) as err:
        require(viewer, "export_report")
    assert "informationssikkerhed" in err.value.message("da") and "læser" in err.value.message("da")
    with pytest.raises(KeyError, match="known"):
        allowed(viewer, "delete_everything")


def _listening(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on ``port`` (from /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_make_run_without_sign_in_listens_on_this_computer_only(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(tmp_path),  # no user secrets.toml
        "ROOMPLAN_LIBRARY": str(tmp_path / "library.sqlite"),
    }
    env.pop("ROOMPLAN_ADDRESS", None)
    with made_run(port, env) as proc:
        # 127.0.0.1 in /proc/net/tcp's byte order; nothing on 0.0.0.0 or ::
        assert _listening(port) == {"0100007F"}
    assert not group_alive(proc.pid)


def _app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ROOMPLAN_LIBRARY", str(tmp_path / "library.sqlite"))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def _run_with_option(tmp_path, monkeypatch, name: str, value) -> AppTest:
    """The app run once with Streamlit's option ``name`` set to ``value`` (then restored)."""
    from streamlit import config

    before = config.get_option(name)
    config.set_option(name, value)
    try:
        at = _app(tmp_path, monkeypatch)
        at.run()
    finally:
        config.set_option(name, before)
    assert not at.exception
    return at


def test_without_sign_in_the_app_says_it_serves_this_computer_only(tmp_path, monkeypatch):
    at = _app(tmp_path, monkeypatch)
    at.run()
    assert not at.exception
    assert any("Enkeltbrugertilstand" in c.value for c in at.sidebar.caption)


def test_without_sign_in_the_app_refuses_every_other_address(tmp_path, monkeypatch):
    at = _run_with_option(tmp_path, monkeypatch, "server.address", "0.0.0.0")
    assert any("uden login" in e.value for e in at.error)
    assert not at.title  # no plan shown


def test_the_operator_keeps_the_role_table_from_the_command_line(tmp_path, monkeypatch, capsys):
    from roomplan.cli import main
    from roomplan.library import Library

    monkeypatch.setenv("ROOMPLAN_LIBRARY", str(tmp_path / "library.sqlite"))
    assert main(["roles", "grant", "frida@slagelse.dk", "facilities"]) == 0
    assert main(["roles", "grant", "frida@slagelse.dk", "planner"]) == 0
    assert main(["roles", "revoke", "frida@slagelse.dk", "planner"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "frida@slagelse.dk: facilities"
    assert main(["roles", "grant", "frida@slagelse.dk", "admin"]) == 2
    assert "Rollen admin findes ikke" in capsys.readouterr().err
    lib = Library(tmp_path / "library.sqlite")
    assert lib.roles("frida@slagelse.dk") == {Role.FACILITIES}
    assert [e.action for e in lib.audit()] == ["revoke_role", "grant_role", "grant_role"]


GROUPS = {"rp-readers": "viewer", "rp-security": "security"}


def _signed_in(tmp_path, monkeypatch, user: dict | None, auth: dict = COMPLETE) -> AppTest:
    """The app with sign-in configured, as ``user`` (the ID token's claims) or signed out."""
    at = _app(tmp_path, monkeypatch)
    at.secrets = {"auth": auth, "roomplan": {"roles_claim": "groups", "groups": GROUPS}}
    at.user = {"is_logged_in": True, **user} if user else {"is_logged_in": False}
    at.run()
    assert not at.exception
    return at


def _texts(at) -> str:
    kinds = ("markdown", "caption", "success", "error", "info", "warning")
    return "\n".join(str(e.value) for k in kinds for e in getattr(at, k)).replace("\\", "")


VERA = {"sub": "vera", "name": "Vera Viewer", "groups": ["rp-readers"]}


def test_signed_out_the_app_asks_to_sign_in_and_shows_nothing_else(tmp_path, monkeypatch):
    at = _signed_in(tmp_path, monkeypatch, None)
    assert [b.label for b in at.button] == ["Log ind"]
    assert "Slagelse" not in _texts(at) and not at.dataframe


def test_half_a_sign_in_configuration_opens_nothing(tmp_path, monkeypatch):
    half = {k: v for k, v in COMPLETE.items() if k != "client_secret"}
    at = _signed_in(tmp_path, monkeypatch, VERA, auth=half)
    assert "mangler client_secret" in _texts(at)
    assert not at.title and not at.button


def test_a_viewer_is_refused_edits_exports_approvals_and_catalogue(tmp_path, monkeypatch):
    from roomplan.library import Library

    at = _signed_in(tmp_path, monkeypatch, VERA)
    assert "Logget ind som Vera Viewer · roller: læser" in _texts(at)
    # an edit of the plan
    at.selectbox(key="w_room").set_value("1.06").run()
    next(s for s in at.selectbox if s.label == "Rumtype").set_value("kontor").run()
    assert not at.exception
    assert "Vera Viewer må ikke ændre planen" in _texts(at)
    assert at.session_state["plan"].room("1.06").kind == "interview"
    # the report: exported and approved only by security, each refusal recorded
    at.switch_page("app_pages/report.py").run()
    next(b for b in at.button if b.label == "Lav PDF").click().run()
    assert "må ikke hente vurderingsrapporten" in _texts(at)
    assert not any(b.label.startswith("Hent") for b in at.get("download_button"))
    next(b for b in at.button if b.label == "Godkend rapporten").click().run()
    assert "må ikke godkende en rapport" in _texts(at)
    # the library's catalogue of measures
    at.switch_page("app_pages/recommend.py").run()
    next(b for b in at.button if b.label == "Gem priserne i biblioteket").click().run()
    assert "må ikke gemme kataloget over tiltag" in _texts(at)
    trail = Library(tmp_path / "library.sqlite").audit()
    refused = [(e.subject, e.action) for e in trail if e.outcome == "refused"]
    assert refused == [("vera", "catalogue"), ("vera", "approve_report"), ("vera", "export_report")]
    assert not [e for e in trail if e.outcome == "done" and e.subject == "vera"]


def test_security_exports_and_approves_and_the_report_says_so(tmp_path, monkeypatch):
    from roomplan.library import Library

    sif = {"sub": "sif", "name": "Sif Sikkerhed", "groups": ["rp-security"]}
    at = _signed_in(tmp_path, monkeypatch, sif)
    at.switch_page("app_pages/report.py").run()
    next(b for b in at.button if b.label == "Godkend rapporten").click().run()
    assert not at.exception
    approval = next(s for s in at.expander if "Godkendelse" in s.label)
    assert "Sif Sikkerhed" in str([d.value for d in approval.dataframe])
    assert "denne rapport" in str([d.value for d in approval.dataframe])
    next(b for b in at.button if b.label == "Lav PDF").click().run()
    assert not at.exception and any(b.label == "Hent PDF" for b in at.get("download_button"))
    lib = Library(tmp_path / "library.sqlite")
    (done,) = [e for e in lib.audit() if e.action == "export_report"]
    assert (done.who, done.outcome, done.detail) == ("Sif Sikkerhed", "done", "pdf")


def test_the_role_table_is_read_by_subject_and_by_verified_e_mail_only(tmp_path, monkeypatch):
    from roomplan.library import Library

    lib = Library(tmp_path / "library.sqlite")
    lib.set_role("pia@slagelse.dk", "planner")
    pia = {"sub": "pia", "name": "Pia", "email": "pia@slagelse.dk", "groups": []}
    unverified = _signed_in(tmp_path, monkeypatch, {**pia, "email_verified": False})
    assert "Pia må ikke se planerne" in _texts(unverified)  # no role: nothing shown
    verified = _signed_in(tmp_path, monkeypatch, {**pia, "email_verified": True})
    assert "roller: planlægger" in _texts(verified)
    as_text = _signed_in(tmp_path, monkeypatch, {**pia, "email_verified": "true"})
    assert "roller: planlægger" in _texts(as_text)


def test_a_provider_without_email_verified_is_trusted_only_when_told(tmp_path, monkeypatch):
    from roomplan.library import Library

    Library(tmp_path / "library.sqlite").set_role("pia@slagelse.dk", "planner")
    pia = {"sub": "pia", "name": "Pia", "email": "pia@slagelse.dk", "groups": []}
    at = _app(tmp_path, monkeypatch)
    settings = {"groups": GROUPS, "trust_email": True}  # as for Entra ID (docs/deploy.md)
    at.secrets = {"auth": COMPLETE, "roomplan": settings}
    at.user = {"is_logged_in": True, **pia}
    at.run()
    assert not at.exception and "roller: planlægger" in _texts(at)


def test_a_request_through_a_proxy_is_not_served_without_sign_in():
    from app_pages.signin import exposure

    assert exposure("127.0.0.1", {}) is None
    assert exposure("0.0.0.0", {}) == "signin.exposed"
    assert exposure("", {}) == "signin.exposed"
    assert exposure("127.0.0.1", {"X-Forwarded-For": "10.2.3.4"}) == "signin.proxied"
    # a proxy that adds no header still passes the browser's Origin on
    assert exposure("127.0.0.1", {"Origin": "https://roomplan.slagelse.dk"}) == "signin.proxied"
    assert exposure("127.0.0.1", {"Origin": "http://localhost:8501"}) is None


@pytest.mark.parametrize(
    "auth, env, expected",
    [
        (None, "0.0.0.0", "127.0.0.1"),
        ({k: v for k, v in COMPLETE.items() if k != "client_id"}, "0.0.0.0", "127.0.0.1"),
        (COMPLETE, None, "127.0.0.1"),
        (COMPLETE, "0.0.0.0", "0.0.0.0"),
    ],
)
def test_make_run_serves_beyond_this_computer_only_when_asked_and_signed_in(
    tmp_path, auth, env, expected
):
    import json

    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    if auth is not None:
        lines = ["[auth]"] + [f"{k} = {json.dumps(v)}" for k, v in auth.items()]
        (home / ".streamlit" / "secrets.toml").write_text("\n".join(lines) + "\n")
    environ = {**os.environ, "HOME": str(home)}
    environ.pop("ROOMPLAN_ADDRESS", None)
    if env:
        environ["ROOMPLAN_ADDRESS"] = env
    out = subprocess.run(
        [os.sys.executable, "tools/address.py"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == expected


def test_a_secrets_file_that_cannot_be_read_opens_nothing(tmp_path, monkeypatch):
    bad = tmp_path / "secrets.toml"
    bad.write_text('[auth]\nclient_id = "roomplan\n', encoding="utf-8")  # an unclosed string
    at = _run_with_option(tmp_path, monkeypatch, "secrets.files", [str(bad)])
    assert any("kan ikke læses" in e.value for e in at.error)
    assert not at.title and not at.button


def test_the_identity_comes_from_the_token_and_the_role_table():
    from roomplan.access import signed_in_identity

    table = {"pia": frozenset({Role.SECURITY}), "pia@slagelse.dk": frozenset({Role.PLANNER})}
    settings = {"groups": {"rp-readers": "viewer"}}
    claims = {"sub": "pia", "email": "pia@slagelse.dk", "groups": ["rp-readers", "other"]}
    who = signed_in_identity(claims, settings, lambda key: table.get(key, frozenset()))
    assert (who.subject, who.name, who.signed_in) == ("pia", "pia@slagelse.dk", True)
    assert who.roles == {Role.VIEWER, Role.SECURITY}  # the unverified e-mail gives nothing
    verified = signed_in_identity({**claims, "email_verified": True}, settings, table.get)
    assert Role.PLANNER in verified.roles
    trusted = signed_in_identity(claims, {**settings, "trust_email": True}, table.get)
    assert Role.PLANNER in trusted.roles
    assert signed_in_identity({"sub": "x", "name": "X"}, {}).roles == frozenset()
    with pytest.raises(ValueError, match="unknown role"):
        signed_in_identity({"sub": "x", "groups": ["g"]}, {"groups": {"g": "admin"}})


def test_without_sign_in_the_name_typed_once_is_in_the_trail(tmp_path, monkeypatch):
    from roomplan.library import Library

    at = _app(tmp_path, monkeypatch)
    at.run()
    at.selectbox(key="w_room").set_value("1.06").run()
    next(s for s in at.selectbox if s.label == "Rumtype").set_value("kontor").run()
    at.switch_page("app_pages/library.py").run()
    next(i for i in at.text_input if i.label == "Gemt af (navn eller initialer)").input("Anna")
    next(b for b in at.button if b.label == "Gem som ny version").click().run()
    next(b for b in at.button if b.label == "Tag versionen i brug").click().run()  # no name field
    assert not at.exception
    trail = Library(tmp_path / "library.sqlite").audit()
    assert [(e.who, e.action) for e in trail[:2]] == [("Anna", "adopt"), ("Anna", "save_version")]
