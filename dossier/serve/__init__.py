"""dossier serve: a local web form for writing an intake, with live validation and derivation beside it."""
