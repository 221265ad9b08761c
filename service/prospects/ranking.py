"""One page of prospects by last engagement, evaluating only those that can reach it.

The order is the policy's: each prospect's latest dated fact as this viewer's timeline
shows it (``activity.latest_facts``), newest first, ties oldest id first, undated ones
after in id order. Evaluating every readable prospect to keep one page cost about
1.4 s per 10,000 (bench/RESULTS.md), so the ranking is done in two steps:

1. **A bound per prospect, in SQL.** For each stored event kind, the latest event the
   policy could possibly date for this viewer's role (``policies.dating``: the shortest
   delay, the weakest evidence, the finest time level of any rule granting the role),
   read at that time level. A prospect's latest fact is never later than its largest
   bound; a prospect without one has no dated fact and is undated without evaluation.
2. **Exact evaluation, in bound order, until the page is settled.** Candidates are
   evaluated in order of their bound (newest first, then id), the first batch just
   large enough to fill ``offset + limit``. Once that many are dated, a candidate not
   yet evaluated can still reach the page only if its bound is later than the last
   place's fact, or equal with a smaller id; every later candidate is skipped. The
   page is then the top of the evaluated ones, which no skipped prospect can beat.

A page reaching past the dated prospects needs every candidate evaluated, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from policies import Policy, TimeLevel
from policies.dating import DatingWindow, bound_of, dating_windows
from service.models import Event, Prospect, User, utcnow
from service.prospects.activity import latest_facts, shown_time

__all__ = ["by_last_engagement"]

# Ids per IN list: far under SQLite's and PostgreSQL's bound-parameter limits.
_ID_CHUNK = 900

Latest = dict[int, dict[str, Any] | None]


def _window_clause(window: DatingWindow) -> Any:
    clauses = [col(Event.kind) == window.kind]
    if window.cutoff is not None:
        clauses.append(col(Event.occurred_at) <= window.cutoff)
    if window.evidence is not None:
        clauses.append(col(Event.evidence).in_(window.evidence))
    return sa.and_(*clauses)


def _bounds(
    session: Session, *, where: Any, windows: Sequence[DatingWindow]
) -> tuple[list[int], list[tuple[datetime, int]]]:
    """Every readable prospect's id (in id order), and (bound, id) of those with a
    datable event, ranked: newest bound first, then id.

    Per prospect and time level, the latest event inside the windows read at that
    level: one correlated probe each of the (prospect, time) index, newest first,
    which stops at the first event inside a window instead of reading them all
    (kinds read at the same level share a probe, since reading at a level keeps the
    order).
    """
    by_level: dict[TimeLevel, list[DatingWindow]] = {}
    for window in windows:
        by_level.setdefault(window.time, []).append(window)
    levels = list(by_level)
    probes = [
        sa.select(col(Event.occurred_at))
        .where(
            col(Event.prospect_id) == col(Prospect.id),
            sa.or_(*(_window_clause(window) for window in group)),
        )
        .order_by(col(Event.occurred_at).desc())
        .limit(1)
        .scalar_subquery()
        for group in by_level.values()
    ]
    rows = session.connection().execute(
        sa.select(col(Prospect.id), *probes).where(where).order_by(col(Prospect.id))
    )
    ids: list[int] = []
    ranked: list[tuple[datetime, int]] = []
    for prospect_id, *latest in rows:
        assert prospect_id is not None  # a primary key
        ids.append(prospect_id)
        bounds = [
            bound_of(moment, level)
            for moment, level in zip(latest, levels, strict=True)
            if moment is not None
        ]
        if bounds:
            ranked.append((max(bounds), prospect_id))
    # ids ascending already; a stable sort by bound, newest first, keeps them so on ties
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    return ids, ranked


def _load(session: Session, ids: Sequence[int]) -> dict[int, Prospect]:
    loaded: dict[int, Prospect] = {}
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        for prospect in session.exec(select(Prospect).where(col(Prospect.id).in_(chunk))):
            assert prospect.id is not None
            loaded[prospect.id] = prospect
    return loaded


def _rank_key(pair: tuple[datetime, int]) -> tuple[float, int]:
    return (-pair[0].timestamp(), pair[1])


def by_last_engagement(
    session: Session, *, policy: Policy, user: User, where: Any, limit: int, offset: int
) -> tuple[list[Prospect], Latest]:
    """One page ranked by the latest visible fact, newest first; undated ones after.

    The same page, in the same order and with the same facts, as evaluating every
    prospect ``where`` selects (see the module docstring for why it is not done so).
    """
    now = utcnow()  # one moment for the bounds and the evaluation: the bounds hold at it
    readable, candidates = _bounds(
        session, where=where, windows=dating_windows(policy, role=user.role, now=now)
    )
    wanted = offset + limit
    latest: Latest = {}
    loaded: dict[int, Prospect] = {}
    dated: list[tuple[datetime, int]] = []  # (shown time, id) of the evaluated
    done = 0
    while done < len(candidates):
        if len(dated) >= wanted:
            dated.sort(key=_rank_key)
            last_time, last_id = dated[wanted - 1]
            end = done
            # A candidate reaches the page only with a bound later than the last place,
            # or equal to it and an older id (its fact is at most its bound).
            while end < len(candidates) and (
                candidates[end][0] > last_time
                or (candidates[end][0] == last_time and candidates[end][1] < last_id)
            ):
                end += 1
            if end == done:
                break
        else:  # not enough dated yet: fill the page, growing geometrically
            end = min(len(candidates), done + max(wanted - len(dated), done))
        batch = _load(session, [prospect_id for _, prospect_id in candidates[done:end]])
        loaded.update(batch)
        facts = latest_facts(
            session, policy=policy, user=user, prospects=list(batch.values()), now=now
        )
        latest.update(facts)
        for prospect_id, fact in facts.items():
            moment = shown_time(fact.get("when")) if fact else None
            if moment is not None:
                dated.append((moment, prospect_id))
        done = end
    dated.sort(key=_rank_key)
    page_ids = [prospect_id for _, prospect_id in dated[offset:wanted]]
    if len(page_ids) < limit and done == len(candidates):
        # Past the dated ones: every other readable prospect, in id order.
        shown = {prospect_id for _, prospect_id in dated}
        need = limit - len(page_ids)
        skip = max(0, offset - len(dated))
        for readable_id in readable:
            if readable_id in shown:
                continue
            if skip:
                skip -= 1
                continue
            page_ids.append(readable_id)
            need -= 1
            if not need:
                break
        missing = [prospect_id for prospect_id in page_ids if prospect_id not in loaded]
        loaded.update(_load(session, missing))
    return [loaded[prospect_id] for prospect_id in page_ids], latest
