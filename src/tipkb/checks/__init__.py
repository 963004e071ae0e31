"""Checks of the ontology and the KB: SHACL shapes, QC queries, OWL consistency, counts and coverage."""
