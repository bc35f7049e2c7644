"""dossier serve without a browser: the form from the schema, posted values back, drafts, safety, the JSON endpoint."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from dossier.knowledge import default_knowledge
from dossier.pipeline import check
from dossier.schema import intake_schema
from dossier.serve import engine, form
from dossier.serve.app import create_app
from dossier.serve.guard import MAX_BODY
from dossier.serve.preview import markdown_html
from dossier.serve.server import access, bind
from tests.conftest import EXAMPLES, ROOT

HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for example in EXAMPLES:
        (tmp_path / example.name).write_bytes(example.read_bytes())
    return tmp_path


@pytest.fixture
def client(folder: Path) -> TestClient:
    return TestClient(create_app(folder, [HOST]), base_url=ORIGIN, headers={"origin": ORIGIN})


def _leaf_pointers(schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Every leaf under the schema's object properties, list positions as 0 (for a draft with one item each)."""
    found = []
    for key, sub in schema.get("properties", {}).items():
        pointer = f"{prefix}/{key}"
        if sub.get("type") == "object" and "properties" in sub:
            found += _leaf_pointers(sub, pointer)
        elif sub.get("type") == "array" and isinstance(sub.get("items"), dict) and "properties" in sub["items"]:
            found += _leaf_pointers(sub["items"], f"{pointer}/0")
        elif pointer != "/$schema":
            found.append(pointer)
    return found


def _posted_as_shown(root: form.Field) -> dict[str, list[str]]:
    """Return what a browser posts for an untouched form."""
    posted: dict[str, list[str]] = {}
    for node in root.walk():
        if node.kind == "multi":
            posted[node.pointer] = ["", *node.selected]
        elif node.is_leaf:
            shown = node.display.replace("\r\n", "\n").replace("\r", "\n")  # as the page holds it
            posted[node.pointer] = [shown.replace("\n", "\r\n") if node.kind == "textarea" else node.display]
    return posted


def _with_one_item_everywhere(schema: dict[str, Any]) -> dict[str, Any]:
    draft = form.skeleton(schema)
    for key in (
        "waarden",
        "afweging",
        "betrokkenen",
        "handelingsopties",
        "instrumenten",
        "instrumenten_afgewezen",
        "besluiten",
    ):
        draft[key] = [{}]
    draft["technologie"] = {"databronnen": [{}], "leverancier": {}}
    draft["inkoop"] = {"clausules": [{"id": "bewaartermijnen"}, {"id": "waarden_gunningscriterium"}]}
    return draft


# --- the form -------------------------------------------------------------------------------------------


def test_every_schema_field_is_in_the_form_under_its_json_pointer(client: TestClient, folder: Path) -> None:
    root = form.build_form(intake_schema(), _with_one_item_everywhere(intake_schema()), default_knowledge())
    names = {f.pointer for f in root.walk()}
    missing = [p for p in _leaf_pointers(intake_schema()) if p not in names]
    assert not missing


def test_a_field_added_to_the_schema_appears_without_form_code() -> None:
    schema = copy.deepcopy(intake_schema())
    schema["properties"]["project"]["properties"]["budget_euro"] = {
        "type": "integer",
        "minimum": 0,
        "description": "Begroot bedrag in euro.",
    }
    schema["properties"]["project"]["properties"]["kleur"] = {
        "enum": ["rood", "licht_blauw"],
        "x-labels": {"rood": "Rood", "licht_blauw": "Lichtblauw"},
    }
    root = form.build_form(schema, {"project": {}}, default_knowledge())
    fields = {f.pointer: f for f in root.walk()}
    assert fields["/project/budget_euro"].kind == "integer"
    assert fields["/project/budget_euro"].label == "Budget euro"
    assert fields["/project/budget_euro"].help == "Begroot bedrag in euro."
    assert fields["/project/kleur"].options == [("rood", "Rood"), ("licht_blauw", "Lichtblauw")]
    changed = form.apply_form({"project": {}}, root, {"/project/budget_euro": ["1200"]})
    assert changed == {"project": {"budget_euro": 1200}}


