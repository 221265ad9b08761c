"""Bulk import: a report per row, idempotent by email for one owner, nothing half-done."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.models import Prospect, User
from service.prospects.importing import ImportRow, import_rows, parse_csv, parse_json
from service.runtime import Runtime
from tests.factories import make_user

CSV = (
    "email,name,company,industry,region\n"
    "anna@example.com,Anna,Acme,Finance,EU\n"
    "not-an-email,Bob,Beta,,\n"
    "\n"
    "ANNA@example.com,Anna again,,,\n"
    "carl@example.com,Carl,,,\n"
)


def run(runtime: Runtime, owner_id: int, rows: list[ImportRow]):  # type: ignore[no-untyped-def]
    with Session(runtime.engine) as session:
        owner = session.get(User, owner_id)
        assert owner is not None
        return import_rows(session, owner=owner, rows=rows)


def stored(runtime: Runtime) -> list[Prospect]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Prospect).order_by(Prospect.id)))  # type: ignore[arg-type]


class TestParsingCsv:
    def test_rows_keep_their_line_numbers_and_blank_lines_are_skipped(self) -> None:
        rows = parse_csv(CSV)
        assert [row.line for row in rows] == [2, 3, 5, 6]
        assert rows[0].values["company"] == "Acme"

    def test_columns_may_come_in_any_order_and_case(self) -> None:
        rows = parse_csv("\ufeffName,EMAIL\r\nAnna,anna@example.com\r\n")
        assert rows[0].values == {"name": "Anna", "email": "anna@example.com"}

    @pytest.mark.parametrize(
        "text",
        ["anna@example.com,Anna\n", "email,phone\nx@y.z,1\n", "name\nAnna\n", "email,email\n"],
    )
    def test_a_wrong_header_is_a_422_naming_the_header(self, text: str) -> None:
        with pytest.raises(HTTPException) as caught:
            parse_csv(text)
        assert caught.value.status_code == 422
        assert caught.value.detail[0]["loc"] == ["body", "header"]

    def test_an_empty_document_is_a_422_naming_the_body(self) -> None:
        with pytest.raises(HTTPException) as caught:
            parse_csv("")
        assert caught.value.detail[0]["loc"] == ["body"]

    @pytest.mark.parametrize("text", ['email,name\n"a@b.co,x\n', 'email,name\n"a"b,x\n'])
    def test_broken_quoting_is_a_422_naming_the_body(self, text: str) -> None:
        with pytest.raises(HTTPException) as caught:
            parse_csv(text)
        assert caught.value.detail[0]["loc"] == ["body"]
        assert "line" in caught.value.detail[0]["msg"]

    def test_a_quoted_cell_across_lines_counts_its_lines(self) -> None:
        rows = parse_csv('email,name\n"a@example.com","Two\nlines"\nb@example.com,B\n')
        assert [row.line for row in rows] == [2, 4]


class TestParsingJson:
    def test_items_are_numbered_from_one(self) -> None:
        assert [row.line for row in parse_json([{"email": "a@b.co"}, {}])] == [1, 2]

    @pytest.mark.parametrize("value", [{"email": "a@b.co"}, "a@b.co", None, 3])
    def test_anything_but_an_array_is_a_422_naming_the_body(self, value: object) -> None:
        with pytest.raises(HTTPException) as caught:
            parse_json(value)
        assert caught.value.detail[0]["loc"] == ["body"]


class TestImportingRows:
    def test_the_report_counts_created_and_refused_rows_with_lines_and_reasons(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        report = run(runtime, rep.id, parse_csv(CSV))
        assert (report.rows, report.created, report.updated, report.unchanged) == (4, 2, 0, 0)
        assert [(row.line, row.field) for row in report.refused] == [(3, "email"), (5, "email")]
        assert "duplicate of line 2" in report.refused[1].reason
        assert [p.email for p in stored(runtime)] == ["anna@example.com", "carl@example.com"]
        assert stored(runtime)[0].industry == "finance"

    def test_a_second_import_updates_and_never_duplicates(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        run(runtime, rep.id, parse_csv(CSV))
        again = run(
            runtime,
            rep.id,
            parse_csv("email,company,region\nanna@example.com,Acme Bank,\ncarl@example.com,,\n"),
        )
        assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
        anna = stored(runtime)[0]
        assert (anna.company, anna.region, anna.name) == ("Acme Bank", "eu", "Anna")
        assert len(stored(runtime)) == 2

    def test_the_same_email_for_another_owner_is_another_prospect(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        one, two = make_user(client), make_user(client)
        run(runtime, one.id, parse_csv(CSV))
        report = run(runtime, two.id, parse_csv(CSV))
        assert report.created == 2
        assert sorted(p.owner_id for p in stored(runtime)) == sorted([one.id] * 2 + [two.id] * 2)

    def test_json_items_that_are_not_objects_or_carry_an_owner_are_refused(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        rows = parse_json(
            [
                "x",
                {"email": "a@example.com", "owner_id": 9},
                {"email": "b@example.com", "age": 3},
                {"name": "no email"},
                {"email": "c@example.com"},
            ]
        )
        report = run(runtime, rep.id, rows)
        assert report.created == 1
        assert [(r.line, r.field) for r in report.refused] == [
            (1, None),
            (2, "owner_id"),
            (3, "age"),
            (4, "email"),
        ]

    def test_a_nul_character_or_a_comma_in_an_address_refuses_the_row(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        text = 'email,name\na@example.com,A\x00B\n"b@example.com,x",B\nc@example.com,C\n'
        report = run(runtime, rep.id, parse_csv(text))
        assert report.created == 1
        assert [(r.line, r.field) for r in report.refused] == [(2, "name"), (3, "email")]
        assert "NUL" in report.refused[0].reason

    def test_a_blank_or_missing_email_is_required_not_a_bad_address(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        csv = run(runtime, rep.id, parse_csv("email,name\n,Anna\n   ,Ben\nnope,Carl\n"))
        assert [(r.line, r.field, r.email, r.reason) for r in csv.refused] == [
            (2, "email", None, "email is required"),
            (3, "email", None, "email is required"),
            (4, "email", "nope", "email: must be an email address such as anna@example.com"),
        ]
        json_rows = run(runtime, rep.id, parse_json([{"name": "A"}, {"email": None}]))
        assert [r.reason for r in json_rows.refused] == ["email is required"] * 2

    def test_a_row_with_too_many_cells_is_refused_with_its_line(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        report = run(runtime, rep.id, parse_csv("email,name\na@example.com,A,extra\n"))
        assert report.created == 0 and report.refused[0].line == 2
