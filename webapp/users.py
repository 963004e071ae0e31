"""The signed-in user as Flask-Login sees it: a tipkb account (tipkb.accounts) with Flask-Login's attributes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar

from tipkb.accounts import Account


@dataclass(frozen=True)
class User(Account):
    """An account signed in through one session: Flask-Login knows it by "<id>:<session token>"."""

    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False
    session_token: str = ""

    @classmethod
    def of(cls, account: Account | None, session_token: str) -> User | None:
        """Return the account as a Flask-Login user of this session, or None for no account."""
        return None if account is None else cls(**asdict(account), session_token=session_token)

    def get_id(self) -> str:
        # The session cookie and the remember-me cookie carry this: it stops working when the session is ended.
        return f"{self.id}:{self.session_token}"
