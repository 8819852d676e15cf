"""Importing key figures: all or nothing, bad lines named, a year imported again replaces that year; Swedish
Excel's semicolons, decimal commas and byte-order mark, and plain commas; the admin page and the command."""

import io

import pytest
import sqlalchemy as sa

from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.indicators.models import Indicator, IndicatorValue, Sex
from tests import factories
from tests.conftest import csrf_token

HEADER = "områdeskod;nyckeltalskod;nyckeltal;nyckeltal (en);år;värde;enhet;kön;källa;källänk;få\r\n"


def _csv(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + header + "".join(row + "\r\n" for row in rows)).encode("utf-8")


def _upload(client, data: bytes, name: str = "nyckeltal.csv"):
    path = "/admin/indicators/import"
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _values(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(Indicator.code, IndicatorValue.place, IndicatorValue.year, IndicatorValue.sex)
            .add_columns(IndicatorValue.value, IndicatorValue.shown, IndicatorValue.few)
            .join(IndicatorValue.indicator)
            .order_by(Indicator.code, IndicatorValue.place, IndicatorValue.year, IndicatorValue.sex)
        ).all()


@pytest.fixture
def places(app):
    """Norrby (a district) with Hässleholmen (an area, code OMR-HASSLEHOLMEN); their ids."""
    with app.app_context():
        area = factories.ensure_area()
        db.session.commit()
        return {"area": area.id, "district": area.district_id}


ROWS = (
    "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;Economic assistance;2024;12,5;%;;Kolada;https://www.kolada.se/;",
    "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;Economic assistance;2025;11,9;%;totalt;Kolada;https://www.kolada.se/;",
    "Norrby;EKBIST;Ekonomiskt bistånd;Economic assistance;2025;9,1;%;;Kolada;https://www.kolada.se/;",
    "1490;EKBIST;Ekonomiskt bistånd;Economic assistance;2025;4,2;%;;Kolada;https://www.kolada.se/;",
    "OMR-HASSLEHOLMEN;INK;Medianinkomst;Median income;2025;1 234,5;tkr;kvinnor;SCB;;",
    "OMR-HASSLEHOLMEN;INK;Medianinkomst;Median income;2025;..;tkr;män;SCB;;ja",
)


def test_an_admin_imports_a_file_with_semicolons_decimal_commas_and_a_byte_order_mark(app, client, login_as, places):
    login_as("admin")
    response = _upload(client, _csv(*ROWS))
    assert response.status_code == 302, response.get_data(as_text=True)
    area, district = f"area:{places['area']}", f"district:{places['district']}"
    assert _values(app) == [
        ("EKBIST", area, 2024, Sex.total, 12.5, "12,5", False),
        ("EKBIST", area, 2025, Sex.total, 11.9, "11,9", False),
        ("EKBIST", district, 2025, Sex.total, 9.1, "9,1", False),
        ("EKBIST", "municipality", 2025, Sex.total, 4.2, "4,2", False),
        ("INK", area, 2025, Sex.men, None, "..", True),  # as the source shows it, never a number
        ("INK", area, 2025, Sex.women, 1234.5, "1 234,5", False),
    ]
    with app.app_context():
        indicator = db.session.scalar(sa.select(Indicator).where(Indicator.code == "EKBIST"))
        assert (indicator.name_sv, indicator.name_en, indicator.unit, indicator.source) == (
            "Ekonomiskt bistånd",
            "Economic assistance",
            "%",
            "Kolada",
        )
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "indicators.import")) is not None
    page = client.get("/admin/indicators").get_data(as_text=True)
    assert "Ekonomiskt bistånd" in page and "2024–2025" in page


def test_commas_and_english_column_names_without_a_byte_order_mark(app, client, login_as, places):
    login_as("admin")
    header = "area code,indicator code,indicator name sv,indicator name en,year,value,unit,sex,source,source link\n"
    data = _csv(
        'OMR-HASSLEHOLMEN,EKBIST,Ekonomiskt bistånd,Economic assistance,2025,"12.5",%,women,Kolada,',
        header=header,
        bom=False,
    )
    assert _upload(client, data).status_code == 302
    assert [row[2:5] for row in _values(app)] == [(2025, Sex.women, 12.5)]


