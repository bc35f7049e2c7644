"""The shape of a validated intake, generated from schemas/intake.schema.json: do not edit.

Regenerate with: .venv/bin/python tools/make_intake_types.py
"""

from typing import Literal, NotRequired, TypedDict


class Signing(TypedDict):
    """/ondertekening of the intake (Ondertekening)."""

    gedeputeerde: str
    portefeuille: str
    ambtelijk_opdrachtgever: NotRequired[str]
    herbeoordeling: NotRequired[str]


class Decision(TypedDict):
    """/besluiten/* of the intake (Besluit)."""

    besluit: str
    risico: NotRequired[str]
    toelichting: NotRequired[str]


class LockInAssessment(TypedDict):
    """/inkoop/lock_in_beoordeling of the intake (Beoordeling vendor lock-in)."""

    datum: str
    uitkomst: str


class ChosenClause(TypedDict):
    """/inkoop/clausules/* of the intake (Clausule)."""

    id: str
    parameters: NotRequired[dict[str, str | int]]


class Procurement(TypedDict):
    """/inkoop of the intake (Inkoop)."""

    clausules: NotRequired[list[ChosenClause]]
    lock_in_beoordeling: NotRequired[LockInAssessment]
    data_voor_provincie: NotRequired[str]


class RejectedInstrument(TypedDict):
    """/instrumenten_afgewezen/* of the intake (Afgewezen instrument)."""

    instrument: Literal["begeleidingsethiek", "moreel_beraad", "deda", "goed_digitaal_bestuur", "iama", "data_ethiek_volwassenheidsmodel"]
    motivatie: str


class ChosenInstrument(TypedDict):
    """/instrumenten/* of the intake (Instrument)."""

    instrument: Literal["begeleidingsethiek", "moreel_beraad", "deda", "goed_digitaal_bestuur", "iama", "data_ethiek_volwassenheidsmodel"]
    motivatie: str
    planning: NotRequired[str]
    begeleider: NotRequired[str]
    deelnemers: NotRequired[int]


class ActionOption(TypedDict):
    """/handelingsopties/* of the intake (Handelingsoptie)."""

    maatregel: str
    waarden: NotRequired[list[str]]
    eigenaar: NotRequired[str]
    status: NotRequired[Literal["voorgesteld", "gepland", "uitgevoerd"]]


class Stakeholder(TypedDict):
    """/betrokkenen/* of the intake (Betrokkene)."""

    partij: str
    rol: NotRequired[str]
    wijze_van_betrekken: NotRequired[str]


class Reason(TypedDict):
    """/afweging/* of the intake (Afweging)."""

    richting: Literal["wenselijk", "onwenselijk"]
    waarden: list[str]
    omdat: str


class OwnValue(TypedDict):
    """/waarden/*/eigen of the intake (Eigen waarde)."""

    id: NotRequired[str]
    naam: str
    vraag: str


class ValueAnswer(TypedDict):
    """/waarden/* of the intake (Waarde)."""

    waarde: NotRequired[str]
    eigen: NotRequired[OwnValue]
    antwoord: str
    relevantie: NotRequired[Literal["hoog", "midden", "laag"]]


class DrietrapStep(TypedDict):
    """/drietrap/kan_het of the intake (Kan het?)."""

    oordeel: Literal["ja", "nee", "onder_voorwaarden", "onbekend"]
    toelichting: str


class Drietrap(TypedDict):
    """/drietrap of the intake (De drietrap)."""

    kan_het: DrietrapStep
    mag_het: DrietrapStep
    willen_we_het: DrietrapStep


class Supplier(TypedDict):
    """/technologie/leverancier of the intake (Leverancier)."""

    naam: str
    levert: list[Literal["algoritme", "data", "software", "hosting", "hardware", "advies"]]


class DataSource(TypedDict):
    """/technologie/databronnen/* of the intake (Databron)."""

    naam: str
    herkomst: Literal["eigen", "derde_partij", "open_data", "burgers", "sensoren"]
    toelichting: NotRequired[str]
    ketenverantwoordelijkheid: NotRequired[str]


class Technology(TypedDict):
    """/technologie of the intake (Technologie)."""

    soorten: list[Literal["sensoren", "iot", "drones", "satelliet", "camera", "locatiedata", "ai_ml", "generatieve_ai", "algoritme", "data_analyse", "platform", "cloud", "chatbot", "blockchain", "ar_vr", "robotica"]]
    persoonsgegevens: Literal["ja", "nee", "onbekend"]
    bijzondere_persoonsgegevens: NotRequired[bool]
    besluitvorming_over_personen: bool
    burgercontact: NotRequired[bool]
    databronnen: NotRequired[list[DataSource]]
    leverancier: NotRequired[Supplier]
    dpia: NotRequired[Literal["nog_niet", "gepland", "uitgevoerd", "niet_nodig"]]


class Project(TypedDict):
    """/project of the intake (Project)."""

    naam: str
    provincie: Literal["Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg", "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland"]
    afdeling: NotRequired[str]
    projectleider: str
    adviseur: str
    datum: str
    fase: Literal["idee", "verkenning", "pilot", "implementatie", "beheer", "evaluatie"]
    centrale_vraag: str
    beschrijving: str


Intake = TypedDict("Intake", {
    "$schema": NotRequired[str],
    "schema_versie": Literal["1.0"],
    "project": Project,
    "rol_provincie": list[Literal["uitvoerder", "opdrachtgever", "beleidsmaker", "subsidieverstrekker", "toezichthouder", "partner"]],
    "technologie": Technology,
    "drietrap": Drietrap,
    "waarden": list[ValueAnswer],
    "afweging": list[Reason],
    "betrokkenen": NotRequired[list[Stakeholder]],
    "handelingsopties": NotRequired[list[ActionOption]],
    "instrumenten": list[ChosenInstrument],
    "instrumenten_afgewezen": NotRequired[list[RejectedInstrument]],
    "inkoop": NotRequired[Procurement],
    "besluiten": NotRequired[list[Decision]],
    "ondertekening": Signing,
})
"""/ of the intake (Intake digitale ethiek (contract v1))."""
