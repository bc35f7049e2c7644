"""The web application: pages and endpoints over the served folder, the form and the pipeline.

Every page works without JavaScript (plain form posts, then a redirect); the vendored htmx makes the
check live: each change posts the form, the answer updates the messages at the fields and the panel.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from dossier import __version__
from dossier.errors import DossierError, InputError
from dossier.knowledge import default_knowledge
from dossier.load import parse_json
from dossier.schema import intake_schema
from dossier.serve import engine, form, hints
from dossier.serve.guard import MAX_BODY, Guard
from dossier.serve.preview import markdown_html
from dossier.serve.store import Draft, Folder, OutsideFolder

HERE = Path(__file__).parent
POINTER = re.compile(r"(?<![\w/])/[a-z_]+(?:/[A-Za-z0-9_]+)*")
MAX_UPLOAD = 2 * 1024 * 1024
MESSAGES = {
    "opgeslagen": "De intake is opgeslagen.",
    "ongeldig": "Het dossier is niet gemaakt: de intake is nog niet geldig. Zie de meldingen bij de velden.",
}
FORMATS = {
    "docx": ("Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
}


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["version"] = __version__
    environment.globals["missing"] = form.MISSING
    environment.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False)
    return environment


class Page:
    """What one rendering of the form needs: the draft, its fields, the check outcome and where messages go."""

    def __init__(self, folder: Folder, draft: Draft, show_all: bool = False, visited: Sequence[str] = ()) -> None:
        knowledge = default_knowledge()
        self.draft = draft
        self.root = form.build_form(intake_schema(), draft.intake, knowledge)
        self.datalists = hints.Suggestions(knowledge, draft.intake).datalists()
        started = time.perf_counter()
        self.outcome = engine.examine(draft.intake, draft.file_name)
        self.seconds = time.perf_counter() - started
        self.errors, self.summary = place_problems(self.root, self.outcome, set(visited), show_all)
        self.previews = {f.dom_id: markdown_html(f.display) for f in self.root.walk() if f.markdown}
        self.show_all = show_all
        self.schema_reference = folder.schema_reference(draft.file_name)
        fields = self.root.walk()
        self._fields = {f.pointer: f for f in fields}
        self.helps = [(f.dom_id, f.dynamic_help or "") for f in fields if f.suggestions]

    def linked(self, text: str) -> Markup:
        """Return text (escaped) with each JSON pointer of a field in it made a link to that field."""
        parts, position = [], 0
        for match in POINTER.finditer(text):
            pointer = match[0].rstrip(".,;:)")
            target = pointer
            while target and target not in self._fields:
                target = target.rsplit("/", 1)[0]
            if not target:
                continue
            parts += [
                escape(text[position : match.start()]),
                Markup('<a href="#{}">{}</a>').format(self._fields[target].dom_id, pointer),
            ]
            position = match.start() + len(pointer)
        parts.append(escape(text[position:]))
        return Markup("").join(parts)


def place_problems(
    root: form.Field, outcome: engine.Outcome, visited: set[str], show_all: bool
) -> tuple[dict[str, list[str]], list[tuple[str, str, str]]]:
    """Return the messages to show at each field (by dom id) and the summary (dom id, place, message).

    A problem belongs to the field of its pointer, else to the nearest field above it. While typing, a field that
    is still empty and not yet visited keeps its message to itself (it is in the summary); show_all shows all.
    """
    fields = {f.pointer: f for f in root.walk()}
    at_field: dict[str, list[str]] = {}
    summary: list[tuple[str, str, str]] = []
    for problem in outcome.problems:
        wanted = problem.pointer or ""
        target = wanted
        while target and target not in fields:
            target = target.rsplit("/", 1)[0]
        node = fields.get(target, root)
        rest = wanted[len(node.pointer) :].lstrip("/")
        message = f"{rest}: {problem.message}" if rest else problem.message
        summary.append((node.dom_id, node.trail, message))
        empty = node.value is form.MISSING or node.value in ("", [], {})
        if show_all or not empty or node.pointer in visited:
            at_field.setdefault(node.dom_id, []).append(message)
    return at_field, summary


def _posted(data: Any) -> dict[str, list[str]]:
    return {key: [v for v in data.getlist(key) if isinstance(v, str)] for key in data if key.startswith("/")}


def create_app(folder_path: Path, hosts: Sequence[str] | None) -> Any:
    """Return the ASGI application serving folder_path; hosts are the allowed Host headers (None: any)."""
    folder = Folder(folder_path)
    templates = _environment()

    def html(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("pdf", engine.pdf_available())
        body = templates.get_template(name).render(folder=folder, formats=FORMATS, **context)
        return HTMLResponse(body, status_code=status, headers={"cache-control": "no-store"})

    def fail(request: Request, error: DossierError, status: int = 400) -> HTMLResponse:
        return html(
            "home.html",
            status=status,
            drafts=list(folder.drafts()),
            intakes=folder.intakes(),
            error_lines=error.lines(),
        )

    def load(request: Request) -> Draft | None:
        return folder.draft(request.path_params["id"])

    def merge(draft: Draft, data: Any) -> Draft:
        """Return the draft with the posted fields and file name applied, stored."""
        with folder.lock(draft.id):
            draft = folder.draft(draft.id) or draft
            root = form.build_form(intake_schema(), draft.intake, default_knowledge())
            draft.intake = form.apply_form(draft.intake, root, _posted(data))
            draft.file_name = _file_name(data, draft.file_name)
            folder.write_draft(draft)
        return draft

    async def home(request: Request) -> Response:
        return html("home.html", drafts=list(folder.drafts()), intakes=folder.intakes(), error_lines=[])

    async def new(request: Request) -> Response:
        draft = folder.new_draft(form.skeleton(intake_schema()), None, "nieuwe-intake.json")
        return RedirectResponse(f"/concept/{draft.id}", status_code=303)

    async def open_file(request: Request) -> Response:
        data = await request.form(max_files=0, max_fields=10)
        relative = str(data.get("pad") or "")
        try:
            intake = folder.read_intake(relative)
        except DossierError as err:
            return fail(request, err, 403 if isinstance(err, OutsideFolder) else 400)
        if not isinstance(intake, dict):
            return fail(request, InputError(f"{relative}: is geen intake (de inhoud is geen JSON-object)"))
        draft = folder.new_draft(intake, relative, relative)
        return RedirectResponse(f"/concept/{draft.id}", status_code=303)

    async def upload(request: Request) -> Response:
        async with request.form(max_files=1, max_fields=10, max_part_size=MAX_UPLOAD) as data:
            sent = data.get("bestand")
            if not isinstance(sent, UploadFile) or not sent.filename:
                return fail(request, InputError("kies eerst een intakebestand (.json) om te uploaden"))
            content = await sent.read(MAX_UPLOAD + 1)
            name = Path(sent.filename.replace("\\", "/")).name or "intake.json"
        if len(content) > MAX_UPLOAD:
            return fail(
                request, InputError(f"{name}: bestand is te groot (maximaal {MAX_UPLOAD // 1024 // 1024} MB)"), 413
            )
        try:
            intake = parse_json(content.decode("utf-8-sig"), name)
        except UnicodeDecodeError:
            return fail(request, InputError(f"{name}: bestand is geen geldige UTF-8-tekst; sla het op als UTF-8"))
        except DossierError as err:
            return fail(request, err)
        if not isinstance(intake, dict):
            return fail(request, InputError(f"{name}: is geen intake (de inhoud is geen JSON-object)"))
        stem = name[:-5] if name.endswith(".json") else name
        draft = folder.new_draft(intake, None, f"{engine.file_stem(stem)}.json")
        return RedirectResponse(f"/concept/{draft.id}", status_code=303)

    async def show(request: Request) -> Response:
        draft = load(request)
        if draft is None:
            return html("missing.html", status=404)
        message = MESSAGES.get(request.query_params.get("melding", ""), "")
        show_all = request.query_params.get("alles") == "1"
        return html("form.html", page=Page(folder, draft, show_all), message=message)

    async def act(request: Request) -> Response:
        """A form post: check, save, or add or remove an item; htmx gets fragments, a plain post a redirect."""
        draft = load(request)
        if draft is None:
            return html("missing.html", status=404)
        data = await request.form(max_files=0, max_fields=20000, max_part_size=MAX_BODY)
        action = str(data.get("_actie") or "controleren")
        visited = _visited(data)
        focus, focus_after_removal = None, None
        with folder.lock(draft.id):
            draft = folder.draft(draft.id) or draft
            root = form.build_form(intake_schema(), draft.intake, default_knowledge())
            draft.intake = form.apply_form(draft.intake, root, _posted(data))
            draft.file_name = _file_name(data, draft.file_name)
            if action.startswith("toevoegen "):
                root = form.build_form(intake_schema(), draft.intake, default_knowledge())
                draft.intake, focus = form.add_item(draft.intake, root, action.removeprefix("toevoegen "))
            elif action.startswith("verwijderen "):
                root = form.build_form(intake_schema(), draft.intake, default_knowledge())
                removed = action.removeprefix("verwijderen ")
                draft.intake = form.remove_item(draft.intake, root, removed)
                focus_after_removal = "add-" + form.dom_id(removed.rsplit("/", 1)[0])
            folder.write_draft(draft)
        saved, save_error = None, None
        if action == "opslaan":
            try:
                saved = _save(folder, draft, data.get("_overschrijven") == "1")
            except DossierError as err:
                save_error = "\n".join(err.lines())
        htmx = request.headers.get("hx-request") == "true"
        page = Page(folder, draft, show_all=action in ("controleren", "opslaan"), visited=visited)
        if htmx:
            return html(
                "fragments.html",
                page=page,
                focus=form.dom_id(focus) if focus else focus_after_removal,
                fields_changed=action.startswith(("toevoegen ", "verwijderen ")),
                saved=saved,
                save_error=save_error,
                announce=action == "controleren",
            )
        if save_error:
            return html("form.html", page=page, message="", save_error=save_error, status=400)
        target = (
            f"/concept/{draft.id}?"
            + ("melding=opgeslagen&" if saved else "")
            + "alles=1" * (action == "controleren")
            + (f"#{form.dom_id(focus)}" if focus else "")
        )
        return RedirectResponse(target, status_code=303)

    async def live(request: Request) -> Response:
        """The live check: merge the posted fields into the draft, store it, return the fragments."""
        draft = load(request)
        if draft is None:
            return html("missing.html", status=404)
        data = await request.form(max_files=0, max_fields=20000, max_part_size=MAX_BODY)
        before = form.structure(form.build_form(intake_schema(), draft.intake, default_knowledge()))
        draft = merge(draft, data)
        show_all = data.get("_actie") == "controleren"
        page = Page(folder, draft, show_all=show_all, visited=_visited(data))
        return html(
            "fragments.html",
            page=page,
            focus=None,
            fields_changed=form.structure(page.root) != before,  # e.g. a clause chosen: its parameters appear
            saved=None,
            save_error=None,
            announce=show_all,
        )

    async def download_intake(request: Request) -> Response:
        draft = load(request)
        if draft is None:
            return html("missing.html", status=404)
        if request.method == "POST":
            draft = merge(draft, await request.form(max_files=0, max_fields=20000, max_part_size=MAX_BODY))
        text = engine.canonical_text(draft.intake, folder.schema_reference(draft.file_name))
        return Response(
            text.encode("utf-8"),
            media_type="application/json; charset=utf-8",
            headers=_attachment(Path(draft.file_name).name),
        )

    async def make_dossier(request: Request) -> Response:
        draft = load(request)
        if draft is None:
            return html("missing.html", status=404)
        data = await request.form(max_files=0, max_fields=20000, max_part_size=MAX_BODY)
        fmt = str(data.get("_formaat") or "docx")
        draft = merge(draft, data)
        if fmt not in FORMATS:
            fmt = "docx"
        stem = Path(draft.file_name).stem
        if not engine.examine(draft.intake, draft.file_name).valid:
            return RedirectResponse(f"/concept/{draft.id}?melding=ongeldig&alles=1", status_code=303)
        try:
            content = await run_in_threadpool(
                engine.build, draft.intake, stem, fmt, folder.schema_reference(draft.file_name)
            )  # LibreOffice takes seconds
        except DossierError as err:
            return html(
                "form.html",
                page=Page(folder, draft, True),
                message="",
                save_error="\n".join(err.lines()),
                status=500 if err.exit_code == 70 else 400,
            )
        return Response(content, media_type=FORMATS[fmt][1], headers=_attachment(f"{stem}.{fmt}"))

    async def delete(request: Request) -> Response:
        folder.delete_draft(request.path_params["id"])
        return RedirectResponse("/", status_code=303)

    async def api_check(request: Request) -> Response:
        """POST an intake (JSON body): the document of 'dossier check --json', or its problems (422)."""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return JSONResponse({"fouten": [{"melding": "stuur de intake als application/json"}]}, status_code=415)
        name = request.query_params.get("naam") or "intake.json"
        body = await request.body()
        try:
            intake = parse_json(body.decode("utf-8-sig"), name)
            document = engine.check_json(intake, name)
        except UnicodeDecodeError:
            return JSONResponse({"fouten": [{"melding": f"{name}: de intake is geen geldige UTF-8-tekst"}]}, 400)
        except InputError as err:
            return JSONResponse(
                {
                    "fouten": [
                        {
                            "pointer": p.pointer,
                            "regel": p.line,
                            "kolom": p.column,
                            "melding": p.message,
                            "tekst": str(p),
                        }
                        for p in err.problems
                    ]
                    or [{"melding": str(err)}]
                },
                status_code=422,
            )
        return Response(
            json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"),
            media_type="application/json; charset=utf-8",
        )

    routes = [
        Route("/", home),
        Route("/nieuw", new, methods=["POST"]),
        Route("/openen", open_file, methods=["POST"]),
        Route("/uploaden", upload, methods=["POST"]),
        Route("/concept/{id}", show),
        Route("/concept/{id}", act, methods=["POST"]),
        Route("/concept/{id}/controle", live, methods=["POST"]),
        Route("/concept/{id}/intake.json", download_intake, methods=["GET", "POST"]),
        Route("/concept/{id}/dossier", make_dossier, methods=["POST"]),
        Route("/concept/{id}/verwijderen", delete, methods=["POST"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def dossier_error(request: Request, error: Exception) -> Response:
        lines = error.lines() if isinstance(error, DossierError) else [str(error)]
        return html("error.html", status=getattr(error, "exit_code", 1) == 70 and 500 or 400, error_lines=lines)

    async def internal_error(request: Request, error: Exception) -> Response:
        line = (
            f"interne fout in dossier ({type(error).__name__}: {error}); meld dit aan de beheerders, "
            "met DOSSIER_DEBUG=1 voor de details"
        )
        return html("error.html", status=500, error_lines=[line])

    handlers = {DossierError: dossier_error, Exception: internal_error}
    return Guard(
        Starlette(routes=routes, exception_handlers=handlers, debug=bool(os.environ.get("DOSSIER_DEBUG"))), hosts
    )


def _visited(data: Any) -> list[str]:
    try:
        visited = json.loads(str(data.get("_bezocht") or "[]"))
    except ValueError:
        return []
    return [v for v in visited if isinstance(v, str)][:20000] if isinstance(visited, list) else []


def _file_name(data: Mapping[str, Any], current: str) -> str:
    name = str(data.get("_bestandsnaam") or "").strip()
    return name or current


def _save(folder: Folder, draft: Draft, overwrite: bool) -> Path:
    """Save the draft as canonical JSON under its file name; the file it came from may be overwritten."""
    target = draft.file_name
    path = folder.save(
        target,
        engine.canonical_text(draft.intake, folder.schema_reference(target)),
        overwrite or target == draft.source,
    )
    draft.source = target
    folder.write_draft(draft)
    return path


def _attachment(name: str) -> dict[str, str]:
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "") or "download"
    return {
        "content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{url_quote(name)}",
        "cache-control": "no-store",
    }
