"""Exceptions raised by tipkb; every message names the file, IRI or field at fault."""


class TipkbError(Exception):
    """Base class of every error tipkb raises on purpose."""


class KBLoadError(TipkbError):
    """A KB or ontology file cannot be read or parsed."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class QueryError(TipkbError):
    """A SPARQL query is malformed or fails."""


class ConfigError(TipkbError):
    """A configuration value is missing or invalid."""


class ReasoningError(TipkbError):
    """The OWL reasoner could not run (not: the ontology is inconsistent)."""
