"""dossier: turn a project's intake into an ethics dossier following the IPO guide (2024)."""

__version__ = "0.1.0"
