"""What a running Candor process holds: settings, engine, signer, short-lived windows."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlmodel import Session

from pixel.tokens import TokenSigner
from policies import resolve_policy
from service.auth.service import ensure_admin
from service.compliance.policy_store import ActivePolicy, ensure_active_policy, get_active_policy
from service.config import Settings, spool_directory
from service.db import create_db_engine, migrate
from service.people.keys import ensure_address_key
from service.signing import UnknownKeys, load_signing_keys
from service.tracking.partitions import ensure_partitions
from service.tracking.shared import BURST_SECONDS, SharedWindows
from service.tracking.snapshot import Snapshot, read_snapshot
from service.tracking.spool import Spool
from service.tracking.targets import Targets
from service.tracking.writer import EventWriter

__all__ = [
    "ExpiringSet",
    "PolicyCache",
    "Runtime",
    "RuntimeDep",
    "build_runtime",
    "get_runtime",
    "prepare_database",
]


class ExpiringSet:
    """A bounded, thread-safe map of recent keys to values, forgotten after ``ttl`` seconds.

    The collector uses it for replay suppression and for "every link at once" bursts.
    It lives in one process: with several workers or replicas the writer also checks
    each batch against Redis (``service.tracking.shared``, docs/collector.md). Expired keys leave a few at a time, at each ``put``: two
    generations of dicts dropped whole were cheaper per hit, but freeing 50,000 entries
    at once paused every request in flight (open p99 13 -> 18 ms).
    """

    def __init__(self, ttl: float, max_items: int = 100_000) -> None:
        self.ttl = ttl
        self.max_items = max_items
        self._items: OrderedDict[object, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: object) -> object | None:
        """The value stored under ``key`` within the last ``ttl`` seconds, or None."""
        now = time.monotonic()
        with self._lock:
            entry = self._items.get(key)
            if entry is None or now - entry[0] > self.ttl:
                return None
            return entry[1]

    def put(self, key: object, value: object = True) -> None:
        """Remember ``key`` from now on."""
        now = time.monotonic()
        items = self._items
        with self._lock:
            if key in items:
                items.move_to_end(key)  # a new key is appended last already
            items[key] = (now, value)
            while len(items) > self.max_items:
                items.popitem(last=False)
            # Oldest first: drop the expired head, usually none or one.
            while now - next(iter(items.values()))[0] > self.ttl:
                items.popitem(last=False)

    def add_if_absent(self, key: object, value: object = True) -> bool:
        """Store ``key`` and return True, or return False when it is already fresh."""
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and time.monotonic() - entry[0] <= self.ttl:
                return False
        self.put(key, value)
        return True


class PolicyCache:
    """The active policy, re-read at most every few seconds so hits cost no query.

    While the database cannot be read, the policy last read stays in force; a process
    that started without the database uses the snapshot's (``fallback``), else the one
    ``CANDOR_POLICY`` names.
    """

    def __init__(
        self,
        engine: sa.Engine,
        ttl: float = 5.0,
        *,
        fallback: Callable[[], ActivePolicy] | None = None,
    ) -> None:
        self._engine = engine
        self._ttl = ttl
        self._fallback = fallback
        self._value: ActivePolicy | None = None
        self._read_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> ActivePolicy:
        """The active policy as of at most ``ttl`` seconds ago."""
        with self._lock:
            if self._value is None or time.monotonic() - self._read_at > self._ttl:
                try:
                    with Session(self._engine) as session:
                        self._value = get_active_policy(session)
                except sa.exc.SQLAlchemyError:
                    if self._value is None:
                        if self._fallback is None:
                            raise
                        self._value = self._fallback()
                self._read_at = time.monotonic()
            return self._value

    def invalidate(self) -> None:
        """Forget the cached policy (after an activation in this process)."""
        with self._lock:
            self._value = None


@dataclass
class Runtime:
    """Everything a request handler needs beyond its session."""

    settings: Settings
    engine: sa.Engine
    signer: TokenSigner
    policies: PolicyCache
    replays: ExpiringSet
    targets: Targets
    writer: EventWriter
    bursts: ExpiringSet = field(default_factory=lambda: ExpiringSet(ttl=BURST_SECONDS))

    @property
    def shared(self) -> bool:
        """Whether the windows are shared with other processes (the writer decides)."""
        return self.writer.shared is not None

    def close(self) -> None:
        """Flush the writer (everything acknowledged is stored or spooled) and let go."""
        self.writer.close()


# Any constant works; it only has to be the same for every Candor process.
_PREPARE_LOCK = 0x43414E44


def prepare_database(settings: Settings, engine: sa.Engine | None = None) -> None:
    """Migrate, create the months ahead's event partitions, make sure of the address key,
    activate the configured policy on a fresh install, bootstrap the admin.

    On PostgreSQL an advisory lock serialises this across replicas starting together,
    so that exactly one of them migrates and generates the signing key.
    """
    engine = engine or create_db_engine(settings.database_url)
    with _startup_lock(engine):
        migrate(engine)
        with engine.begin() as connection:  # this month and the next few (PostgreSQL)
            ensure_partitions(connection)
        with engine.begin() as connection:  # made by migration 0010; again if emptied
            ensure_address_key(connection)
        with Session(engine) as session:
            ensure_active_policy(session, name_or_path=settings.policy)
            if settings.admin_key:
                ensure_admin(session, api_key=settings.admin_key)
        load_signing_keys(settings, engine)  # generate once, before workers race for it


@contextmanager
def _startup_lock(engine: sa.Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _PREPARE_LOCK})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _PREPARE_LOCK})
            connection.commit()


def build_runtime(
    settings: Settings, engine: sa.Engine | None = None, *, prepared: bool = True
) -> Runtime:
    """The runtime for an already prepared database, or (``prepared=False``) for one
    that could not be reached at start-up: then the signing keys, the active policy and
    the known links come from the snapshot of an earlier run (``service.startup``)."""
    engine = engine or create_db_engine(settings.database_url, checkpoint_in_background=True)
    directory = spool_directory(settings)
    targets = Targets(engine, ttl=settings.target_cache_seconds)
    ready = threading.Event()
    if prepared:
        ready.set()
        signer = TokenSigner(load_signing_keys(settings, engine))
        policies = PolicyCache(engine, fallback=_configured_policy(settings))
    else:
        saved = read_snapshot(directory)
        if saved is not None:
            targets.restore(saved.messages, saved.links)
        signer = _signer_without_database(settings, engine, saved)
        fallback = _configured_policy(settings)
        if saved is not None and saved.policy is not None:
            fallback = _saved_policy(saved.policy)
        policies = PolicyCache(engine, fallback=fallback)
    return Runtime(
        settings=settings,
        engine=engine,
        signer=signer,
        policies=policies,
        replays=ExpiringSet(ttl=settings.replay_window_seconds),
        targets=targets,
        writer=EventWriter(
            engine,
            Spool(directory, max_bytes=settings.spool_max_bytes),
            prepared=ready,
            shared=_shared_windows(settings),
            connections=settings.writer_connections,
        ),
    )


def _shared_windows(settings: Settings) -> SharedWindows | None:
    if not settings.redis_url:
        return None
    return SharedWindows(
        settings.redis_url,
        replay_seconds=settings.replay_window_seconds,
        prefix=settings.redis_prefix,
    )


def _configured_policy(settings: Settings) -> Callable[[], ActivePolicy]:
    def policy() -> ActivePolicy:
        return ActivePolicy(name=settings.policy, version=0, policy=resolve_policy(settings.policy))

    return policy


def _saved_policy(policy: ActivePolicy) -> Callable[[], ActivePolicy]:
    return lambda: policy


def _signer_without_database(
    settings: Settings, engine: sa.Engine, saved: Snapshot | None
) -> TokenSigner:
    """Configured keys, a SQLite key file, or the snapshot's; else no token verifies."""
    try:
        return TokenSigner(load_signing_keys(settings, engine))
    except sa.exc.SQLAlchemyError:
        pass
    if saved is not None and saved.keys:
        return TokenSigner(saved.keys)
    return UnknownKeys()


def get_runtime(request: Request) -> Runtime:
    """The runtime of the app serving this request."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
