"""The address `make run` serves on: 127.0.0.1 (this computer, or a reverse proxy on it),
unless sign-in is configured in a secrets.toml and $ROOMPLAN_ADDRESS names another."""

import os
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app_pages.signin import missing_keys  # noqa: E402


def secrets() -> dict:
    """The secrets Streamlit reads: the user's, then the project's (which wins)."""
    merged: dict = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", Path(".streamlit/secrets.toml")):
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError) as exc:
            print(f"{path}: {exc}; serving on this computer only", file=sys.stderr)
            return {}
    return merged


if __name__ == "__main__":
    signed_in = missing_keys(secrets()) == []
    print(os.environ.get("ROOMPLAN_ADDRESS", "127.0.0.1") if signed_in else "127.0.0.1")
