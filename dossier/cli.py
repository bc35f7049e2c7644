"""Command line: the only module that parses arguments or prints. Every command calls one library function."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dossier import __version__
from dossier.dependencies import missing_package_error
from dossier.errors import (
    EXIT_FAILURE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OPEN_POINTS,
    EXIT_TERMINATED,
    DossierError,
    UsageError,
)
from dossier.messages import printable

_ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulptekst en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "the following arguments are required: %s": "de volgende argumenten zijn verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "verwacht één argument",
    "expected at least one argument": "verwacht minstens één argument",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan passen bij %(matches)s",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
}
argparse._ = lambda text: _ARGPARSE_DUTCH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    epilog_source: Callable[[], str] | None = None  # an epilog made only when the help is shown

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: fout: {message}")

    def format_help(self) -> str:
        if self.epilog_source is not None:
            self.epilog = self.epilog_source()
        return super().format_help()


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def _err(text: str) -> None:
    """Print text on stderr, control characters escaped per line: a file name never steers the terminal."""
    for line in text.split("\n"):
        print(printable(line), file=sys.stderr)


# --- commands -------------------------------------------------------------------------------

def cmd_validate(args: argparse.Namespace) -> int:
    from dossier.validate import validate_files

    failed = 0
    for path, error in validate_files(args.intake):
        if error is None:
            if not args.quiet:
                _err(f"{path}: geldig")
        else:
            failed += 1
            for line in error.lines():
                _err(line)
    return EXIT_FAILURE if failed else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from dossier.pipeline import build_many, parse_formats

    formats = parse_formats(args.format)
    report = build_many(args.intake, Path(args.output), formats=formats, dump_context=args.dump_context,
                        progress=_err if sys.stderr.isatty() and len(args.intake) > 1 else None)
    for written in report.written:
        print(printable(str(written)))
    for path, status in report.statuses:
        _err(f"{printable(str(path))} — {status}")
    for _path, error in report.failed:
        for line in error.lines():
            _err(line)
    for line in report.warnings:
        _err(f"waarschuwing: {line}")
    for error in report.errors:
        for line in error.lines():
            _err(line)
    if len(args.intake) > 1 or report.failed or report.errors:
        _err(report.summary())
    return report.exit_code()


def cmd_check(args: argparse.Namespace) -> int:
    from dossier.pipeline import check

    result = check(args.intake)
    if args.json:
        _print_json(result)
    else:
        print(_format_check(result))
    return EXIT_OK if result["gereed"] else EXIT_OPEN_POINTS


def _format_check(result: dict[str, Any]) -> str:
    mark = {True: "x", False: " "}
    lines = [f"Controle van {result['intake']}", "", "Waarden van toepassing:"]
    for value in result["waarden"]:
        answered = "intake" in value["bron"]
        where = f", {value['plaats']}" if value.get("plaats") else ""
        lines.append(f"  [{mark[answered]}] {value['naam']} ({value['id']}{where}){'' if answered else ' - nog niet beantwoord'}")
        lines += [f"        {reason}" for reason in value["redenen"]]
    lines += ["", "Instrumenten:"]
    for item in result["instrumenten"]:
        status = " en ".join(word for source, word in (("intake", "gekozen"), ("afgeleid", "aanbevolen"))
                             if source in item["bron"])
        if "intake" not in item["bron"]:
            rejection = item.get("afgewezen_motivatie")
            status += f", afgewezen: {rejection}" if rejection else ", niet gekozen"
        lines.append(f"  - {item['naam']} ({item['id']}): {status}")
        lines += [f"        {reason}" for reason in item["redenen"]]
    if not result["instrumenten"]:
        lines.append("  geen")
    lines += ["", "Clausules:"]
    for item in result["clausules"]:
        status = " en ".join(word for source, word in (("intake", "gekozen"), ("afgeleid", "vereist")) if source in item["bron"])
        lines.append(f"  - {item['titel']} ({item['id']}, voor een {item['soort']}): {status}")
        lines += [f"        {reason}" for reason in item["redenen"]]
    if not result["clausules"]:
        lines.append("  geen")
    if result["waarschuwingen"]:
        lines += ["", "Waarschuwingen:"] + [f"  - {w}" for w in result["waarschuwingen"]]
    lines += ["", f"Open punten ({len(result['open_punten'])}):"]
    lines += [f"  {i}. {p}" for i, p in enumerate(result["open_punten"], 1)] or ["  geen"]
    lines += ["", f"{result['status']}."]
    return "\n".join(lines)


def cmd_extract(args: argparse.Namespace) -> int:
    from dossier.extract import extract

    text = extract(Path(args.document), args.output)
    if args.output is None:
        sys.stdout.write(text)
    else:
        print(args.output)
    return EXIT_OK


def cmd_choices(args: argparse.Namespace) -> int:
    from dossier.pipeline import choices

    data = choices()
    if args.json:
        _print_json(data)
        return EXIT_OK
    print("Toegestane waarden in de intake (veld: waarde — label)\n")
    for field in data["velden"]:
        print(f"{field['veld']}  {field['omschrijving']}")
        width = max(len(item["waarde"]) for item in field["waarden"])
        for item in field["waarden"]:
            print(f"    {item['waarde']:<{width}}  {item['label']}")
        print()
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from dossier.verify import verify

    verdict = verify(Path(args.document), args.trust)
    for line in verdict.lines:
        print(f"{verdict.path}: {line}")
    return verdict.exit_code


def cmd_sign(args: argparse.Namespace) -> int:
    import getpass

    from dossier.sign import passphrase_from_environment, sign

    passphrase = passphrase_from_environment()
    if passphrase is None and sys.stdin.isatty():
        passphrase = getpass.getpass("Wachtwoord van het certificaat (leeg: geen): ").encode("utf-8") or None
    target = sign(Path(args.document), Path(args.certificate), args.role, passphrase, args.output)
    _err(f"{printable(str(target))}: ondertekend in veld '{args.role}'")
    return EXIT_OK


def cmd_values(args: argparse.Namespace) -> int:
    from dossier.knowledge import default_knowledge

    knowledge = default_knowledge()
    rows = [{"id": v.id, "naam": v.name, "vraag": v.question, "bron": v.source,
             "tabel_1": v.from_table, "rij": v.row.number if v.row else None} for v in knowledge.values.values()]
    if args.json:
        _print_json({"kennisbank_versie": knowledge.version, "waarden": rows})
        return 0
    print(f"Waarden (kennisbank {knowledge.version})\n")
    for row in rows:
        origin = f"Tabel 1, rij {row['rij']}" if row["tabel_1"] else "aanvullend (niet uit Tabel 1)"
        print(f"{row['id']:<20} {row['naam']}  [{origin}]\n{'':<20} {row['vraag']}\n")
    return 0


def cmd_instruments(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from dossier.knowledge import default_knowledge

    knowledge = default_knowledge()
    if args.json:
        _print_json({"kennisbank_versie": knowledge.version,
                     "instrumenten": [asdict(i) for i in knowledge.instruments.values()],
                     "behoeften": [asdict(n) for n in knowledge.needs]})
        return 0
    print(f"Instrumenten (kennisbank {knowledge.version})\n")
    for item in knowledge.instruments.values():
        c = item.conditions
        group = f"{c.group_min}-{c.group_max} deelnemers" if c.group_min else "groepsgrootte niet gegeven"
        print(f"{item.id:<33} {item.name}\n{'':<33} {item.summary}\n{'':<33} duur: {c.duration or 'niet gegeven'}; {group}\n")
    print("Behoeften:")
    for need in knowledge.needs:
        print(f"  {need.question}\n    -> {', '.join(need.instruments)}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from dossier.serve.server import serve

    # main() holds standard output until a command is done; the server runs until interrupted, so the
    # address it is listening on goes straight to the real stream.
    stream = sys.__stdout__ or sys.stderr

    def say(line: str) -> None:
        stream.write(line + "\n")
        stream.flush()

    return serve(Path(args.folder), args.host, args.port, open_browser=not args.no_browser, say=say)


# --- parser ---------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dossier", description="Maak een ethiekdossier (Word) van de intake van een digitaal "
                     "project, volgens de Interprovinciale Gids Digitale Ethiek (IPO, 2024).")
    parser.add_argument("--version", action="version", version=f"dossier {__version__}", help="toon het versienummer en stop")
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_Parser, title="opdrachten")
    commands.required = True

    def command(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("validate", "Controleer intakes tegen het schema en de kennisbank.", cmd_validate)
    sub.add_argument("intake", nargs="+", metavar="INTAKE", help="intakebestand(en) (JSON)")
    sub.add_argument("-q", "--quiet", action="store_true", help="meld alleen fouten")

    sub = command("build", "Maak het dossier van een of meer intakes.", cmd_build)
    sub.add_argument("intake", nargs="+", metavar="INTAKE", help="intakebestand(en) (JSON)")
    sub.add_argument("-o", "--output", default="output", metavar="MAP", help="map voor de dossiers (standaard: output)")
    sub.add_argument("--format", default="docx", metavar="FORMATEN",
                     help="kommagescheiden: docx, pdf, md, html (standaard: docx)")
    sub.add_argument("--dump-context", action="store_true",
                     help="schrijf ook het model dat de template krijgt, als JSON naast het dossier")

    sub = command("check", "Toon welke waarden, instrumenten en clausules van toepassing zijn en wat nog open staat.", cmd_check)
    sub.add_argument("intake", metavar="INTAKE", help="intakebestand (JSON)")
    sub.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub = command("extract", "Haal de intake terug uit een dossier (.docx), leesbaar en met de $schema-regel.",
                  cmd_extract)
    sub.add_argument("document", metavar="DOSSIER", help="een door dossier gemaakt .docx-bestand")
    sub.add_argument("-o", "--output", metavar="BESTAND",
                     help="schrijf de intake naar BESTAND (standaard: naar standaarduitvoer)")

    sub = command("choices", "Toon de toegestane waarden van elk keuzeveld van de intake, met hun Nederlandse "
                  "labels.", cmd_choices)
    sub.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub = command("verify", "Controleer of een dossier echt is: precies wat deze versie van dossier van de "
                  "ingebedde intake maakt (.docx), of dat de handtekeningen in een PDF intact zijn. Afsluitcodes: "
                  "0 echt, 4 intake vervangen, 5 andere programmaversie, 6 andere kennisbank, 7 ander sjabloon, "
                  "8 document gewijzigd, 9 handtekening ongeldig.", cmd_verify)
    sub.add_argument("document", metavar="BESTAND", help="een door dossier gemaakt .docx-bestand of een PDF")
    sub.add_argument("--vertrouw", dest="trust", metavar="CA.pem",
                     help="vertrouwde basiscertificaten (PEM) voor de handtekeningen in een PDF")

    sub = command("onderteken", "Onderteken een PDF-dossier digitaal (PAdES) in het handtekeningveld van de "
                  "gedeputeerde of de ambtelijk opdrachtgever. Het wachtwoord van het certificaat komt uit "
                  "DOSSIER_CERTIFICAAT_WACHTWOORD of wordt gevraagd.", cmd_sign)
    sub.add_argument("document", metavar="DOSSIER.pdf", help="een PDF gemaakt met 'dossier build --format pdf'")
    sub.add_argument("--certificaat", dest="certificate", required=True, metavar="CERT.p12",
                     help="sleutel en certificaat van de ondertekenaar (PKCS#12)")
    sub.add_argument("--rol", dest="role", required=True, choices=("gedeputeerde", "ambtelijk_opdrachtgever"),
                     help="welk handtekeningveld")
    sub.add_argument("-o", "--output", metavar="BESTAND", help="schrijf de ondertekende PDF hierheen "
                     "(standaard: het dossier zelf)")

    sub = command("values", "Toon de waarden uit de kennisbank met hun begeleidende vragen.", cmd_values)
    sub.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub = command("instruments", "Toon de ethische instrumenten en behoeften uit de kennisbank.", cmd_instruments)
    sub.add_argument("--json", action="store_true", help="uitvoer als JSON")

    _add_clause_commands(command)

    sub = command("serve", "Open een formulier in de browser om een intake te schrijven, met directe controle en "
                  "afleiding; alleen bereikbaar vanaf deze computer, tenzij --host is gegeven.", cmd_serve)
    sub.add_argument("folder", nargs="?", default=".", metavar="MAP",
                     help="de map met intakes; alleen hierin wordt gelezen en geschreven (standaard: de huidige map)")
    sub.add_argument("--port", type=int, default=8765, metavar="N", help="poort (standaard: 8765; 0: een vrije poort)")
    sub.add_argument("--host", default=None, metavar="ADRES",
                     help="luister op dit adres in plaats van 127.0.0.1, bijvoorbeeld 0.0.0.0 (let op: geen authenticatie)")
    sub.add_argument("--no-browser", action="store_true", help="open de browser niet")
    return parser


# --- clauses commands (library: dossier/clauses.py) ------------------------------------------

def _setting(text: str) -> tuple[str, str]:
    """Parse one --set NAAM=WAARDE; the library checks the name and converts the value."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"'{text}' heeft niet de vorm NAAM=WAARDE, "
                                         "bijvoorbeeld --set bewaartermijn='12 maanden'")
    return name.strip(), value


