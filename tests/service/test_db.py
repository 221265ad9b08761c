"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from service.auth import service as service_users
from service.auth.invitations import invite
from service.auth.keys import hash_api_key
from service.auth.service import authenticate, ensure_admin
from service.auth.sessions import SignInLocked, SignInRefused, sign_in
from service.auth.throttle import MAX_FAILURES_PER_ADDRESS
from service.db import create_db_engine, migrate, migrate_to
from service.models import (
    Event,
    Message,
    Person,
    Prospect,
    Suppression,
    User,
    UTCDateTime,
    utcnow,
)
from service.people import service as people
from service.runtime import Runtime
from service.tracking.partitions import is_event_partition
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.factories import client_at
from tests.migrations import blank_database


class TestMigrations:
    def test_the_migrated_schema_matches_the_models(self, runtime: Runtime) -> None:
        with runtime.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                # The event table's monthly partitions are the database's, not the models'.
                opts={"compare_type": True, "include_name": _not_a_partition},
            )
            assert compare_metadata(context, SQLModel.metadata) == []

    def test_migrating_twice_changes_nothing(self, runtime: Runtime) -> None:

        migrate(runtime.engine)
        with runtime.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() is not None

    def test_events_are_ready_for_time_partitions(self, runtime: Runtime) -> None:
        # PostgreSQL partitions a table by time only if every unique key includes it.
        inspector = sa.inspect(runtime.engine)
        unique_keys = [
            index["column_names"] for index in inspector.get_indexes("event") if index["unique"]
        ]
        unique_keys += [key["column_names"] for key in inspector.get_unique_constraints("event")]
        if runtime.engine.dialect.name == "postgresql":
            unique_keys.append(inspector.get_pk_constraint("event")["constrained_columns"])
        assert ["event_key", "occurred_at"] in unique_keys
        assert all("occurred_at" in columns for columns in unique_keys), unique_keys


@pytest.mark.skipif(POSTGRES_URL is None, reason="PostgreSQL only")
class TestPostgresSessions:
    def test_a_session_reads_times_in_utc_whatever_the_server_zone(self) -> None:
        assert POSTGRES_URL is not None
        elsewhere = sa.make_url(POSTGRES_URL).update_query_dict(
            {"options": "-c TimeZone=Europe/Paris"}
        )
        engine = create_db_engine(elsewhere.render_as_string(hide_password=False))
        try:
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SHOW TimeZone").scalar() == "UTC"
                now = connection.exec_driver_sql("SELECT now()").scalar()
                assert now.tzinfo is UTC  # no zoneinfo conversion per value
        finally:
            engine.dispose()


def _not_a_partition(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name is not None and is_event_partition(name))


def _migrate_to(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    migrate_to(engine, revision, down=down)


class TestVisitorIdsMoveOntoTheirClicks:
    """Migration 0005: a click's visitor id leaves the visitor table for the click's row."""

    NOW = "2026-11-20 10:00:00.000000"

    def test_upgrade_keeps_every_id_whose_click_is_known_and_downgrade_restores_the_rows(
        self, tmp_path: Path
    ) -> None:
        engine = create_db_engine(f"sqlite:///{tmp_path}/old.db")
        _migrate_to(engine, "0004")
        with engine.begin() as connection:
            run = connection.exec_driver_sql
            run(
                "INSERT INTO user (id, name, role, api_key_hash, created_at) "
                f"VALUES (1, 'rep', 'rep', 'h', '{self.NOW}')"
            )
            run(
                "INSERT INTO prospect (id, ref, owner_id, email, created_at) "
                f"VALUES (7, 'p7', 1, 'p@example.com', '{self.NOW}')"
            )
            for key, kind in (("click-key", "click"), ("visit-key", "visit")):
                run(
                    "INSERT INTO event (event_key, kind, prospect_id, occurred_at, received_at,"
                    " evidence, reasons) VALUES "
                    f"('{key}', '{kind}', 7, '{self.NOW}', '{self.NOW}', 'human', '')"
                )
            run(
                "INSERT INTO visitor (id, prospect_id, click_event_key, created_at) VALUES "
                f"('vid-of-click', 7, 'click-key', '{self.NOW}'), "
                f"('vid-before-keys', 7, NULL, '{self.NOW}')"
            )

        _migrate_to(engine, "head")
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT kind, visitor_id FROM event ORDER BY kind"
            ).all()
        assert [tuple(row) for row in rows] == [("click", "vid-of-click"), ("visit", None)]
        assert "visitor" not in sa.inspect(engine).get_table_names()

        _migrate_to(engine, "0004", down=True)
        with engine.connect() as connection:
            visitors = connection.exec_driver_sql(
                "SELECT id, prospect_id, click_event_key FROM visitor"
            ).all()
            clicks = connection.exec_driver_sql(
                "SELECT visitor_id FROM event WHERE kind = 'click'"
            ).all()
        assert [tuple(row) for row in visitors] == [("vid-of-click", 7, "click-key")]
        assert [tuple(row) for row in clicks] == [(None,)]
        engine.dispose()


