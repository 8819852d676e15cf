"""Personal API tokens. Only a SHA-256 hash is stored; the token itself is shown once, when it is made."""

import hashlib
import secrets
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.models import User
from impact.core.db import UTCDateTime, db, utcnow

TOKEN_PREFIX = "imp_"  # noqa: S105  (a public marker that makes leaked tokens easy to scan for)
DISPLAY_LENGTH = 12  # "imp_" and 8 characters: enough to tell tokens apart, useless to an attacker


def hash_token(token: str) -> str:
    # The token carries 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(DISPLAY_LENGTH))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user``; returns the row (added, not committed) and the plain token to show once."""
        plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, prefix=plain[:DISPLAY_LENGTH], token_hash=hash_token(plain))
        db.session.add(token)
        db.session.flush()
        return token, plain

    @classmethod
    def find_active(cls, plain: str) -> Optional["ApiToken"]:
        """The unrevoked token matching ``plain`` whose user is still active, else None."""
        token = db.session.scalar(sa.select(cls).where(cls.token_hash == hash_token(plain)))
        if token is None or token.revoked_at is not None or not token.user.active:
            return None
        return token

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = utcnow()

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… user={self.user_id}>"