def _format_clause_table(data: dict[str, Any]) -> str:
    rows = [(c["id"], c["versie"], c["titel"], c["onderwerp"]) for c in data["clausules"]]
    head = ("Id", "Versie", "Titel", "Onderwerp")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    topic = f", onderwerp {data['onderwerp']}" if data["onderwerp"] else ""
    lines = [f"Clausules (kennisbank {data['kennisbank_versie']}{topic})", "",
             line(head), line(["-" * w for w in widths])]
    lines += [line(row) for row in rows]
    count = len(rows)
    lines += ["", f"{count} {'clausule' if count == 1 else 'clausules'}. "
              "Meer over één clausule: dossier clauses show ID"]
    return "\n".join(lines)


def _format_clause(data: dict[str, Any]) -> str:
    import textwrap

    clause = data["clausule"]

    def block(text: str) -> list[str]:
        return textwrap.wrap(text, 88, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)

    lines = [f"{clause['id']}: {clause['titel']}", "",
             f"Onderwerp:   {clause['onderwerp_naam']} ({clause['onderwerp']})",
             f"Versie:      {clause['versie']} (kennisbank {data['kennisbank_versie']})",
             f"Toepassing:  {', '.join(clause['toepassing'])}",
             f"Bron:        {clause['bron']}"]
    for text in clause["teksten"].values():
        lines += ["", f"Tekst voor een {text['soort']}:", *block(text["tekst"])]
    lines += ["", "Parameters:"]
    for p in clause["parameters"]:
        kind = {"geheel_getal": "geheel getal", "termijn": "termijn in " + ", ".join(p["eenheden"])}.get(p["type"], p["type"])
        bounds = "".join(f", {word} {p[key]}" for key, word in (("minimum", "minimaal"), ("maximum", "maximaal"))
                         if p[key] is not None)
        lines.append(f"  {{{p['naam']}}}  {kind}{bounds}; standaard: {p['standaard']}")
        lines += textwrap.wrap(p["omschrijving"], 86, initial_indent="      ", subsequent_indent="      ")
    if not clause["parameters"]:
        lines.append("  geen")
    lines += ["", "Toelichting:", *block(clause["toelichting"]), "", "Herkomst:", *block(clause["herkomst"]),
              "", "Normen buiten de gids:"]
    lines += [f"  {n['norm']}: {n['onderdeel']}" for n in clause["normen"]] or ["  geen"]
    return "\n".join(lines)