class TestPeopleCarryOver:
    """Migration 0006: existing users keep their keys; names become unique; one bootstrap."""

    NOW = "2026-11-20 10:00:00"

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        """A database at 0005 holding the users the old start-up left behind."""
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0005")
            with engine.begin() as connection:
                for user_id, name, role, key in (
                    (1, "admin", "admin", "first-admin-key"),
                    (2, "admin", "admin", "second-admin-key"),  # a restart with a new key made it
                    (3, "Rita", "rep", "rita-key"),
                ):
                    connection.execute(
                        sa.text(
                            'INSERT INTO "user" (id, name, role, api_key_hash, created_at) '
                            "VALUES (:id, :name, :role, :hash, :now)"
                        ),
                        {
                            "id": user_id,
                            "name": name,
                            "role": role,
                            "hash": hash_api_key(key),
                            "now": self.NOW,
                        },
                    )
                connection.execute(
                    sa.text(
                        "INSERT INTO prospect (id, ref, owner_id, email, created_at) "
                        "VALUES (7, 'p7', 3, 'p@example.com', :now)"
                    ),
                    {"now": self.NOW},
                )
                if request.param == "postgresql":  # explicit ids leave the sequence behind
                    connection.execute(
                        sa.text("SELECT setval(pg_get_serial_sequence('\"user\"', 'id'), 3)")
                    )
            yield engine

    def test_users_keep_their_keys_and_the_oldest_admin_becomes_the_bootstrap_one(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            users = {user.id: user for user in session.exec(select(User))}
            assert [users[i].name for i in (1, 2, 3)] == ["admin", "admin #2", "Rita"]
            assert [users[i].bootstrap for i in (1, 2, 3)] == [True, False, False]
            assert all(user.active and user.password_hash is None for user in users.values())
            assert authenticate(session, api_key="rita-key") == users[3]
            assert session.get(Prospect, 7) is not None

    def test_a_new_admin_key_then_replaces_the_bootstrap_admins_key(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            ensure_admin(session, api_key="third-admin-key")
            admin = authenticate(session, api_key="third-admin-key")
            assert admin is not None and admin.id == 1
            assert authenticate(session, api_key="first-admin-key") is None
            assert len(session.exec(select(User).where(User.role == "admin")).all()) == 2

    def test_downgrading_gives_keyless_users_a_placeholder_and_keeps_the_rest(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            invite(session, actor=None, name="Nina", role="rep")
        migrate_to(old_install, "0005", down=True)
        with old_install.connect() as connection:
            names = connection.execute(sa.text('SELECT name FROM "user" ORDER BY id')).scalars()
            assert list(names) == ["admin", "admin #2", "Rita", "Nina"]
            tables = sa.inspect(connection).get_table_names()
        assert "user_session" not in tables and "invitation" not in tables


class TestPeopleFromProspectRecords:
    """Migration 0010: records grouped into people by normalised address; opt-outs become
    suppressions; refusals move to the person; downgrading puts the flags back."""

    NOW = "2026-11-20 10:00:00"
    OPTED = "2026-11-21 09:00:00"
    LATER = "2026-11-22 09:00:00"

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        """A database at 0009 where two reps hold one person, and a third person stands
        alone; one record of the first opted out twice over, another refused GPC."""
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0009")
            with engine.begin() as connection:
                run = connection.execute
                for user_id, name in ((1, "Rob"), (2, "Rita")):
                    run(
                        sa.text(
                            'INSERT INTO "user" (id, name, role, api_key_hash, created_at) '
                            "VALUES (:id, :name, 'rep', :hash, :now)"
                        ),
                        {"id": user_id, "name": name, "hash": f"h{user_id}", "now": self.NOW},
                    )
                for prospect_id, owner, email, opted, refused in (
                    (1, 1, "ben@globex.com", self.LATER, None),
                    (2, 2, " Ben@Globex.com", self.OPTED, self.LATER),
                    (3, 2, "anna@example.com", None, None),
                ):
                    run(
                        sa.text(
                            "INSERT INTO prospect (id, ref, owner_id, email, opted_out_at, "
                            "tracking_refused_at, created_at) "
                            "VALUES (:id, :ref, :owner, :email, :opted, :refused, :now)"
                        ),
                        {
                            "id": prospect_id,
                            "ref": f"p{prospect_id}",
                            "owner": owner,
                            "email": email,
                            "opted": opted,
                            "refused": refused,
                            "now": self.NOW,
                        },
                    )
                run(
                    sa.text(
                        "INSERT INTO message (id, ref, prospect_id, sender_id, subject, html, "
                        "link_count, sent_at, created_at) "
                        "VALUES (1, 'm1', 1, 1, 'Hi', '<p/>', 0, :now, :now)"
                    ),
                    {"now": self.NOW},
                )
                run(
                    sa.text(
                        "INSERT INTO event (event_key, kind, prospect_id, message_id, "
                        "occurred_at, received_at, evidence, reasons) VALUES "
                        "('k1', 'email_sent', 1, 1, :now, :now, 'confirmed', 'sent_by_candor')"
                    ),
                    {"now": self.NOW},
                )
                if request.param == "postgresql":  # explicit ids leave the sequences behind
                    for table in ('"user"', "prospect", "message"):
                        run(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 3)"))
            yield engine

    def test_records_of_one_address_share_a_person_whose_consent_is_the_earliest(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            records = {p.id: p for p in session.exec(select(Prospect))}
            assert records[1].person_id == records[2].person_id != records[3].person_id
            ben = session.get(Person, records[1].person_id)
            assert ben is not None and ben.tracking_refused_at is not None
            assert ben.tracking_refused_at.isoformat().startswith("2026-11-22T09:00")
            [suppression] = session.exec(select(Suppression)).all()
            assert suppression.address_hash == ben.address_hash
            assert suppression.reason == "opted_out"
            assert suppression.created_at.isoformat().startswith("2026-11-21T09:00")
            assert people.hash_of(session, "BEN@globex.com ") == ben.address_hash
            assert people.consent_of(session, records[3].person_id).opted_out is False
            [sent] = session.exec(select(Event)).all()
            assert sent.evidence == "sent"

    def test_a_record_added_after_the_upgrade_joins_its_person(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            existing = session.get(Prospect, 3)
            assert existing is not None
            assert people.person_for(session, "anna@example.com") == existing.person_id
            assert people.person_for(session, "new@example.com") != existing.person_id

    def test_downgrading_gives_each_record_its_persons_flags(self, old_install: sa.Engine) -> None:
        migrate_to(old_install, "head")
        migrate_to(old_install, "0009", down=True)
        with old_install.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT id, opted_out_at IS NOT NULL, tracking_refused_at IS NOT NULL "
                    "FROM prospect ORDER BY id"
                )
            ).all()
            evidence = connection.execute(sa.text("SELECT evidence FROM event")).scalar()
            tables = sa.inspect(connection).get_table_names()
        assert [tuple(row) for row in rows] == [(1, True, True), (2, True, True), (3, False, False)]
        assert evidence == "confirmed"
        assert not {"person", "suppression", "instance_secret"} & set(tables)


class TestOnlyRepsHaveAManager:
    """0012: the manager link goes from every user who is not a rep; a rep's stays."""

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0010")
            with engine.begin() as connection:
                for user_id, name, role, manager_id in (
                    (1, "Mia", "manager", None),
                    (2, "Rita", "rep", 1),
                    (3, "Cora", "compliance", 1),
                    (4, "Max", "manager", 1),
                    (5, "Ada", "admin", 1),
                ):
                    connection.execute(
                        sa.text(
                            'INSERT INTO "user" (id, name, role, manager_id, created_at) '
                            "VALUES (:id, :name, :role, :manager_id, '2026-11-20 10:00:00')"
                        ),
                        {"id": user_id, "name": name, "role": role, "manager_id": manager_id},
                    )
            yield engine

    def test_only_the_reps_keep_their_manager(self, old_install: sa.Engine) -> None:
        migrate_to(old_install, "head")
        with old_install.connect() as connection:
            rows = connection.execute(sa.text('SELECT id, manager_id FROM "user" ORDER BY id'))
            assert [tuple(row) for row in rows] == [
                (1, None),
                (2, 1),
                (3, None),
                (4, None),
                (5, None),
            ]
        migrate_to(old_install, "0010", down=True)


class TestSignInFailuresPerAddress:
    """0013: failures carry a digest of the address, and a lock says what it locks."""

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0012")
            now = utcnow()
            with engine.begin() as connection:
                connection.execute(
                    _OLD_FAILURES.insert(),
                    [
                        {"name": "rita", "at": now - timedelta(minutes=1), "locks_until": None},
                        {
                            "name": "max",
                            "at": now - timedelta(minutes=2),
                            "locks_until": now + timedelta(minutes=13),
                        },
                    ],
                )
            yield engine

    def test_failures_are_kept_from_an_unknown_address_and_a_lock_stays_the_names(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with old_install.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT name, client, locks FROM sign_in_failure ORDER BY name")
            )
            assert [tuple(row) for row in rows] == [("max", None, "name"), ("rita", None, None)]
        with Session(old_install) as session:
            service_users.create(session, name="Max", role="rep", password=PASSWORD)
            with pytest.raises(SignInLocked) as caught:  # from any address, as before
                sign_in(session, name="Max", password=PASSWORD, client=client_at())
            assert caught.value.budget == "name"
        migrate_to(old_install, "0012", down=True)

    def test_downgrading_lifts_the_locks_of_one_address_and_keeps_the_names(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            for _ in range(MAX_FAILURES_PER_ADDRESS):
                with pytest.raises(SignInRefused):
                    sign_in(session, name="Ana", password=PASSWORD, client=client_at())
        migrate_to(old_install, "0012", down=True)
        with old_install.connect() as connection:
            locks = connection.execute(
                sa.text("SELECT name FROM sign_in_failure WHERE locks_until IS NOT NULL")
            )
            assert [row.name for row in locks] == ["max"]


PASSWORD = "a long enough passphrase"
# sign_in_failure as migration 0006 made it, before 0013.
_OLD_FAILURES = sa.table(
    "sign_in_failure",
    sa.column("name", sa.String()),
    sa.column("at", UTCDateTime()),
    sa.column("locks_until", UTCDateTime()),
)


class TestMessagesKeepTheirContentNotes:
    """0015: each message may keep what pixel.foreign found; older ones have none."""

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0014")
            with engine.begin() as connection:
                run = connection.execute
                now = {"now": "2026-11-20 10:00:00"}
                run(
                    sa.text(
                        'INSERT INTO "user" (id, name, role, created_at) '
                        "VALUES (1, 'Rita', 'rep', :now)"
                    ),
                    now,
                )
                run(
                    sa.text(
                        "INSERT INTO person (id, address_hash, created_at) VALUES (1, 'h1', :now)"
                    ),
                    now,
                )
                run(
                    sa.text(
                        "INSERT INTO prospect (id, ref, owner_id, person_id, email, created_at) "
                        "VALUES (1, 'p1', 1, 1, 'anna@example.com', :now)"
                    ),
                    now,
                )
                run(
                    sa.text(
                        "INSERT INTO message (id, ref, prospect_id, sender_id, subject, html, "
                        "link_count, sent_at, created_at) "
                        "VALUES (1, 'm1', 1, 1, 'Hi', '<p/>', 0, :now, :now)"
                    ),
                    now,
                )
            yield engine

    def test_an_earlier_message_has_no_notes_and_a_new_one_keeps_its_sentences(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            earlier = session.get(Message, 1)
            assert earlier is not None and earlier.content_notes is None
            earlier.content_notes = ["An image from evil.example loads when the email is opened."]
            session.add(earlier)
            session.commit()
        with Session(old_install) as session:
            again = session.get(Message, 1)
            assert again is not None
            assert again.content_notes == [
                "An image from evil.example loads when the email is opened."
            ]
        migrate_to(old_install, "0014", down=True)
        assert "content_notes" not in {
            column["name"] for column in sa.inspect(old_install).get_columns("message")
        }
