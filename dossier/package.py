"""Reading a .docx dossier with bounds and without ambiguity: the intake is the part the document points to.

A .docx is a zip of parts tied together by relationships. Anyone can add parts to it, so this
module never searches the zip for something that looks right: it follows the package relationship
to the main document and the main document's relationship to its custom XML part. A zip with two
entries of the same name, an encrypted entry, a second intake part, or a part larger than its
bound is refused. XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.errors import InputError, Problem
from dossier.files import ReadProblem, read_bounded

MAX_DOCX_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 128 * 1024 * 1024  # an intake of 20 MB with every character written as \uXXXX fits
INTAKE_NAMESPACE = "urn:x-dossier:intake:1"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@dataclass(frozen=True)
class EmbeddedIntake:
    """The intake part a dossier points to: its canonical JSON text and the attributes stored with it."""

    part: str
    text: str
    attributes: dict[str, str]


class Package:
    """A .docx opened for reading: its zip entries checked, parts read within MAX_PART_BYTES."""

    def __init__(self, path: Path | str) -> None:
        """Open path; raise InputError when it is not a readable, unambiguous zip package."""
        self.name = str(path)
        try:
            data = read_bounded(path, MAX_DOCX_BYTES)
        except ReadProblem as err:
            raise self.error(str(err)) from err
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as err:
            raise self.error("is geen Word-document (.docx): het is geen zip-bestand") from err
        seen: set[str] = set()
        for info in self.archive.infolist():
            if info.filename in seen:
                raise self.error(f"bevat twee onderdelen met dezelfde naam '{info.filename}'; welke Word toont is "
                                 "niet te zeggen, dus dit document wordt niet vertrouwd")
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                raise self.error(f"onderdeel '{info.filename}' is versleuteld; een dossier is nooit versleuteld")

    def error(self, message: str) -> InputError:
        """Return an InputError about this package."""
        return InputError(problems=[Problem(self.name, message=message)])

    def names(self) -> list[str]:
        """Return the entry names in zip order."""
        return self.archive.namelist()

    def read(self, member: str) -> bytes:
        """Return the bytes of one part; raise InputError when it is absent, too large or damaged."""
        try:
            info = self.archive.getinfo(member)
        except KeyError as err:
            raise self.error(f"onderdeel '{member}' ontbreekt") from err
        if info.file_size > MAX_PART_BYTES:
            raise self.error(f"onderdeel '{member}' is te groot ({info.file_size // 1024 // 1024} MB uitgepakt; "
                             f"maximaal {MAX_PART_BYTES // 1024 // 1024} MB)")
        try:
            with self.archive.open(info) as stream:  # zipfile stops at the declared size and checks the CRC
                data = stream.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError,
                EOFError) as err:
            raise self.error(f"onderdeel '{member}' is beschadigd of kan niet worden uitgepakt") from err
        if len(data) > MAX_PART_BYTES:
            raise self.error(f"onderdeel '{member}' is te groot")
        return data

    def xml(self, member: str) -> Any:
        """Return the parsed root element of an XML part (no entities, no DTD, no network)."""
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
        try:
            return etree.fromstring(self.read(member), parser)
        except etree.XMLSyntaxError as err:
            raise self.error(f"onderdeel '{member}' is geen geldige XML") from err

    def relationships(self, source: str) -> list[tuple[str, str]]:
        """Return (type, target member) for each internal relationship of the part source ('' for the package)."""
        directory, filename = posixpath.split(source)
        rels = posixpath.join(directory, "_rels", f"{filename}.rels")
        if rels not in self.archive.NameToInfo:
            return []
        found = []
        for element in self.xml(rels).iter(_RELATIONSHIPS):
            if element.get("TargetMode") == "External":
                continue
            target = element.get("Target") or ""
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(directory, target))
            found.append((element.get("Type") or "", member))
        return found

    def main_part(self) -> str:
        """Return the member name of the main document part; raise InputError when there is not exactly one."""
        mains = [target for kind, target in self.relationships("") if kind == OFFICE_DOCUMENT]
        if len(mains) != 1:
            raise self.error("is geen geldig Word-document: het hoofddocument is niet eenduidig aangewezen")
        return mains[0]

    def intake(self) -> EmbeddedIntake:
        """Return the intake part the main document points to; raise InputError when there is none, more than
        one, or another part in the package also holds an intake."""
        main = self.main_part()
        referenced = [target for kind, target in self.relationships(main) if kind == CUSTOM_XML]
        intakes = []
        for member in referenced:
            root = self.xml(member)
            if root.tag == f"{{{INTAKE_NAMESPACE}}}intake":
                intakes.append(EmbeddedIntake(member, root.text or "", {k: v for k, v in root.attrib.items()
                                                                       if isinstance(k, str)}))
        if not intakes:
            raise self.error("bevat geen ingebedde intake; alleen dossiers die met 'dossier build' zijn gemaakt, "
                             "hebben er een")
        if len(intakes) > 1:
            raise self.error("het document verwijst naar meer dan één ingebedde intake; welke geldt is niet te zeggen")
        chosen = intakes[0]
        for member in self.names():
            if member == chosen.part or not member.lower().endswith(".xml") or "_rels/" in member:
                continue
            if b"urn:x-dossier:intake" not in self.read(member):
                continue
            root = self.xml(member)
            if root.tag == f"{{{INTAKE_NAMESPACE}}}intake" or root.find(f".//{{{INTAKE_NAMESPACE}}}intake") is not None:
                raise self.error(f"bevat een tweede intake in '{member}' waar het document niet naar verwijst; "
                                 "dit document wordt niet vertrouwd")
        return chosen

    def close(self) -> None:
        """Close the zip."""
        self.archive.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
