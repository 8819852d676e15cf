"""Every string in code and templates has a Swedish translation, and the compiled catalogues are current."""

from impact.core.catalogues import extract, features, inconsistent_translations, problems


def test_every_extracted_string_is_translated_to_swedish_and_compiled():
    found = [problem for feature in features() for problem in problems(feature)]
    assert found == [], "\n".join(found)


def test_the_extractor_sees_python_and_template_strings():
    core = next(feature for feature in features() if feature.name == "core")
    ids = {message.id for message in extract(core)}
    assert "Skip to main content" in ids  # base.html
    assert "Page not found" in ids  # core/errors.py


def test_the_same_english_string_has_the_same_swedish_in_every_feature():
    assert inconsistent_translations() == []


def test_multi_line_trans_blocks_are_extracted_and_translated_the_same_way(app):
    template = app.jinja_env.from_string("{% trans %}Skip to main\n      content{% endtrans %}")
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert template.render() == "Hoppa till huvudinnehållet"


def _catalogued_sources() -> set:
    return {path.resolve() for feature in features() for path in feature.sources()}


def test_no_translatable_string_lives_outside_every_features_catalogue():
    """A string in impact/*.py or a template no feature owns would never be translated: it must move into a feature."""
    from babel.messages.extract import extract_from_file

    from impact.core.catalogues import JINJA_OPTIONS, KEYWORDS, PROJECT_DIR, TEMPLATES_DIR
    from impact.core.i18n import PACKAGE_DIR

    owned = _catalogued_sources()
    candidates = [p for p in PACKAGE_DIR.rglob("*.py") if "translations" not in p.parts] + [
        p for p in TEMPLATES_DIR.rglob("*") if p.suffix in (".html", ".svg", ".txt")
    ]
    stray = []
    for path in candidates:
        if path.resolve() in owned:
            continue
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        options = {} if path.suffix == ".py" else JINJA_OPTIONS
        for lineno, message, _comments, _context in extract_from_file(method, str(path), KEYWORDS, options=options):
            stray.append(f"{path.relative_to(PROJECT_DIR)}:{lineno}: {message!r}")
    assert stray == [], "\n".join(stray)


def test_the_notice_on_the_way_to_the_login_page_is_in_swedish(client):
    response = client.get("/assessments/", headers={"Accept-Language": "sv"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Log in to see this page." not in page
    assert "Logga in för att se sidan." in page


# One Swedish name per thing (the word list in the project's domain context): words that named the same thing
# differently, or read awkwardly, and what replaced them.
RETIRED_SWEDISH = {
    "inledande bedömning": "förprövning",
    "endast förprövning": "enbart förprövning",
    "påverkningar": "påverkan",
    "sammanfattande bedömning": "samlad bedömning",
}


def test_swedish_catalogues_use_one_word_per_thing():
    from babel.messages.pofile import read_po

    found = []
    for feature in features():
        if not feature.po_path("sv").exists():  # a feature without texts
            continue
        with feature.po_path("sv").open("rb") as handle:
            for message in read_po(handle, locale="sv"):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in filter(None, strings):
                    found += [
                        f"{feature.name}: {old!r} in {text!r}, use {new!r}"
                        for old, new in RETIRED_SWEDISH.items()
                        if old in text.lower()
                    ]
    assert found == []
