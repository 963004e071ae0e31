"""Self-assessment: the questionnaire, answers and their checks, scoring, stored assessments, exchange formats."""