def test_a_ref_field_is_its_targets_input_with_the_constraints_of_both() -> None:
    schema = copy.deepcopy(intake_schema())
    project = schema["properties"]["project"]["properties"]
    assert project["centrale_vraag"]["$ref"] == "#/$defs/regel" and project["centrale_vraag"]["maxLength"] > 200
    schema["$defs"]["kort"] = {"$ref": "#/$defs/regel", "maxLength": 12, "minLength": 2, "description": "Kort."}
    project["code"] = {"type": "string", "$ref": "#/$defs/kort"}
    project["toelichting_kort"] = {"type": "string", "$ref": "#/$defs/tekst", "maxLength": 5000}
    root = form.build_form(schema, {"project": {"code": "A1"}}, default_knowledge())
    fields = {f.pointer: f for f in root.walk()}
    assert fields["/project/centrale_vraag"].kind == "text"  # one line (the pattern of $defs/regel), not a text area
    assert fields["/project/centrale_vraag"].attributes["maxlength"] == project["centrale_vraag"]["maxLength"]
    assert fields["/project/code"].kind == "text"
    assert fields["/project/code"].attributes == {"maxlength": 12, "minlength": 2}
    assert fields["/project/code"].help == "Kort."
    assert fields["/project/code"].schema["pattern"] == schema["$defs"]["regel"]["pattern"]
    assert fields["/project/toelichting_kort"].kind == "textarea"  # tekst allows line ends
    assert fields["/project/beschrijving"].kind == "textarea"
    with_line_end = form.build_form(schema, {"project": {"naam": "Twee\nregels"}}, default_knowledge())
    assert {f.pointer: f for f in with_line_end.walk()}["/project/naam"].kind == "textarea"  # shown, not hidden
    broken = copy.deepcopy(schema)
    broken["properties"]["project"]["properties"]["stuk"] = {"$ref": "#/$defs/ontbreekt"}
    with pytest.raises(ValueError, match="ontbreekt"):
        form.build_form(broken, {}, default_knowledge())


def test_enums_carry_the_dutch_labels_the_dossier_prints() -> None:
    root = form.build_form(intake_schema(), _with_one_item_everywhere(intake_schema()), default_knowledge())
    fields = {f.pointer: f for f in root.walk()}
    assert ("onder_voorwaarden", "Ja, onder voorwaarden") in fields["/drietrap/kan_het/oordeel"].options
    assert ("ai_ml", "AI / machine learning") in fields["/technologie/soorten"].options
    assert ("iama", default_knowledge().instruments["iama"].name) in fields["/instrumenten/0/instrument"].options
    assert fields["/technologie/soorten"].kind == "multi"
    assert fields["/project/beschrijving"].markdown
    assert fields["/inkoop/clausules/0/parameters/bewaartermijn"].scalar_types == ("string",)  # a term: '24 maanden'
    assert fields["/inkoop/clausules/1/parameters/weging"].scalar_types == ("integer",)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_an_untouched_form_gives_back_the_intake_exactly(example: Path) -> None:
    intake = json.loads(example.read_text("utf-8"))
    root = form.build_form(intake_schema(), intake, default_knowledge())
    assert form.apply_form(intake, root, _posted_as_shown(root)) == intake