def test_bad_lines_are_named_and_nothing_is_imported(app, client, english, login_as, places):
    login_as("admin")
    data = _csv(
        ROWS[0],
        "OKÄND;EKBIST;Ekonomiskt bistånd;;2025;3;%;;Kolada;;",
        "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;;tjugo;3;%;;Kolada;;",
        "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;;2023;många;%;;Kolada;;",
        "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;;2022;;%;;Kolada;;",
        "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd;;2021;3;%;båda;Kolada;;",
    )
    response = _upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 4:" in page and "Line 5:" in page and "Line 6:" in page and "Line 7:" in page
    assert "Line 2:" not in page
    assert _values(app) == []
    # The unknown place is checked once the lines themselves are right.
    response = _upload(client, _csv(ROWS[0], "OKÄND;EKBIST;Ekonomiskt bistånd;;2025;3;%;;Kolada;;"))
    assert response.status_code == 422 and "Line 3:" in response.get_data(as_text=True)
    response = _upload(client, _csv(ROWS[0], ROWS[0]))
    assert response.status_code == 422 and "Line 3: the same figure as on line 2" in response.get_data(as_text=True)
    assert _values(app) == []


def test_a_missing_column_or_an_empty_file_is_refused(app, client, english, login_as, places):
    login_as("admin")
    response = _upload(client, _csv("x;y", header="områdeskod;år\r\n"))
    assert response.status_code == 422 and "no column for" in response.get_data(as_text=True)
    assert _upload(client, b"").status_code == 422
    assert _upload(client, "år;värde".encode("latin-1") + b"\xe5\n").status_code == 422


def test_importing_a_year_again_replaces_that_year_only(app, client, login_as, places):
    login_as("admin")
    assert _upload(client, _csv(*ROWS)).status_code == 302
    first = _values(app)
    assert _upload(client, _csv(*ROWS)).status_code == 302
    assert _values(app) == first  # the same file twice is the same figures once
    again = "OMR-HASSLEHOLMEN;EKBIST;Ekonomiskt bistånd (reviderat);Economic assistance;2025;10;%;;Kolada;;"
    assert _upload(client, _csv(again)).status_code == 302
    ekbist = [row for row in _values(app) if row[0] == "EKBIST"]
    # 2025 holds only the new figure (Norrby's and the municipality's 2025 figures went with it); 2024 is kept.
    assert [(row[2], row[4]) for row in ekbist] == [(2024, 12.5), (2025, 10.0)]
    assert len([row for row in _values(app) if row[0] == "INK"]) == 2  # another key figure is left alone
    with app.app_context():
        assert db.session.scalar(sa.select(Indicator.name_sv).where(Indicator.code == "EKBIST")).endswith("(reviderat)")


def test_only_an_admin_imports(client, login_as, places):
    login_as("auditor")
    assert client.get("/admin/indicators/import").status_code == 403


def test_the_command_imports_the_example_file_and_refuses_a_bad_one(app, runner, tmp_path):
    from impact.demo.indicators import EXAMPLE_FILE
    from impact.demo.organisation import ensure_areas, ensure_districts

    with app.app_context():
        ensure_areas(ensure_districts())
        db.session.commit()
    result = runner.invoke(args=["import-indicators", str(EXAMPLE_FILE)])
    assert result.exit_code == 0, result.output
    assert "384 figures of 6 indicators imported" in result.output
    result = runner.invoke(args=["import-indicators", str(EXAMPLE_FILE)])
    assert "384 earlier figures replaced" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(IndicatorValue.id))) == 384
        assert db.session.scalar(sa.select(sa.func.count(IndicatorValue.id)).where(~IndicatorValue.example)) == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("Nowhere;X;Namn;;2025;1;%;;Källa;;"))
    result = runner.invoke(args=["import-indicators", str(bad)])
    assert result.exit_code != 0 and "Line 2:" in result.output
