"""Install pip into the running interpreter's venv from PyPI's pip wheel.

Used by the Makefile when ``python3 -m venv`` cannot bootstrap pip (Debian without
python3-venv). Only the standard library is used: a wheel is a zip archive, and
pip can run from its own wheel to install itself.
"""

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

INDEX = "https://pypi.org/pypi/pip/json"


def main() -> int:
    with urllib.request.urlopen(INDEX, timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith("-py3-none-any.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:
            path.write_bytes(response.read())
        return subprocess.call([sys.executable, f"{path}/pip", "install", "-q", str(path)])


if __name__ == "__main__":
    sys.exit(main())
