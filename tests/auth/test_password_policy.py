"""The password policy: length, not personal, not common; shared by the admin pages, the CLI and own changes."""

import pytest

from impact.auth.password_policy import MAX_LENGTH, common_passwords, password_problems


@pytest.fixture
def ctx(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "k7mq-4xtd-9hwe-r2pn", "Blåbärssylt på fredag", "x" * 3 + "tre ord till mig"],
)
def test_acceptable_passwords(ctx, password):
    assert password_problems(password, email="nina.nyberg@boras.se", name="Nina Nyberg") == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter a password"),
        ("short1!", "at least 12 characters"),
        ("a" * (MAX_LENGTH + 1), "at most 1024 characters"),
        ("password12345", "too common"),
        ("Sommar2026!!!", "too common"),  # a common Swedish word with a year and punctuation
        ("Lösenord123456", "too common"),
        ("qwertyuiop123", "too common"),
        ("zzzzzzzzzzzzzzzz", "too common"),  # one repeated character
        ("nina.nyberg-2026", "must not contain your name"),  # the email's local part
        ("NybergNina!!2026", "must not contain your name"),  # part of the name
        ("nina nyberg rocks", "must not contain your name"),
    ],
)
def test_refused_passwords_say_why(ctx, password, message):
    problems = [
        str(problem) for problem in password_problems(password, email="nina.nyberg@boras.se", name="Nina Nyberg")
    ]
    assert problems and message in problems[0]


def test_the_common_password_lists_are_shipped_and_loaded():
    words = common_passwords()
    assert len(words) > 19_000
    assert {"123456", "password", "lösenord", "sommar"} <= words


def test_cli_refuses_a_common_password_with_exit_1(app, runner):
    with app.app_context():
        from impact.core.db import db
        from tests import factories

        factories.ensure_department("FFF")
        db.session.commit()
    result = runner.invoke(
        args=[
            "create-user",
            *("--email", "ny@test.example.com", "--name", "Ny Person", "--password", "password123456"),
            *("--department", "FFF", "--role", "case_officer"),
        ]
    )
    assert result.exit_code == 1
    assert "the password is not accepted" in result.output
    assert "too common" in result.output


def test_cli_refuses_a_short_password_with_exit_1(app, runner):
    with app.app_context():
        from impact.core.db import db
        from tests import factories

        factories.ensure_department("FFF")
        db.session.commit()
    result = runner.invoke(
        args=[
            "create-user",
            *("--email", "ny@test.example.com", "--name", "Ny Person", "--password", "kort"),
            *("--department", "FFF", "--role", "case_officer"),
        ]
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
