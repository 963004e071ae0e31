"""The signed-in user as Flask-Login sees it: a tipkb account (tipkb.accounts) with Flask-Login's attributes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar

from tipkb.accounts import Account


@dataclass(frozen=True)
class User(Account):
    """An account that Flask-Login can keep in a session: authenticated, not anonymous, known by its id as text."""

    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    @classmethod
    def of(cls, account: Account | None) -> User | None:
        """Return the account as a Flask-Login user, or None for no account."""
        return None if account is None else cls(**asdict(account))

    def get_id(self) -> str:
        return str(self.id)
