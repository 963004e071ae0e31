"""tipkb: a policy recommendation and assessment knowledge base on trafficking in persons."""

from .errors import KBLoadError, QueryError, ReasoningError, TipkbError
from .stats import compute_stats
from .store import KnowledgeBase, load_kb
from .validation import ValidationReport, validate

__version__ = "0.1.0"

__all__ = [
    "KBLoadError",
    "KnowledgeBase",
    "QueryError",
    "ReasoningError",
    "TipkbError",
    "ValidationReport",
    "compute_stats",
    "load_kb",
    "validate",
]
