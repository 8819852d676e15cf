"""The public register is rate limited per client address, like the login."""

from impact.core.db import db
from impact.public.publication import set_register_open
from tests import factories
from tests.security.test_ratelimit import _limited_app, _limits_off_again  # noqa: F401  (its autouse fixture)


def test_public_pages_are_limited_per_address(app, database_url):
    with app.app_context():
        set_register_open(True, factories.create_user(roles=("admin",), department="KS"))
        db.session.commit()
    limited = _limited_app(database_url, RATELIMIT_STORAGE_URI="memory://", PUBLIC_LIMIT_PER_ADDRESS="3 per minute")
    client = limited.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert [client.get("/public/").status_code for _ in range(4)] == [200, 200, 200, 429]
    # The documents are limited like every public page (each address, each page of the register; no such
    # assessment here, so the allowed requests find nothing).
    for document in ("/public/assessments/999999.pdf", "/public/assessments/999999.docx"):
        assert [client.get(document).status_code for _ in range(4)] == [404, 404, 404, 429], document
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.8.6"
    assert other.get("/public/").status_code == 200
    assert client.get("/login").status_code == 200, "the rest of the app is not limited by the register's limit"