def test_posted_values_take_the_schema_types_and_bad_numbers_stay_text() -> None:
    draft = _with_one_item_everywhere(intake_schema())
    root = form.build_form(intake_schema(), draft, default_knowledge())
    result = form.apply_form(
        draft,
        root,
        {
            "/technologie/besluitvorming_over_personen": ["false"],
            "/instrumenten/0/deelnemers": ["twaalf"],
            "/rol_provincie": ["", "partner", "uitvoerder"],
            "/project/beschrijving": ["regel 1\r\nregel 2"],
            "/inkoop/clausules/0/parameters/bewaartermijn": ["12 maanden"],
            "/inkoop/clausules/1/parameters/weging": ["20"],
            "/project/naam": [""],
        },
    )
    assert result["technologie"]["besluitvorming_over_personen"] is False
    assert result["instrumenten"][0]["deelnemers"] == "twaalf"  # validation says so; the form keeps it
    assert result["rol_provincie"] == ["partner", "uitvoerder"]
    assert result["project"]["beschrijving"] == "regel 1\nregel 2"
    assert result["inkoop"]["clausules"][0]["parameters"] == {"bewaartermijn": "12 maanden"}
    assert result["inkoop"]["clausules"][1]["parameters"] == {"weging": 20}
    assert "naam" not in result["project"]
    problems = {p.pointer: p.message for p in engine.examine(result, "x.json").problems}
    assert problems["/instrumenten/0/deelnemers"] == "moet een geheel getal zijn, maar is een tekst"


def test_emptying_an_optional_object_removes_it_but_a_required_one_stays() -> None:
    draft = {"project": {"naam": "x"}, "technologie": {"leverancier": {"naam": "Leverancier BV"}}}
    root = form.build_form(intake_schema(), draft, default_knowledge())
    result = form.apply_form(draft, root, {"/technologie/leverancier/naam": [""], "/project/naam": [""]})
    assert result == {"project": {}, "technologie": {}}


def test_fields_outside_the_schema_are_kept_shown_and_removable() -> None:
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    intake["project"]["budget"] = {"euro": 5}
    root = form.build_form(intake_schema(), intake, default_knowledge())
    extra = next(f for f in root.walk() if f.pointer == "/project/budget")
    assert extra.kind == "extra" and extra.display == '{"euro": 5}'
    assert form.apply_form(intake, root, _posted_as_shown(root))["project"]["budget"] == {"euro": 5}
    assert "budget" not in form.remove_item(intake, root, "/project/budget")["project"]


def test_items_are_added_and_removed_by_pointer() -> None:
    draft = form.skeleton(intake_schema())
    root = form.build_form(intake_schema(), draft, default_knowledge())
    added, pointer = form.add_item(draft, root, "/besluiten")
    assert pointer == "/besluiten/0" and added["besluiten"] == [{}]
    added, pointer = form.add_item(added, form.build_form(intake_schema(), added, default_knowledge()), "/waarden")
    assert pointer == "/waarden/1" and len(added["waarden"]) == 2
    removed = form.remove_item(added, form.build_form(intake_schema(), added, default_knowledge()), "/waarden/0")
    assert len(removed["waarden"]) == 1
    assert form.remove_item(added, root, "/project") == added  # not an item: nothing happens


def test_a_new_intake_puts_each_missing_field_at_its_own_place() -> None:
    problems = {p.pointer for p in engine.examine(form.skeleton(intake_schema()), "x.json").problems}
    assert {
        "/project/naam",
        "/technologie/soorten",
        "/drietrap/kan_het/oordeel",
        "/waarden/0/antwoord",
        "/ondertekening/gedeputeerde",
    } <= problems


def test_markdown_preview_shows_what_the_dossier_shows_and_no_html() -> None:
    html = markdown_html("# Kop\n\n**vet** en _geen cursief_ <script>alert(1)</script> [x](javascript:alert(1))")
    assert '<p class="kop">Kop</p>' in html
    assert "<strong>vet</strong>" in html and "_geen cursief_" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_canonical_text_puts_the_schema_line_first_and_keys_in_schema_order() -> None:
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    shuffled = dict(reversed(list(intake.items())))
    text = engine.canonical_text(shuffled, "../schemas/intake.schema.json")
    assert text.startswith('{\n  "$schema": "../schemas/intake.schema.json",\n  "schema_versie": "1.0",\n  "project"')
    assert json.loads(text) == {"$schema": "../schemas/intake.schema.json", **intake}


# --- pages and endpoints ---------------------------------------------------------------------------------


