"""The third-party packages dossier imports, and a Dutch message when the running Python lacks one.

``python -m dossier`` also runs from a Python without them (the system Python next to the source tree,
outside ``.venv``); that is a set-up problem the user can fix, so it is a user error, not an internal one.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from dossier.errors import MissingPackageError

# Import name -> the name pip installs it under. The direct dependencies of pyproject.toml, plus lxml
# (python-docx), MarkupSafe (Jinja2) and asn1crypto (pyHanko), which dossier imports itself, and
# python-multipart, which starlette needs to read the form of dossier serve.
# A test holds this against pyproject.toml.
PACKAGES = {
    "docxtpl": "docxtpl",
    "docx": "python-docx",
    "lxml": "lxml",
    "jinja2": "Jinja2",
    "markupsafe": "MarkupSafe",
    "jsonschema": "jsonschema",
    "yaml": "PyYAML",
    "markdown_it": "markdown-it-py",
    "pypandoc": "pypandoc-binary",
    "pyhanko": "pyHanko",
    "pyhanko_certvalidator": "pyhanko-certvalidator",
    "asn1crypto": "asn1crypto",  # pyHanko's certificate types; dossier.sign reads trust roots with it
    "starlette": "starlette",  # dossier serve
    "uvicorn": "uvicorn",
    "python_multipart": "python-multipart",  # imported by starlette, not by dossier: form and upload parsing
}

# Packages in PACKAGES that only another package imports (the test of the list allows these).
IMPORTED_BY_OTHERS = frozenset({"python_multipart"})


def missing_packages(also: str = "") -> list[str]:
    """Return the pip names of the packages this Python cannot import (and of module also), in PACKAGES order."""
    return [name for module, name in PACKAGES.items() if module == also or importlib.util.find_spec(module) is None]


def require_packages() -> None:
    """Return when every package is installed; raise MissingPackageError naming the missing ones and the fix.

    Called by ``python -m dossier`` before anything else (a few milliseconds); the console script runs in
    the environment pip installed it into, so it relies on ``missing_package_error`` instead.
    """
    missing = missing_packages()
    if missing:
        raise MissingPackageError(missing_message(missing, sys.executable, _source()))


def missing_package_error(err: ModuleNotFoundError) -> MissingPackageError | None:
    """Return the user error for a failed import of a package dossier needs; None for any other module (a bug)."""
    module = (err.name or "").split(".")[0]
    if module not in PACKAGES:
        return None
    return MissingPackageError(missing_message(missing_packages(also=module), sys.executable, _source()))


def _source() -> Path:
    """The folder that holds the dossier package: a checkout when it has pyproject.toml."""
    return Path(__file__).resolve().parent.parent


def missing_message(missing: list[str], python: str, source: Path) -> str:
    """Return the Dutch message for missing packages: which, and how to install them (source: the checkout)."""
    names = ", ".join(f"'{name}'" for name in missing)
    what = f"het Python-pakket {names} ontbreekt" if len(missing) == 1 else f"de Python-pakketten {names} ontbreken"
    lines = [f"dossier: {what} in deze Python ({python})."]
    if (source / "pyproject.toml").is_file():
        lines.append(f"Maak de omgeving van dossier met 'make install' in {source} en gebruik daarna "
                     f"{source / '.venv' / 'bin' / 'dossier'} (of eerst 'source .venv/bin/activate', dan 'dossier').")
        lines.append(f"Of installeer dossier met zijn afhankelijkheden in deze Python: {python} -m pip install -e {source}")
    else:
        lines.append(f"Installeer ze in deze Python: {python} -m pip install {' '.join(missing)}")
    return "\n".join(lines)
