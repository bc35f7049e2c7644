"""dossier serve in a real headless browser: Playwright driving Debian's Chromium against a real server.

One browser per session, one server (``python -m dossier serve --port 0``) per module. Screenshots of the form,
empty and filled, go to $DOSSIER_SCREENSHOTS when that is set.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from dossier.cli import main
from tests.conftest import EXAMPLES

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: installeer Chromium met 'make test-deps' (Debian, als root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("map")
    for example in EXAMPLES:
        (folder / example.name).write_bytes(example.read_bytes())
    log = folder.parent / "server.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "dossier", "serve", str(folder), "--port", "0", "--no-browser"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert process.stdout is not None
    with process.stdout:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, f"server did not start: {line!r} {log.read_text()}"
        yield match[0], folder
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def _screenshot(page: Page, name: str) -> None:
    target = os.environ.get("DOSSIER_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def _field(page: Page, pointer: str):  # noqa: ANN202 - a Playwright Locator
    return page.locator(f'[name="{pointer}"]:not([type=hidden])')


def _error(page: Page, pointer: str):  # noqa: ANN202
    field_id = _field(page, pointer).first.get_attribute("id")
    return page.locator(f'[id="e-{field_id}"]')


def test_a_new_intake_from_empty_to_valid_then_saved_downloaded_and_built(
    page: Page, server: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = server
    page.goto(url)
    page.get_by_role("button", name="Nieuwe intake beginnen").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^Nog niet geldig: \d+ problemen$"))
    _screenshot(page, "formulier-leeg.png")

    # A field error appears at its field, is announced, and goes.
    name = _field(page, "/project/naam")
    name.fill("ab")
    expect(_error(page, "/project/naam").get_by_role("alert")).to_have_text(
        "Fout: moet minstens 3 tekens lang zijn (nu 2)"
    )
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", re.compile(r"\be-f\.project\.naam\b"))
    name.fill("ANPR-camera's op de N201")
    expect(_error(page, "/project/naam")).to_be_empty()
    expect(name).not_to_have_attribute("aria-invalid", "true")

    _field(page, "/project/provincie").select_option(label="Noord-Holland")
    _field(page, "/project/projectleider").fill("P. de Boer")
    _field(page, "/project/adviseur").fill("S. Yılmaz")
    _field(page, "/project/datum").fill("2025-06-01")
    _field(page, "/project/fase").select_option("pilot")
    _field(page, "/project/centrale_vraag").fill("Mogen we kentekens scannen om sluipverkeer te meten?")
    _field(page, "/project/beschrijving").fill("Camera's lezen **kentekens** op de N201.")
    expect(page.locator('[id="p-f.project.beschrijving"] strong')).to_have_text("kentekens")
    page.get_by_role("checkbox", name="Opdrachtgever").check()
    page.get_by_role("checkbox", name="Camera's").check()
    _field(page, "/technologie/persoonsgegevens").select_option("ja")
    _field(page, "/technologie/besluitvorming_over_personen").select_option(label="Nee")
    for step in ("kan_het", "mag_het", "willen_we_het"):
        _field(page, f"/drietrap/{step}/oordeel").select_option("onder_voorwaarden")
        _field(page, f"/drietrap/{step}/toelichting").fill(f"Toelichting bij {step}.")
    _field(page, "/waarden/0/waarde").fill("privacy")
    expect(page.locator('[id="d-f.waarden.0.waarde"]')).to_contain_text("Privacy")
    _field(page, "/waarden/0/antwoord").fill("Kentekens worden na het tellen direct gewist.")
    _field(page, "/afweging/0/richting").select_option("wenselijk")
    _field(page, "/afweging/0/omdat").fill("het sluipverkeer zichtbaar wordt.")
    page.get_by_role("button", name="Waarde toevoegen aan Afweging › Afweging 1 › Waarden", exact=True).click()
    expect(_field(page, "/afweging/0/waarden/0")).to_be_focused()
    _field(page, "/afweging/0/waarden/0").fill("privacy")
    _field(page, "/ondertekening/gedeputeerde").fill("R. Jansen")
    _field(page, "/ondertekening/portefeuille").fill("Mobiliteit")
    _field(page, "/ondertekening/portefeuille").blur()

    # The status changes from invalid to what the dossier itself says, and the panel shows the derivation.
    expect(page.locator("#status")).to_have_text(re.compile(r"^(Niet gereed: \d+ open punt(en)?|Gereed voor besluit)$"))
    panel = page.locator("#paneel-inhoud")
    expect(panel).to_contain_text("Privacy")
    expect(panel).to_contain_text("Open punten")
    _screenshot(page, "formulier-ingevuld.png")

    # A reload finds the draft.
    page.reload()
    expect(_field(page, "/project/naam")).to_have_value("ANPR-camera's op de N201")
    expect(_field(page, "/afweging/0/waarden/0")).to_have_value("privacy")
    expect(page.get_by_role("checkbox", name="Camera's")).to_be_checked()

    # The downloaded intake is accepted by 'dossier validate'.
    page.get_by_label("Bestandsnaam").fill("anpr.json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Intake downloaden").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "anpr.json"
    assert saved.read_text("utf-8").startswith('{\n  "$schema": ')
    assert main(["validate", str(saved)]) == 0

    # 'Intake opslaan' writes it into the served folder.
    page.get_by_role("button", name="Intake opslaan").click()
    expect(page.locator("#melding")).to_contain_text("Opgeslagen als anpr.json")
    assert (server[1] / "anpr.json").read_text("utf-8") == saved.read_text("utf-8")

    # 'Dossier maken' builds the .docx with the CLI's code.
    with page.expect_download() as download:
        page.get_by_role("button", name="Dossier maken").click()
    document = tmp_path / "anpr.docx"
    download.value.save_as(document)
    assert download.value.suggested_filename == "anpr.docx"
    with zipfile.ZipFile(document) as archive:
        assert "N201" in archive.read("word/document.xml").decode("utf-8")


def test_an_intake_opened_from_the_folder_shows_its_derivation_and_controleren_shows_all(
    page: Page, server: tuple[str, Path]
) -> None:
    url, folder = server
    page.goto(url)
    page.get_by_label("Intake in deze map").select_option("casus3-bezoekersdata.json")
    page.get_by_role("button", name="Openen").click()
    expect(_field(page, "/project/naam")).to_have_value(re.compile("."))
    panel = page.locator("#paneel-inhoud")
    expect(panel).to_contain_text("Waarden van toepassing")
    expect(panel).to_contain_text("Instrumenten")
    with page.expect_download() as download:  # through the browser and back: nothing changed
        page.get_by_role("button", name="Intake downloaden").click()
    original = json.loads((folder / "casus3-bezoekersdata.json").read_text("utf-8"))
    downloaded = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert downloaded.pop("$schema").endswith("intake.schema.json")
    original.pop("$schema", None)  # the form writes its own reference to the schema
    assert downloaded == original
    _field(page, "/project/naam").fill("")
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator("#status")).to_have_text("Nog niet geldig: 1 probleem")
    expect(page.locator("#status")).to_be_focused()
    expect(_error(page, "/project/naam")).to_have_text("Fout: verplicht veld ontbreekt")


def test_items_are_added_and_removed_with_the_keyboard(page: Page, server: tuple[str, Path]) -> None:
    url, _ = server
    page.goto(url)
    page.get_by_role("button", name="Nieuwe intake beginnen").click()
    add = page.get_by_role("button", name="Besluit toevoegen aan Besluiten", exact=True)
    add.focus()
    page.keyboard.press("Enter")
    expect(_field(page, "/besluiten/0/besluit")).to_be_focused()
    page.keyboard.type("Akkoord met de pilot.")
    _field(page, "/project/naam").fill("Pi")
    _field(page, "/project/naam").press("Enter")  # Enter in a text field checks everything; it removes nothing
    expect(page.locator("#status")).to_have_text(re.compile("^Nog niet geldig"))
    expect(_error(page, "/project/naam")).to_have_text("Fout: moet minstens 3 tekens lang zijn (nu 2)")
    expect(_error(page, "/ondertekening/gedeputeerde")).to_have_text("Fout: verplicht veld ontbreekt")
    expect(_field(page, "/besluiten/0/besluit")).to_have_value("Akkoord met de pilot.")
    page.get_by_role("button", name="Besluit 1 verwijderen uit Besluiten", exact=True).press("Enter")
    expect(_field(page, "/besluiten/0/besluit")).to_have_count(0)
    expect(add).to_be_focused()


def test_choosing_a_clause_shows_its_parameters_while_typing_goes_on(page: Page, server: tuple[str, Path]) -> None:
    url, _ = server
    page.goto(url)
    page.get_by_role("button", name="Nieuwe intake beginnen").click()
    page.get_by_role("button", name="Clausule toevoegen aan Inkoop › Clausules", exact=True).click()
    clause = _field(page, "/inkoop/clausules/0/id")
    expect(clause).to_be_focused()
    clause.press_sequentially("bewaartermijnen")
    parameter = _field(page, "/inkoop/clausules/0/parameters/bewaartermijn")
    expect(parameter).to_have_count(1)
    expect(clause).to_be_focused()
    expect(clause).to_have_value("bewaartermijnen")
    parameter.fill("x")
    expect(_error(page, "/inkoop/clausules/0/parameters/bewaartermijn")).to_contain_text("bewaartermijn")


def test_the_server_refuses_a_path_outside_its_folder_and_another_origin(page: Page, server: tuple[str, Path]) -> None:
    url, folder = server
    (folder.parent / "geheim.json").write_text('{"geheim": 1}', "utf-8")
    response = page.request.post(url + "openen", form={"pad": "../geheim.json"}, headers={"origin": url.rstrip("/")})
    assert response.status == 403 and "buiten de map" in response.text()
    drafts_before = len(list((folder / ".dossier" / "concepten").glob("*.json")))
    page.set_content(f'<form method="post" action="{url}nieuw"><button>Versturen</button></form>')
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("body")).to_contain_text("verzoek van een andere website geweigerd")
    assert len(list((folder / ".dossier" / "concepten").glob("*.json"))) == drafts_before
    request = urllib.request.Request(
        url + "api/check",
        data=b"{}",
        method="POST",
        headers={"content-type": "application/json", "origin": "http://evil.example"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    refused.value.close()
