"""Recommendations: the rules, the engine that runs them, ranked and explained results with their provenance."""
