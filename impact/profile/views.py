"""The profile page: create and revoke personal API tokens."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from impact.api.models import ApiToken
from impact.audit import trail
from impact.core.db import db
from impact.core.forms import EmptyForm
from impact.profile import bp
from impact.profile.forms import TokenForm


def _tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
        )
    )


def _page(form: TokenForm, new_token: str | None = None, status: int = 200):
    response = render_template(
        "profile/index.html", form=form, tokens=_tokens(), new_token=new_token, revoke_form=EmptyForm()
    )
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/")
@login_required
def index():
    return _page(TokenForm())


@bp.post("/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    token, plain = ApiToken.issue(current_user, form.name.data)
    trail.record("api_token.created", token, actor=current_user, changes={"name": token.name, "prefix": token.prefix})
    db.session.commit()
    # Shown once, in this response only: it is never stored in plain text, in the session or in a flash.
    return _page(TokenForm(formdata=None), new_token=plain, status=201)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    form = EmptyForm()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    if token.active:
        token.revoke()
        trail.record("api_token.revoked", token, actor=current_user, changes={"prefix": token.prefix})
        db.session.commit()
    flash(_("The token “%(name)s” is revoked and no longer works.", name=token.name), "success")
    return redirect(url_for("profile.index"))