def cmd_clauses_list(args: argparse.Namespace) -> int:
    from dossier.clauses import list_clauses

    data = list_clauses(args.topic)
    if args.json:
        _print_json(data)
    else:
        print(_format_clause_table(data))
    return 0


def cmd_clauses_show(args: argparse.Namespace) -> int:
    from dossier.clauses import describe_clause

    data = describe_clause(args.id)
    if args.json:
        _print_json(data)
    else:
        print(_format_clause(data))
    return 0


def cmd_clauses_export(args: argparse.Namespace) -> int:
    from dossier.pipeline import export_annex

    result = export_annex(args.ids, topic=args.topic, intake=args.intake, settings=dict(args.set),
                          format=args.format, output=args.output, family=args.family)
    if result.text is not None:
        sys.stdout.write(result.text)
    else:
        print(result.path)
    for line in result.annex.warnings:
        _err(f"waarschuwing: {line}")
    count, defaults = len(result.annex.clauses), result.annex.defaults
    _err(f"{count} {'clausule' if count == 1 else 'clausules'} geëxporteerd (kennisbank "
         f"{result.annex.knowledge_version}); "
         + (f"{defaults} {'standaardwaarde' if defaults == 1 else 'standaardwaarden'} gemarkeerd: controleer ze."
            if defaults else "geen standaardwaarden."))
    return 0


