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
