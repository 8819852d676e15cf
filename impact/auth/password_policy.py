"""The password rules a municipal IT department accepts: long enough, not guessable from the account, not common.

Length beats composition rules (NIST SP 800-63B): at least 12 characters, at most 1024, not the email's local part
or the person's name, and not a common password, also when digits or punctuation are added before or after it.
"""

import gzip
import re
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 1024
DATA_DIR = Path(__file__).resolve().parent / "data"
# Digits, punctuation and whitespace people put around a common word ("Sommar2026!" is still "sommar").
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The common passwords, lower-cased, from the lists shipped in ``auth/data``."""
    with gzip.open(DATA_DIR / "common-passwords.txt.gz", "rt", encoding="utf-8") as handle:
        words = {line.strip().lower() for line in handle if line.strip()}
    sv = (DATA_DIR / "common-passwords-sv.txt").read_text(encoding="utf-8")
    words.update(line.strip().lower() for line in sv.splitlines() if line.strip())
    return frozenset(words)


def _is_common(password: str) -> bool:
    lowered = password.lower()
    candidates = {lowered, _DECORATION.sub("", lowered), lowered.replace(" ", "")}
    words = common_passwords()
    return any(candidate in words for candidate in candidates if candidate) or len(set(lowered)) <= 2


def _personal_parts(email: str | None, name: str | None) -> list[str]:
    parts = []
    if email and "@" in email:
        local = email.split("@", 1)[0].lower()
        parts.append(local)
        parts.extend(piece for piece in re.split(r"[._+-]", local) if len(piece) >= 4)
    if name:
        parts.append(re.sub(r"\s+", "", name.lower()))
        parts.extend(piece for piece in name.lower().split() if len(piece) >= 4)
    return [part for part in parts if len(part) >= 4]  # shorter ones match by chance ("ada" in "glada")


def password_problems(password: str, *, email: str | None = None, name: str | None = None) -> list:
    """Every rule ``password`` breaks, as lazy messages that say how to fix it; empty when it is acceptable."""
    if not password:
        return [_l("Enter a password")]
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("The password must be at least %(min)d characters long", min=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_l("The password must be at most %(max)d characters long", max=MAX_LENGTH))
    squashed = re.sub(r"\s+", "", password.lower())
    if any(part in squashed for part in _personal_parts(email, name)):
        problems.append(_l("The password must not contain your name or the first part of your email address"))
    elif _is_common(password):
        problems.append(_l("This password is too common and easy to guess; choose another, for example a few words"))
    return problems
