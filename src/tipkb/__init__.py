"""tipkb: a policy recommendation and assessment knowledge base on trafficking in persons."""

from .answers import AnswerError, check_document, validate_answers
from .assessments import AssessmentError, AssessmentStore
from .errors import KBLoadError, QueryError, ReasoningError, TipkbError
from .questionnaire import Questionnaire, QuestionnaireError, load_questionnaire
from .scoring import revealed_gaps, score_answers
from .stats import compute_stats
from .store import KnowledgeBase, load_kb
from .validation import ValidationReport, validate

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "AssessmentError",
    "AssessmentStore",
    "KBLoadError",
    "KnowledgeBase",
    "QueryError",
    "Questionnaire",
    "QuestionnaireError",
    "ReasoningError",
    "TipkbError",
    "ValidationReport",
    "check_document",
    "compute_stats",
    "load_kb",
    "load_questionnaire",
    "revealed_gaps",
    "score_answers",
    "validate",
    "validate_answers",
]
