"""tipkb: a policy recommendation and assessment knowledge base on trafficking in persons.

The entry points below are imported when first used (PEP 562), so that `import tipkb.<module>` and the command
line do not load the database layer (SQLAlchemy, Alembic) and every other module each time.
"""

from importlib import import_module

__version__ = "0.1.0"  # the one definition: pyproject.toml and the wheel metadata read it

_EXPORTS = {  # name -> the module that defines it
    "AnswerError": "tipkb.assess.answers",
    "check_document": "tipkb.assess.answers",
    "validate_answers": "tipkb.assess.answers",
    "Questionnaire": "tipkb.assess.questionnaire",
    "QuestionnaireError": "tipkb.assess.questionnaire",
    "load_questionnaire": "tipkb.assess.questionnaire",
    "revealed_gaps": "tipkb.assess.scoring",
    "score_answers": "tipkb.assess.scoring",
    "AssessmentError": "tipkb.assess.storage",
    "AssessmentStore": "tipkb.assess.storage",
    "compute_stats": "tipkb.checks.stats",
    "ValidationReport": "tipkb.checks.validation",
    "validate": "tipkb.checks.validation",
    "KBLoadError": "tipkb.errors",
    "QueryError": "tipkb.errors",
    "ReasoningError": "tipkb.errors",
    "TipkbError": "tipkb.errors",
    "KnowledgeBase": "tipkb.store.kb",
    "load_kb": "tipkb.store.kb",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        # a submodule (tipkb.paths, tipkb.accounts…) is found by the import system, not here
        raise AttributeError(f"module 'tipkb' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