def _topics_epilog() -> str:
    from dossier.clauses import topics

    return "onderwerpen: " + "; ".join(f"{topic_id} ({name})" for topic_id, name in topics())


def _list_topics_in_help(parser: argparse.ArgumentParser) -> None:
    """Make the parser's help end with the clause topics, read from the knowledge base only when shown."""
    if isinstance(parser, _Parser):
        parser.epilog_source = _topics_epilog


def _add_clause_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register 'dossier clauses list|show|export'."""
    clauses = command("clauses", "Toon en exporteer modelclausules voor inkoop- en subsidievoorwaarden "
                      "(hoofdstuk 3, thema 4 'Aanbesteding').", cmd_clauses_list)
    sub_commands = clauses.add_subparsers(dest="clauses_command", metavar="OPDRACHT", parser_class=_Parser,
                                          title="opdrachten")
    sub_commands.required = True

    def sub_command(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = sub_commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = sub_command("list", "Toon de clausules uit de kennisbank: id, versie, titel en onderwerp.", cmd_clauses_list)
    sub.add_argument("--topic", metavar="ONDERWERP", help="alleen clausules over dit onderwerp: de id of de naam, "
                     "in hoofd- of kleine letters (zie de lijst hieronder)")
    _list_topics_in_help(sub)
    sub.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub = sub_command("show", "Toon één clausule volledig: tekst, parameters, toelichting, bron en versie.",
                      cmd_clauses_show)
    sub.add_argument("id", metavar="ID", help="id van de clausule, bijvoorbeeld data_eigendom")
    sub.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub = sub_command("export", "Exporteer clausules als genummerde bijlage voor een overeenkomst, subsidiebeschikking "
                      "of samenwerkingsovereenkomst (Word of Markdown), met ingevulde parameters; standaardwaarden "
                      "zijn gemarkeerd. Zonder ID, --topic, --for of --family: alle clausules.", cmd_clauses_export)
    sub.add_argument("ids", nargs="*", metavar="ID", help="id's van de clausules (standaard: alle)")
    sub.add_argument("--topic", metavar="ONDERWERP", help="alleen clausules over dit onderwerp: de id of de naam "
                     "(zie de lijst hieronder)")
    _list_topics_in_help(sub)
    sub.add_argument("--family", metavar="SOORT",
                     help="de teksten voor deze soort document: inkoop (overeenkomst), subsidie "
                          "(subsidiebeschikking) of samenwerking; standaard: volgt uit de rol van de provincie in de "
                          "intake, zonder intake de eerste soort van elke clausule")
    sub.add_argument("--for", dest="intake", metavar="INTAKE",
                     help="de clausules die deze intake kiest en die de afleiding vereist, met de parameters uit "
                          "de intake")
    sub.add_argument("--set", action="append", type=_setting, default=[], metavar="NAAM=WAARDE",
                     help="geef parameter NAAM de waarde WAARDE in elke geëxporteerde clausule die haar heeft, "
                          "bijvoorbeeld leverancier='Acme B.V.', bewaartermijn='24 uur' of provincie=Utrecht "
                          "(herhaalbaar)")
    sub.add_argument("--format", choices=("docx", "md"), default=None,
                     help="docx (Word) of md (Markdown); standaard: md bij -o - of een .md-naam, anders docx")
    sub.add_argument("-o", "--output", metavar="BESTAND",
                     help="uitvoerbestand (standaard: output/inkoopclausules.docx of .md); - schrijft Markdown "
                          "naar standaarduitvoer")


class _Terminated(KeyboardInterrupt):
    """Raised in the main process when it receives SIGTERM, so a batch stops as it does on Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated()


