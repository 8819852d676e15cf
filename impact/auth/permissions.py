"""The view decorator for roles. What a user may do with an assessment is answered by impact/assessments/access.py."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from impact.auth.roles import Role


def role_required(*roles: Role) -> Callable:
    """Log in first; then 403 unless the user holds at least one of ``roles``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
