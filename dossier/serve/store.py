"""The served folder: intakes to open, files to save, and drafts that survive a reload and a restart.

Every path a request names is resolved inside the folder (symbolic links included) or refused; drafts live in
``.dossier/concepten/`` inside the folder, one JSON file per draft, written atomically.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.errors import InputError, OutputError, Problem, os_reason
from dossier.load import parse_json, read_text
from dossier.messages import quote
from dossier.write import ensure_directory, write_atomic

DRAFT_DIR = Path(".dossier") / "concepten"
DRAFT_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")
MAX_LISTED = 500
SKIPPED_DIRS = {".dossier", ".git", ".venv", "node_modules", "__pycache__"}


class OutsideFolder(InputError):
    """Raised when a request names a path outside the served folder."""


@dataclass
class Draft:
    """An intake being written: its content (any JSON value the form produced), where it came from, its file name."""

    id: str
    intake: dict[str, Any]
    source: str | None  # path relative to the folder, when opened from or saved to a file there
    file_name: str  # the name to save it under
    updated: str = ""

    @property
    def title(self) -> str:
        """Return the project's name, else the file name."""
        project = self.intake.get("project")
        name = project.get("naam") if isinstance(project, dict) else None
        return name if isinstance(name, str) and name.strip() else self.file_name


class Folder:
    """The folder the server was started in."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # --- paths --------------------------------------------------------------------------------------

    def inside(self, relative: str) -> Path:
        """Return the absolute path of a name relative to the folder; raise OutsideFolder when it leaves it."""
        if not relative or "\x00" in relative or os.path.isabs(relative) or relative.startswith(("\\", "~")):
            raise OutsideFolder(problems=[Problem(quote(relative), message="dit pad ligt buiten de map van de server")])
        candidate = (self.root / relative).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            raise OutsideFolder(problems=[Problem(quote(relative), message="dit pad ligt buiten de map van de server")])
        if DRAFT_DIR.parts[0] in candidate.relative_to(self.root).parts[:1]:
            raise OutsideFolder(problems=[Problem(quote(relative), message="dit is de map met concepten, geen intake")])
        return candidate

    def intakes(self) -> list[str]:
        """Return the .json files in the folder and its subfolders (relative, sorted; at most MAX_LISTED)."""
        found: list[str] = []
        for directory, subdirs, files in os.walk(self.root):
            subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith("."))
            for name in sorted(files):
                path = Path(directory) / name
                if name.endswith(".json") and not name.endswith(".context.json"):
                    try:
                        self.inside(str(path.relative_to(self.root)))
                    except InputError:
                        continue  # a link that leaves the folder
                    found.append(str(path.relative_to(self.root)))
                    if len(found) >= MAX_LISTED:
                        return found
        return found

    def read_intake(self, relative: str) -> Any:
        """Return the JSON content of an intake file in the folder; raise InputError (Dutch) when it cannot be."""
        path = self.inside(relative)
        return parse_json(read_text(path), relative)

    def save(self, relative: str, text: str, overwrite: bool) -> Path:
        """Write text to a .json file in the folder, atomically; raise OutputError when it may not or cannot."""
        if not relative.endswith(".json"):
            raise OutputError(f"{quote(relative)}: de bestandsnaam moet eindigen op .json")
        path = self.inside(relative)
        if path.exists() and not overwrite:
            raise OutputError(f"{relative}: dit bestand bestaat al; kies een andere naam of vink 'overschrijven' aan")
        ensure_directory(path.parent)
        return write_atomic(path, text.encode("utf-8"))

    def schema_reference(self, relative: str) -> str:
        """Return the '$schema' value for a file saved at relative: the relative path from its folder to the schema.

        A copy of the schema in the folder's 'schemas/' (or one or two levels up, as in this repository) is
        preferred; else the path to the schema of the installed package.
        """
        from importlib import resources

        schema = Path(str(resources.files("dossier").joinpath("schemas/intake.schema.json"))).resolve()
        folder = (self.root / relative).parent
        for candidate in (self.root / "schemas", self.root.parent / "schemas", self.root.parent.parent / "schemas"):
            target = candidate / "intake.schema.json"
            if target.is_file() and target.read_bytes() == schema.read_bytes():
                return Path(os.path.relpath(target, folder)).as_posix()
        return Path(os.path.relpath(schema, folder)).as_posix()

    # --- drafts -------------------------------------------------------------------------------------

    @property
    def draft_dir(self) -> Path:
        return self.root / DRAFT_DIR

    def lock(self, draft_id: str) -> threading.Lock:
        """Return the lock that serialises the changes to one draft."""
        with self._guard:
            return self._locks.setdefault(draft_id, threading.Lock())

    def new_draft(self, intake: dict[str, Any], source: str | None, file_name: str) -> Draft:
        draft = Draft(secrets.token_urlsafe(12), intake, source, file_name)
        self.write_draft(draft)
        return draft

    def draft(self, draft_id: str) -> Draft | None:
        """Return the draft with this id, or None when there is none (or the id is not one we make)."""
        if not DRAFT_ID.fullmatch(draft_id):
            return None
        path = self.draft_dir / f"{draft_id}.json"
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        intake = data.get("intake")
        return Draft(
            draft_id,
            intake if isinstance(intake, dict) else {},
            data.get("bron"),
            str(data.get("bestandsnaam") or "intake.json"),
            str(data.get("bijgewerkt", "")),
        )

    def write_draft(self, draft: Draft) -> None:
        """Store a draft (atomically); raise OutputError when the folder is not writable."""
        draft.updated = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        data = {
            "id": draft.id,
            "bron": draft.source,
            "bestandsnaam": draft.file_name,
            "bijgewerkt": draft.updated,
            "intake": draft.intake,
        }
        try:
            ensure_directory(self.draft_dir)
        except OutputError as err:
            raise OutputError(f"concepten kunnen niet worden bewaard in {self.draft_dir}: {err}") from err
        target = self.draft_dir / f"{draft.id}.json"
        temporary = target.with_name(f".{target.name}.{threading.get_ident()}.tmp")
        try:  # atomic, but without fsync: a draft is written at every change and must stay fast
            temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
            os.replace(temporary, target)
        except OSError as err:
            temporary.unlink(missing_ok=True)
            raise OutputError(f"concept kan niet worden bewaard in {self.draft_dir} ({os_reason(err)})") from err

    def drafts(self) -> Iterator[Draft]:
        """Yield the stored drafts, newest first."""
        try:
            paths = sorted(self.draft_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for path in paths[:MAX_LISTED]:
            draft = self.draft(path.stem)
            if draft is not None:
                yield draft

    def delete_draft(self, draft_id: str) -> None:
        if DRAFT_ID.fullmatch(draft_id):
            try:
                (self.draft_dir / f"{draft_id}.json").unlink(missing_ok=True)
            except OSError as err:
                raise OutputError(f"concept kan niet worden verwijderd ({os_reason(err)})") from err