def _publish(text: str, code: int) -> int:
    """Write the buffered standard output; return the exit code to use.

    A reader that went away (``| head``, ``| grep -q``) changes nothing: the exit code still says
    what happened to the dossier. Any other failure (a full disk, ``> /dev/full``) is an output error
    with a Dutch message, exit code 1 unless the command already failed.
    """
    from dossier.errors import os_reason

    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return code
    except OSError as err:
        _silence_stdout()
        _err(f"dossier: de uitvoer kan niet worden geschreven ({os_reason(err)})")
        return code or 1
    return code


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's own flush at exit cannot fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Standard output is held until the command is done and written after everything on standard
    error, so errors come first and the exit code never depends on whether stdout can be written.
    """
    import io
    import signal
    import threading

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    real_stdout, buffer = sys.stdout, io.StringIO()
    sys.stdout = buffer
    try:
        code = _run(argv)
    except SystemExit as exit:  # --help and --version: print what argparse wrote, then exit as it asked
        sys.stdout = real_stdout
        _publish(buffer.getvalue(), 0)
        raise exit
    finally:
        sys.stdout = real_stdout
    return _publish(buffer.getvalue(), code)


def _run(argv: Sequence[str] | None) -> int:
    """Parse the arguments and run one command; return its exit code, reporting errors on stderr."""
    try:
        parser = build_parser()
        if not (sys.argv[1:] if argv is None else argv):  # a user who types just 'dossier' wants to see what it does
            parser.print_help()
            return EXIT_OK
        args = parser.parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except DossierError as err:
        for line in err.lines():
            _err(line)
        return err.exit_code
    except _Terminated:
        _err("afgebroken (SIGTERM)")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _err("afgebroken")
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug, not bad input: say so plainly, keep the traceback for DOSSIER_DEBUG
        missing = missing_package_error(err) if isinstance(err, ModuleNotFoundError) else None
        if missing is not None:  # an incomplete installation, not a bug
            _err(str(missing))
            return missing.exit_code
        if os.environ.get("DOSSIER_DEBUG"):
            raise
        _err(f"interne fout in dossier ({type(err).__name__}: {err}); meld dit aan de beheerders, "
             "met DOSSIER_DEBUG=1 voor de details")
        return EXIT_INTERNAL
