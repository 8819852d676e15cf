"""The language is Swedish unless the person chooses English; a logged-in user's choice is kept on the account."""

from impact.core.db import db
from tests import factories
from tests.conftest import AuthActions, csrf_token


def _lang(client, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def _choose(client, code: str, next_url: str = "/") -> None:
    response = client.post(f"/language/{code}", data={"csrf_token": csrf_token(client, next_url), "next": next_url})
    assert response.status_code == 302


def _stored(app, user_id: int) -> str | None:
    with app.app_context():
        return db.session.get(factories.User, user_id).locale


def test_english_chosen_once_follows_the_account_to_a_new_browser(app, client, auth, login_as):
    user = login_as("case_officer")
    _choose(client, "en")
    assert _lang(client) == "en"
    auth.logout()

    fresh = app.test_client()
    fresh.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    assert _lang(fresh, "/login") == "sv"
    assert AuthActions(fresh).login(user.email).status_code == 302
    assert _lang(fresh) == "en"
    assert _stored(app, user.id) == "en"


def test_swedish_for_a_logged_in_user_without_a_choice_whatever_the_browser_asks(app, client, auth):
    with app.app_context():
        user = factories.create_user()
        db.session.commit()
        user_id, email = user.id, user.email
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    assert _lang(client, "/login") == "en", "before logging in, the browser's language still counts"
    auth.login(email)
    assert _lang(client) == "sv"
    assert _stored(app, user_id) is None


def test_a_choice_made_before_logging_in_is_kept_on_an_account_without_one(app, client, auth):
    with app.app_context():
        new, settled = factories.create_user(), factories.create_user(locale="sv")
        db.session.commit()
        new_id, new_email, settled_id, settled_email = new.id, new.email, settled.id, settled.email
    _choose(client, "en", "/login")
    auth.login(new_email)
    assert _lang(client) == "en" and _stored(app, new_id) == "en"
    auth.logout()
    # The same browser, another person who chose Swedish before: their account's choice wins.
    auth.login(settled_email)
    assert _lang(client) == "sv" and _stored(app, settled_id) == "sv"


def test_the_profile_page_offers_the_other_language_and_keeps_the_choice(app, client, login_as):
    user = login_as("case_officer")
    page = client.get("/profile/").get_data(as_text=True)
    assert "Impact visas för dig på svenska." in page and "Show Impact in English" in page
    response = client.post("/language/en", data={"csrf_token": csrf_token(client, "/profile/"), "next": "/profile/"})
    assert response.headers["Location"] == "/profile/"
    page = client.get("/profile/").get_data(as_text=True)
    assert "Impact is shown to you in English." in page and "Visa Impact på svenska" in page
    assert _stored(app, user.id) == "en"
