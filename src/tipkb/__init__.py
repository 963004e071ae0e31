"""tipkb: a policy recommendation and assessment knowledge base on trafficking in persons."""

from tipkb.assess.answers import AnswerError, check_document, validate_answers
from tipkb.assess.questionnaire import Questionnaire, QuestionnaireError, load_questionnaire
from tipkb.assess.scoring import revealed_gaps, score_answers
from tipkb.assess.storage import AssessmentError, AssessmentStore
from tipkb.checks.stats import compute_stats
from tipkb.checks.validation import ValidationReport, validate
from tipkb.errors import KBLoadError, QueryError, ReasoningError, TipkbError
from tipkb.store.kb import KnowledgeBase, load_kb

__version__ = "0.1.0"  # the one definition: pyproject.toml and the wheel metadata read it

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
