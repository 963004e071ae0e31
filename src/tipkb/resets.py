"""Password reset links: signed with the secret key, ending after an hour, dead once used or once the password changes.

A reset token carries the account's id, the moment it ends and a fingerprint of the account's password
hash; nothing is stored. Setting a password through it changes the hash, so that token, and any other
issued before, stops working; so does any other password change. A deactivated account gets none.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from tipkb.accounts import Account, AccountError, SessionRow, UserRow, as_account, check_password, normal_email
from tipkb.db import now

RESET_HOURS = 1  # a reset link stops working after this
SALT = "tipkb-password-reset"


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def _token(secret: str, row: UserRow, moment: datetime, hours: float) -> str:
    ends = int((moment + timedelta(hours=hours)).timestamp())
    return _serializer(secret).dumps({"u": row.id, "p": _fingerprint(row.password_hash), "x": ends})


def issue(engine: Engine, secret: str, email: str, *, hours: float = RESET_HOURS,
          moment: datetime | None = None) -> tuple[Account, str] | None:
    """Return the active account of this email and a reset token for it, or None when there is no such account."""
    with Session(engine) as s:
        row = s.scalar(select(UserRow).where(UserRow.email == normal_email(email)))
        if row is None or row.active is False:
            return None
        return as_account(row), _token(secret, row, moment or now(), hours)


def issue_for(engine: Engine, secret: str, user_id: int, *, hours: float = RESET_HOURS) -> tuple[Account, str]:
    """Return an account and a reset token for it (an admin hands the link over); raise AccountError if none."""
    with Session(engine) as s:
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        if row.active is False:
            raise AccountError("active", "deactivated")
        return as_account(row), _token(secret, row, now(), hours)


def _row(s: Session, secret: str, token: str) -> UserRow | None:
    try:
        payload = _serializer(secret).loads(token or "")
        user_id, fingerprint, ends = int(payload["u"]), str(payload["p"]), int(payload["x"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if ends <= now().timestamp():
        return None
    row = s.get(UserRow, user_id)
    if row is None or row.active is False or not hmac.compare_digest(_fingerprint(row.password_hash), fingerprint):
        return None
    return row


def check(engine: Engine, secret: str, token: str) -> Account | None:
    """Return the account a reset token is for, or None if the token is forged, expired, used or outdated."""
    with Session(engine) as s:
        row = _row(s, secret, token)
        return as_account(row) if row else None


def reset(engine: Engine, secret: str, token: str, password: str) -> Account:
    """Set the password a reset token allows and end all the account's sessions; raise AccountError if refused.

    The new hash is written only where the old one is still in place, so of two uses of one token one wins.
    """
    with Session(engine) as s, s.begin():
        row = _row(s, secret, token)
        if row is None:
            raise AccountError("token", "invalid")
        check_password(password, row.email)
        changed = s.execute(update(UserRow).where(UserRow.id == row.id, UserRow.password_hash == row.password_hash)
                            .values(password_hash=generate_password_hash(password), must_change_password=False,
                                    password_expires_at=None).execution_options(synchronize_session=False))
        if changed.rowcount != 1:
            raise AccountError("token", "invalid")
        s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
        return replace(as_account(row), must_change_password=False)
