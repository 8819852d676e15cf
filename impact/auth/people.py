"""How a person is named on a page or in a PDF: name and department, and the email address whenever another
account has the same name, so that two Elin Nordins are never mistaken for one (four eyes must be visible)."""

import sqlalchemy as sa

from impact.auth import bp
from impact.auth.models import User
from impact.core.db import db


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def shared_names() -> frozenset[str]:
    """The names (compared without case and extra spaces) that more than one account has; read once per request."""
    from impact.core.request_cache import request_cache

    cache = request_cache("shared_names")
    if "names" not in cache:
        # Grouped in SQL, then again in Python so that "Elin  Nordin" and "elin nordin" count as one name too.
        rows = db.session.execute(sa.select(User.name, sa.func.count()).group_by(User.name)).all()
        seen: dict[str, int] = {}
        for name, count in rows:
            seen[_key(name)] = seen.get(_key(name), 0) + count
        cache["names"] = frozenset(key for key, count in seen.items() if count > 1)
    return cache["names"]


def name_is_shared(user: User) -> bool:
    return _key(user.name) in shared_names()


def person_text(user: User | None, *, email: bool = False) -> str:
    """``Name (Department)``, with ``, email`` added when asked or when another account has the same name."""
    if user is None:
        return ""
    text = f"{user.name} ({user.department.name})"
    if email or name_is_shared(user):
        text += f", {user.email}"
    return text


# Globals rather than context: the person macro (templates/_macros/people.html) is imported without context.
bp.add_app_template_global(name_is_shared, "name_is_shared")
bp.add_app_template_global(person_text, "person_text")
bp.add_app_template_filter(person_text, "person")
