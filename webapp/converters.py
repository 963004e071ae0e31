"""URL converters: an `int` that only matches ids the database can hold, so a huge id is a 404 and not an overflow."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL's `integer`, the type of every id column; SQLite holds more, never less
MAX_DIGITS = len(str(MAX_ID))


class BoundedIntConverter(IntegerConverter):
    """Match a non-negative whole number no larger than MAX_ID (or the rule's own `max`)."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)

    def to_python(self, value: str) -> int:
        # Checked before int(): a 5,000-digit number would hit Python's limit on digits and raise a ValueError.
        if len(value.lstrip("-")) > MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Make BoundedIntConverter the app's `int` converter; call it before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter
