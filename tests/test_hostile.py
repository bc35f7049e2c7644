"""Hostile input: none may end in a traceback, a corrupt document or a half-written file.

Every case runs the command line in-process (``dossier.cli.main``). A failure must exit non-zero
with a Dutch sentence on stderr and leave no .docx or temporary file behind; a success must give
a schema-valid document that shows the hostile text literally.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, Run
from tests.docx_text import document_paragraphs, document_text, normalise
from tests.ooxml import assert_valid_docx


def leftovers(directory: Path) -> list[str]:
    """Return every file under directory (hidden temporary files included), relative to it."""
    if not directory.exists():
        return []
    return sorted(str(Path(root, name).relative_to(directory)) for root, _, names in os.walk(directory) for name in names)


def assert_failed_cleanly(result: Result, out_dir: Path, *fragments: str) -> str:
    """Assert a clean failure: exit 1 (a user error, not an internal one), the Dutch fragments on stderr,
    nothing on stdout, nothing written under out_dir; return stderr."""
    code, out, err = result
    assert code == 1, (code, out, err)
    assert out == "" and "interne fout" not in err, err
    for fragment in fragments:
        assert fragment in err, err
    assert leftovers(out_dir) == []
    return err


def build(run: Run, intake: Path, out_dir: Path) -> Result:
    return run("build", str(intake), "-o", str(out_dir))


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


# --- unreadable input ------------------------------------------------------------------------

def test_trailing_comma(run: Run, minimal: dict[str, Any], tmp_path: Path) -> None:
    text = json.dumps(minimal, ensure_ascii=False, indent=2)
    intake = write_text(tmp_path / "komma.json", text[: text.rindex("}")].rstrip() + ",\n}\n")
    assert_failed_cleanly(build(run, intake, tmp_path / "uit"), tmp_path / "uit", "komma.json:", "komma")


def test_truncated_file(run: Run, minimal: dict[str, Any], tmp_path: Path) -> None:
    text = json.dumps(minimal, ensure_ascii=False, indent=2)
    intake = write_text(tmp_path / "afgebroken.json", text[: len(text) // 2])
    assert_failed_cleanly(build(run, intake, tmp_path / "uit"), tmp_path / "uit", "afgebroken.json:", "houdt onverwacht op")


def test_empty_file(run: Run, tmp_path: Path) -> None:
    intake = write_text(tmp_path / "leeg.json", "")
    assert_failed_cleanly(build(run, intake, tmp_path / "uit"), tmp_path / "uit", "leeg.json", "leeg")


def test_array_instead_of_object(run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path],
                                 tmp_path: Path) -> None:
    intake = write_intake([minimal], "lijst.json")
    assert_failed_cleanly(build(run, intake, tmp_path / "uit"), tmp_path / "uit", "lijst.json", "object")


# --- oversized and deeply nested input ------------------------------------------------------

def test_five_megabyte_text_is_rejected_by_max_length(run: Run, minimal: dict[str, Any],
                                                      write_intake: Callable[..., Path], tmp_path: Path) -> None:
    minimal["project"]["beschrijving"] = "x" * (5 * 1024 * 1024)
    intake = write_intake(minimal, "groot.json")
    err = assert_failed_cleanly(build(run, intake, tmp_path / "uit"), tmp_path / "uit",
                                "/project/beschrijving", "te lang", str(5 * 1024 * 1024))
    assert len(err) < 5000, "de foutmelding herhaalt de lange tekst"


def test_five_megabyte_text_where_the_schema_has_no_limit_builds_quickly(
        run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path], tmp_path: Path) -> None:
    # "$schema" has no maxLength and is not shown: the build must neither choke on nor copy it.
    minimal["$schema"] = "x" * (5 * 1024 * 1024)
    intake = write_intake(minimal, "groot.json")
    started = time.perf_counter()
    code, _, err = build(run, intake, tmp_path / "uit")
    elapsed = time.perf_counter() - started
    assert code == 0, err
    assert elapsed < 20, f"5 MB in een genegeerd veld kostte {elapsed:.1f} s"  # a hang guard, not a benchmark
    assert_valid_docx(tmp_path / "uit" / "groot.docx")


@pytest.mark.parametrize("depth", [900, 100_000], ids=["schema-vangt", "parser-vangt"])
def test_deeply_nested_junk_in_an_optional_field(run: Run, minimal: dict[str, Any], tmp_path: Path, depth: int) -> None:
    text = json.dumps(minimal, ensure_ascii=False)
    junk = "[" * depth + "]" * depth
    intake = write_text(tmp_path / "diep.json", text[:-1] + f', "inkoop": {{"clausules": [{{"id": "data_eigendom", '
                                                            f'"parameters": {{"leverancier": {junk}}}}}]}}}}')
    err = assert_failed_cleanly(build(run, intake, tmp_path / "uit"), tmp_path / "uit", "diep.json")
    assert ("/inkoop/clausules/0/parameters/leverancier" in err) if depth < 1000 else ("genest" in err)


# --- text that a Word document cannot hold, or that looks like markup -----------------------

ILLEGAL_FIELDS = {
    ("drietrap", "willen_we_het", "toelichting"): "Voor\x00\x07na\ud800 einde",  # one-line fields refuse them
    ("project", "beschrijving"): "Begin\x0cmidden\udfff eind",
    ("drietrap", "kan_het", "toelichting"): "een\x1ftwee\x0bdrie",
    ("waarden", 0, "antwoord"): "eerste\ufffetweede\uffffderde",
}


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def test_control_characters_and_lone_surrogates(run: Run, minimal: dict[str, Any], tmp_path: Path) -> None:
    for path, value in ILLEGAL_FIELDS.items():
        _set(minimal, path, value)
    intake = write_text(tmp_path / "tekens.json", json.dumps(minimal))  # ASCII: "\ud800" stays an escape
    assert "\\ud800" in intake.read_text("ascii")

    code, _, err = build(run, intake, tmp_path / "uit")

    assert code == 0, err
    document = tmp_path / "uit" / "tekens.docx"
    assert_valid_docx(document)
    text = document_text(document)
    for path, value in ILLEGAL_FIELDS.items():
        field = "/" + "/".join(map(str, path))
        assert any(field in line and "verwijderd" in line for line in err.splitlines()), (field, err)
        kept = "".join(c for c in value if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF and ord(c) < 0xFFFE)
        assert normalise(kept) in text, (field, kept)


BREAKOUT = {
    ("project", "naam"): "Naam </w:t></w:r><w:p><w:r><w:t>erbij & <w:bogus/> ]]>",
    ("project", "centrale_vraag"): "Vraag </w:t></w:r></w:p><w:p><w:r><w:t>erbij &amp; &lt;",
    ("drietrap", "mag_het", "toelichting"): "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boem'>]>&e;",
    ("ondertekening", "gedeputeerde"): "Gedeputeerde <w:br/></w:t>",
}


def test_markup_that_tries_to_break_out_of_the_xml_appears_literally(run: Run, minimal: dict[str, Any],
                                                                     write_intake: Callable[..., Path],
                                                                     tmp_path: Path) -> None:
    for path, value in BREAKOUT.items():
        _set(minimal, path, value)
    code, _, err = build(run, write_intake(minimal, "opmaak.json"), tmp_path / "uit")

    assert code == 0, err
    document = tmp_path / "uit" / "opmaak.docx"
    assert_valid_docx(document)
    paragraphs = [normalise(p) for p in document_paragraphs(document)]
    for path, value in BREAKOUT.items():
        assert any(normalise(value) in p for p in paragraphs), (path, value)  # whole, in one paragraph


JINJA = {
    ("project", "naam"): "{{ ''.__class__.__mro__ }}",
    ("project", "centrale_vraag"): "{% for x in range(10**9) %}x{% endfor %}",
    ("project", "afdeling"): "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    ("drietrap", "kan_het", "toelichting"): "{_{ x }_} {_% if 1 %_} {%p if 1 %} {{r x }} {#c#} {%tr endfor %}",
    ("waarden", 0, "antwoord"): "{{ range(10**9)|list }} {{ cycler.__init__.__globals__.os }}",
    ("ondertekening", "portefeuille"): "{% raw %}{{ x }}{% endraw %}",
}


def test_jinja_syntax_and_sandbox_escapes_appear_literally(run: Run, minimal: dict[str, Any],
                                                           write_intake: Callable[..., Path],
                                                           tmp_path: Path) -> None:
    for path, value in JINJA.items():
        _set(minimal, path, value)
    code, _, err = build(run, write_intake(minimal, "jinja.json"), tmp_path / "uit")

    assert code == 0, err
    document = tmp_path / "uit" / "jinja.docx"
    assert_valid_docx(document)
    text = document_text(document)
    for path, value in JINJA.items():
        assert normalise(value) in text, (path, value)
    assert "<class" not in text


# --- file names and output directories ------------------------------------------------------

def test_dot_dot_in_the_intake_path_writes_only_into_the_output_directory(
        run: Run, minimal: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write_text(tmp_path / "ontsnap.json", json.dumps(minimal))
    out = tmp_path / "a" / "uit"
    out.mkdir()
    # A planted link: a build that opens the target instead of renaming onto it writes outside.
    (out / "ontsnap.docx").symlink_to(tmp_path / "doelwit.docx")
    before = set(leftovers(tmp_path)) - set(leftovers(out))

    code, stdout, err = build(run, tmp_path / "a" / "b" / ".." / ".." / "ontsnap.json", out)

    assert code == 0, err
    assert not (tmp_path / "doelwit.docx").exists(), "geschreven buiten de uitvoermap (via een symlink)"
    assert (set(leftovers(tmp_path)) - set(leftovers(out))) == before
    assert leftovers(out) == ["ontsnap.docx"] and not (out / "ontsnap.docx").is_symlink()
    assert stdout.strip() == str(out / "ontsnap.docx")
    assert_valid_docx(out / "ontsnap.docx")


@pytest.mark.parametrize("name", ["..json", ".json", "...json", "naam met spaties; $(rm -rf x) & 'quotes'.json"])
def test_odd_intake_file_names_stay_inside_the_output_directory(run: Run, minimal: dict[str, Any],
                                                                tmp_path: Path, name: str) -> None:
    source = tmp_path / "in"
    source.mkdir()
    write_text(source / name, json.dumps(minimal))
    out = tmp_path / "uit"

    code, _, err = build(run, source / name, out)

    assert code == 0, err
    assert sorted(os.listdir(tmp_path)) == ["in", "uit"]
    assert sorted(os.listdir(source)) == [name]
    written = leftovers(out)
    assert len(written) == 1 and written[0].endswith(".docx") and "/" not in written[0]
    assert_valid_docx(out / written[0])


@pytest.mark.parametrize(("where", "reason"), [("bestand/sub", "uitvoermap kan niet worden gemaakt (een deel van het pad is geen map)"),
                                               ("bestand", "is geen map")])
def test_output_directory_under_a_regular_file(run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path],
                                               tmp_path: Path, where: str, reason: str) -> None:
    # Tests run as root in CI, and root ignores file modes; nobody can make a directory in a file.
    (tmp_path / "bestand").write_text("geen map")
    out = tmp_path / where
    intake = write_intake(minimal, "intake.json")

    assert_failed_cleanly(build(run, intake, out), tmp_path / "bestand", f"{out}: {reason}")
    assert (tmp_path / "bestand").read_text() == "geen map"
    assert sorted(os.listdir(tmp_path)) == ["bestand", "intake.json"]


@pytest.mark.parametrize("out", ["/proc/self", "/proc/self/nieuw"])
def test_output_directory_that_even_root_cannot_write(run: Run, minimal: dict[str, Any],
                                                      write_intake: Callable[..., Path], out: str) -> None:
    intake = write_intake(minimal, "intake.json")

    code, stdout, err = build(run, intake, Path(out))

    assert code == 1 and stdout == "" and "interne fout" not in err, err
    assert out in err and "kan niet worden" in err, err
    assert not any(name.startswith(("intake.docx", ".intake.docx")) for name in os.listdir("/proc/self"))


# --- a build interrupted half-way -----------------------------------------------------------

@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point tempfile at an empty directory so a leaked work directory shows up."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def _interrupt(exception: BaseException, original: Callable[..., Any], when: Callable[..., bool]) -> Callable[..., Any]:
    def patched(*args: Any, **kwargs: Any) -> Any:
        if when(*args):
            raise exception
        return original(*args, **kwargs)

    return patched


def _previous_build(run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path], out: Path) -> tuple[Path, bytes]:
    """Build the intake once (the dossier a user already has), then change the intake; return (intake, old bytes)."""
    intake = write_intake(minimal, "dossier.json")
    assert build(run, intake, out)[0] == 0
    minimal["project"]["naam"] = "Een andere naam voor de tweede build"
    write_intake(minimal, "dossier.json")
    return intake, (out / "dossier.docx").read_bytes()


@pytest.mark.parametrize("exception", [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")],
                         ids=["ctrl-c", "schijf-vol"])
def test_interrupted_while_writing_the_document(run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path],
                                                 tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch,
                                                 exception: BaseException) -> None:
    out = tmp_path / "uit"
    intake, old = _previous_build(run, minimal, write_intake, out)
    # fsync runs after the bytes are in the temporary file: the worst moment to stop.
    monkeypatch.setattr("dossier.write.os.fsync",
                        _interrupt(exception, os.fsync, lambda fd: os.readlink(f"/proc/self/fd/{fd}").startswith(os.path.realpath(out))))

    code, _, err = build(run, intake, out)

    assert code == (130 if isinstance(exception, KeyboardInterrupt) else 1) and "interne fout" not in err, err
    assert ("afgebroken" in err) if isinstance(exception, KeyboardInterrupt) else ("kan niet worden geschreven" in err)
    assert leftovers(out) == ["dossier.docx"]
    assert (out / "dossier.docx").read_bytes() == old, "het vorige dossier is half overschreven"
    assert os.listdir(private_tmp) == []


def test_interrupted_at_the_rename(run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path],
                                   tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "uit"
    intake = write_intake(minimal, "dossier.json")
    monkeypatch.setattr("dossier.write.os.replace",
                        _interrupt(KeyboardInterrupt(), os.replace, lambda source, target: os.path.realpath(target).startswith(os.path.realpath(out))))

    code, _, err = build(run, intake, out)

    assert code == 130 and "afgebroken" in err and "interne fout" not in err, err
    assert leftovers(out) == []
    assert os.listdir(private_tmp) == []


def test_interrupted_while_rendering(run: Run, minimal: dict[str, Any], write_intake: Callable[..., Path],
                                     tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "uit"
    intake = write_intake(minimal, "dossier.json")

    def render_dossier(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("dossier.render.render_dossier", render_dossier)

    code, _, err = build(run, intake, out)

    assert code == 130 and "afgebroken" in err and "interne fout" not in err, err
    assert leftovers(out) == []
    assert os.listdir(private_tmp) == []
