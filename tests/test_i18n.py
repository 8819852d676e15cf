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