def _new_draft(client: TestClient) -> str:
    response = client.post("/nieuw", follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"].rsplit("/", 1)[1]


def test_the_form_page_names_inputs_by_pointer_and_links_help_and_errors(client: TestClient) -> None:
    page = client.get(f"/concept/{_new_draft(client)}").text
    assert 'name="/project/naam"' in page
    match = re.search(r'<input type="text" id="(f\.project\.naam)" name="/project/naam"[^>]*>', page)
    assert match and f'aria-describedby="h-{match[1]} e-{match[1]} d-{match[1]}"' in match[0]
    assert f'<label for="{match[1]}">Naam' in page
    for name in ("Controleren", "Intake opslaan", "Dossier maken"):
        assert f">{name}</button>" in page
    assert not re.search(r'(src|href|action)="(https?:)?//', page)  # every asset and link is local


def test_live_check_stores_the_draft_and_shows_the_message_at_the_field(client: TestClient, folder: Path) -> None:
    draft = _new_draft(client)
    response = client.post(f"/concept/{draft}/controle", data={"/project/naam": "ab"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert re.search(
        r'id="e-f\.project\.naam" hx-swap-oob="innerHTML"><p role="alert">.*moet minstens 3 tekens lang '
        r"zijn \(nu 2\)</p>",
        response.text,
    )
    assert "Nog niet geldig" in response.text
    restarted = TestClient(create_app(folder, [HOST]), base_url=ORIGIN)  # a new server over the same folder
    assert 'value="ab"' in restarted.get(f"/concept/{draft}").text


def test_open_check_save_and_download(client: TestClient, folder: Path) -> None:
    response = client.post("/openen", data={"pad": "minimaal.json"}, follow_redirects=False)
    draft = response.headers["location"].rsplit("/", 1)[1]
    page = client.get(f"/concept/{draft}").text
    assert "Niet gereed" in page or "Gereed voor besluit" in page
    saved = client.post(
        f"/concept/{draft}", data={"_actie": "opslaan", "_bestandsnaam": "nieuw/kopie.json"}, follow_redirects=False
    )
    assert saved.status_code == 303
    text = (folder / "nieuw" / "kopie.json").read_text("utf-8")
    schema_file = (folder / "nieuw" / json.loads(text)["$schema"]).resolve()
    assert schema_file == (Path(engine.__file__).parent.parent / "schemas" / "intake.schema.json").resolve()
    assert json.loads(text)["project"] == json.loads((folder / "minimaal.json").read_text("utf-8"))["project"]
    again = client.post(
        f"/concept/{draft}", data={"_actie": "opslaan", "_bestandsnaam": "casus1-ammoniak-sensoren.json"}
    )
    assert again.status_code == 400 and "bestaat al" in again.text
    download = client.get(f"/concept/{draft}/intake.json")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert json.loads(download.text)["project"]["naam"] == "Dashboard energieverbruik provinciale gebouwen"


def test_the_dossier_is_built_through_the_page(client: TestClient) -> None:
    draft = client.post("/openen", data={"pad": "minimaal.json"}, follow_redirects=False).headers["location"]
    response = client.post(f"{draft}/dossier", data={"_formaat": "docx"})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert 'filename="minimaal.docx"' in response.headers["content-disposition"]
    empty = _new_draft(client)
    refused = client.post(f"/concept/{empty}/dossier", data={"_formaat": "docx"}, follow_redirects=False)
    assert refused.status_code == 303 and "melding=ongeldig" in refused.headers["location"]


@pytest.mark.parametrize("example", EXAMPLES[:3], ids=lambda p: p.stem)
def test_the_json_endpoint_returns_what_check_json_prints(client: TestClient, folder: Path, example: Path) -> None:
    response = client.post(
        f"/api/check?naam={example.name}", content=example.read_bytes(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    expected = check(str(example)) | {"intake": example.name}
    assert response.json() == json.loads(json.dumps(expected))


def test_the_json_endpoint_reports_problems_in_dutch(client: TestClient) -> None:
    response = client.post(
        "/api/check",
        content=b'{"schema_versie": "1.0", "schema_versie": "1.0"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "komt twee keer voor" in response.json()["fouten"][0]["melding"]
    response = client.post(
        "/api/check", content=b'{"schema_versie": "1.0"}', headers={"content-type": "application/json"}
    )
    assert {"pointer": "/project", "melding": "verplicht veld ontbreekt"}.items() <= response.json()["fouten"][
        0
    ].items()


# --- safety -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["../geheim.json", "/etc/passwd", "sub/../../geheim.json", "link/geheim.json", ".dossier/concepten/x.json"]
)
def test_no_path_outside_the_folder_is_read(client: TestClient, folder: Path, path: str) -> None:
    outside = folder.parent / "geheim.json"
    outside.write_text('{"geheim": true}', "utf-8")
    (folder / "link").symlink_to(folder.parent, target_is_directory=True)
    response = client.post("/openen", data={"pad": path})
    assert response.status_code == 403
    assert "buiten de map" in response.text or "map met concepten" in response.text
    assert "geheim" not in response.text.replace(path, "")


@pytest.mark.parametrize("name", ["../buiten.json", "/tmp/buiten.json", "link/buiten.json"])
def test_no_path_outside_the_folder_is_written(client: TestClient, folder: Path, name: str) -> None:
    (folder / "link").symlink_to(folder.parent, target_is_directory=True)
    draft = _new_draft(client)
    response = client.post(f"/concept/{draft}", data={"_actie": "opslaan", "_bestandsnaam": name})
    assert response.status_code == 400 and "buiten de map" in response.text
    assert not (folder.parent / "buiten.json").exists() and not Path("/tmp/buiten.json").exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": ORIGIN, "sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ],
)
def test_requests_from_another_origin_are_refused(folder: Path, headers: dict[str, str]) -> None:
    client = TestClient(create_app(folder, [HOST]), base_url=ORIGIN)
    response = client.post("/nieuw", headers=headers, follow_redirects=False)
    assert response.status_code == 403 and "andere website" in response.text
    assert not (folder / ".dossier").exists()


def test_a_foreign_host_name_is_refused(folder: Path) -> None:
    client = TestClient(create_app(folder, [HOST]), base_url="http://rebound.example:8765")
    assert client.get("/").status_code == 403


def test_security_headers_allow_no_foreign_asset(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_bodies_and_uploads_are_size_capped(client: TestClient) -> None:
    response = client.post("/api/check", content=b" " * (MAX_BODY + 1), headers={"content-type": "application/json"})
    assert response.status_code == 413
    big = b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = client.post("/uploaden", files={"bestand": ("groot.json", big, "application/json")})
    assert response.status_code in (400, 413) and "te groot" in response.text


def test_an_upload_becomes_a_draft_and_bad_json_is_reported_in_dutch(client: TestClient) -> None:
    content = (ROOT / "examples" / "minimaal.json").read_bytes()
    response = client.post(
        "/uploaden", files={"bestand": ("Mijn project.json", content, "application/json")}, follow_redirects=False
    )
    assert response.status_code == 303
    assert 'value="mijn-project.json"' in client.get(response.headers["location"]).text
    response = client.post("/uploaden", files={"bestand": ("kapot.json", b'{"a": 1,}', "application/json")})
    assert response.status_code == 400 and "kapot.json:1:9:" in response.text


def _pointers(value: Any, prefix: str = "") -> list[str]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, f"{prefix}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, f"{prefix}/{index}")
    return found


@pytest.mark.parametrize(
    "replacement",
    [12, "tekst", [], {}, None, True, {"onbekend": [1, {"a": "b"}]}],
    ids=["getal", "tekst", "lijst", "object", "null", "waar", "genest"],
)
def test_an_intake_of_the_wrong_shape_is_shown_and_kept_as_it_is(
    client: TestClient, folder: Path, replacement: Any
) -> None:
    intake = json.loads((ROOT / "examples" / "casus3-bezoekersdata.json").read_text("utf-8"))
    for pointer in _pointers(intake)[::9]:
        broken = copy.deepcopy(intake)
        path = form.parse_pointer(pointer, broken)
        assert path is not None
        holder: Any = broken
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = replacement
        root = form.build_form(intake_schema(), broken, default_knowledge())
        assert form.apply_form(broken, root, _posted_as_shown(root)) == broken, pointer
    (folder / "kapot.json").write_text(json.dumps(broken), "utf-8")
    location = client.post("/openen", data={"pad": "kapot.json"}, follow_redirects=False).headers["location"]
    assert client.get(location).status_code == 200


def test_user_text_is_escaped_in_the_page(client: TestClient, folder: Path) -> None:
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    intake["project"]["naam"] = '"><script>alert(1)</script>'
    intake["project"]["<img src=x>"] = "onbekend veld"
    (folder / "xss.json").write_text(json.dumps(intake), "utf-8")
    location = client.post("/openen", data={"pad": "xss.json"}, follow_redirects=False).headers["location"]
    page = client.get(location).text
    assert "<script>alert" not in page and "<img src=x>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_text_with_line_ends_survives_the_form(client: TestClient, folder: Path) -> None:
    intake = json.loads((ROOT / "examples" / "minimaal.json").read_text("utf-8"))
    intake["project"]["beschrijving"] = "\nEerste regel\r\nTweede regel\n"
    intake["project"]["adviseur"] = "M.\nJansen"
    root = form.build_form(intake_schema(), intake, default_knowledge())
    posted = _posted_as_shown(root)
    posted["/project/adviseur"] = ["M.Jansen"]  # what a one-line input posts
    assert form.apply_form(intake, root, posted) == intake
    (folder / "regels.json").write_text(json.dumps(intake), "utf-8")
    location = client.post("/openen", data={"pad": "regels.json"}, follow_redirects=False).headers["location"]
    assert ">\n\nEerste regel" in client.get(location).text  # the parser drops the first line end, not ours


def test_pdf_is_built_through_the_page_when_libreoffice_is_there(client: TestClient) -> None:
    assert engine.pdf_available(), "LibreOffice ontbreekt: make pdf-deps"
    draft = client.post("/openen", data={"pad": "minimaal.json"}, follow_redirects=False).headers["location"]
    assert '<option value="pdf">PDF</option>' in client.get(draft).text
    response = client.post(f"{draft}/dossier", data={"_formaat": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"


def test_only_this_computer_unless_a_host_is_given(tmp_path: Path) -> None:
    hosts, warning = access("127.0.0.1", 8765, tmp_path)
    assert hosts == ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"] and warning is None
    hosts, warning = access("0.0.0.0", 8765, tmp_path)
    assert hosts is None and warning is not None and "geen authenticatie" in warning


def test_a_busy_port_and_a_missing_folder_are_usage_errors(tmp_path: Path, run: Any) -> None:
    taken = bind("127.0.0.1", 0)
    try:
        code, _, err = run("serve", tmp_path, "--port", taken.getsockname()[1], "--no-browser")
        assert code == 2 and "is al in gebruik; kies een andere met --port" in err
    finally:
        taken.close()
    code, _, err = run("serve", tmp_path / "bestaat-niet", "--no-browser")
    assert code == 2 and "map bestaat niet" in err


def test_without_javascript_items_are_added_and_removed_by_plain_posts(client: TestClient) -> None:
    draft = _new_draft(client)
    added = client.post(f"/concept/{draft}", data={"_actie": "toevoegen /besluiten"}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"].endswith("#f.besluiten.0")
    assert 'name="/besluiten/0/besluit"' in client.get(f"/concept/{draft}").text
    client.post(f"/concept/{draft}", data={"/besluiten/0/besluit": "Akkoord."}, follow_redirects=False)
    removed = client.post(f"/concept/{draft}", data={"_actie": "verwijderen /besluiten/0"}, follow_redirects=False)
    assert removed.status_code == 303
    assert 'name="/besluiten/0/besluit"' not in client.get(f"/concept/{draft}").text
