"""Adoptions and check-ins: who took a practice where, and how it is going.

A member adopts a published practice for a jurisdiction, then checks in: a date,
a status, progress in per cent, KPI observations and lessons. Only the adopter
checks in on an adoption. Per practice, :meth:`adoption_summary` gives each KPI's
change per adopter (last observed value minus first, by check-in date) and the
median of those changes across adopters.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.checkins_csv import read_checkins
from govlab.community.records import (
    KPI,
    Adoption,
    AdoptionSummary,
    CheckIn,
    KpiChange,
    validated,
)
from govlab.errors import Conflict, InvalidInput, NotFound, located
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.models import Status

NOT_REPORTED = "not reported"


def adoption_row(tx: Tx, adoption_id: int) -> dict[str, Any]:
    """The stored row of adoption ``adoption_id``; NotFound if there is none."""
    row = tx.conn.execute(select(ct.adoptions).where(ct.adoptions.c.id == adoption_id)).first()
    if row is None:
        raise NotFound(f"No adoption number {adoption_id}.")
    return dict(row._mapping)


def _adoption(row: dict[str, Any]) -> Adoption:
    return Adoption.model_validate(row | {"created": aware(row["created"])})


class AdoptionsMixin(SessionBase):
    """Adopting practices and checking in on them."""

    def adopt(
        self,
        practice_id: str,
        jurisdiction: str,
        *,
        country: str | None = None,
        started: date | str | None = None,
        note: str = "",
    ) -> Adoption:
        """Record that this member is adopting a published practice in ``jurisdiction``."""
        draft = validated(
            Adoption,
            {
                "practice_id": practice_id,
                "jurisdiction": jurisdiction,
                "country": country,
                "started": started,
                "note": note,
            },
            what="adoption",
        )

        def work(tx: Tx) -> Adoption:
            self._require("adopt", tx)
            practice = self._head(tx, practice_id)
            if practice.status != Status.published:
                raise Conflict(f"Only published practices can be adopted; {practice_id!r} is not.")
            row = draft.model_dump(exclude={"id"}) | {"member": self.member, "created": self._now()}
            try:
                key = int(tx.conn.execute(insert(ct.adoptions).values(row)).inserted_primary_key[0])  # type: ignore[index]
            except IntegrityError:
                raise Conflict(
                    f"{self.member} has already adopted {practice_id!r} in {draft.jurisdiction}."
                ) from None
            saved = _adoption(row | {"id": key})
            after = saved.model_dump(mode="json") | {"practice_author": practice.author}
            self._audit(tx, "adoption.add", key, after=after)
            return saved

        return self._write(work)

    def adoptions(
        self, practice_id: str | None = None, *, member: str | None = None
    ) -> list[Adoption]:
        """Adoptions, of one practice and/or by one member, oldest first."""

        def work(tx: Tx) -> list[Adoption]:
            a = ct.adoptions
            query = select(a).order_by(a.c.id)
            if practice_id is not None:
                query = query.where(a.c.practice_id == practice_id)
            if member is not None:
                query = query.where(a.c.member == member)
            return [_adoption(dict(r._mapping)) for r in tx.conn.execute(query)]

        return self._read(work)

    def check_in(
        self,
        adoption_id: int,
        *,
        day: date | str,
        status: str,
        progress: int,
        kpis: Iterable[KPI | dict[str, Any]] = (),
        lessons: str = "",
    ) -> CheckIn:
        """Report on one's own adoption: status, progress %, KPI observations, lessons."""
        draft = validated(
            CheckIn,
            {
                "adoption_id": adoption_id,
                "day": day,
                "status": status,
                "progress": progress,
                "kpis": list(kpis),
                "lessons": lessons,
            },
            what="check-in",
        )
        return self._write(lambda tx: self._check_in(tx, draft))

    def _check_in(self, tx: Tx, draft: CheckIn, source: str = "") -> CheckIn:
        adoption = adoption_row(tx, draft.adoption_id)
        self._require_on("check_in", adoption["member"], tx)
        row = draft.model_dump(exclude={"id", "kpis"}) | {"member": self.member}
        row |= {"status": draft.status.value, "created": self._now()}
        key = int(tx.conn.execute(insert(ct.checkins).values(row)).inserted_primary_key[0])  # type: ignore[index]
        if draft.kpis:
            rows = [kpi.model_dump() | {"checkin_id": key} for kpi in draft.kpis]
            tx.conn.execute(insert(ct.kpi_observations), rows)
        saved = draft.model_copy(update={"id": key, "member": self.member})
        after = saved.model_dump(mode="json") | {"practice_id": adoption["practice_id"]}
        if source:
            after["source"] = source
        self._audit(tx, "checkin.add", key, after=after)
        return saved

    def import_checkins(self, csv_path: str | Path) -> int:
        """Add every check-in in a CSV file, or (on any bad row) none of them.

        See :mod:`govlab.community.checkins_csv` for the columns. Returns how many
        check-ins were added.
        """
        planned = read_checkins(csv_path)
        name = Path(csv_path).name

        def work(tx: Tx) -> int:
            a = ct.adoptions
            mine = select(a.c.practice_id, a.c.jurisdiction, a.c.id).where(
                a.c.member == self.member
            )
            index = {(p, j): key for p, j, key in tx.conn.execute(mine)}
            for entry in planned:
                key = index.get((entry.practice, entry.jurisdiction))
                if key is None:
                    message = (
                        f"{self.member} has no adoption of {entry.practice!r} in "
                        f"{entry.jurisdiction!r} (adopt it first)"
                    )
                    raise InvalidInput(
                        located(message, file=name, row=entry.row, field="jurisdiction")
                    )
                draft = CheckIn(
                    adoption_id=key,
                    day=entry.day,
                    status=entry.status,
                    progress=entry.progress,
                    lessons=entry.lessons,
                    kpis=entry.kpis,
                )
                self._check_in(tx, draft, source=name)
            return len(planned)

        return self._write(work)

    def checkins(self, adoption_id: int) -> list[CheckIn]:
        """An adoption's check-ins, by date."""
        return self._read(lambda tx: _checkins(tx, [adoption_id]).get(adoption_id, []))

    def adoption_summary(self, practice_id: str) -> AdoptionSummary:
        """Adoptions, jurisdictions, latest statuses and each KPI's median change."""

        def work(tx: Tx) -> AdoptionSummary:
            self._head(tx, practice_id)
            taken = [
                dict(r._mapping)
                for r in tx.conn.execute(
                    select(ct.adoptions).where(ct.adoptions.c.practice_id == practice_id)
                )
            ]
            reports = _checkins(tx, [a["id"] for a in taken])
            return summarise_adoptions(practice_id, taken, reports)

        return self._read(work)


def _checkins(tx: Tx, adoption_ids: list[int]) -> dict[int, list[CheckIn]]:
    if not adoption_ids:
        return {}
    c, k = ct.checkins, ct.kpi_observations
    query = select(c).where(c.c.adoption_id.in_(adoption_ids)).order_by(c.c.day, c.c.id)
    rows = [dict(r._mapping) for r in tx.conn.execute(query)]
    kpis: dict[int, list[KPI]] = defaultdict(list)
    if rows:
        observed = select(k).where(k.c.checkin_id.in_([r["id"] for r in rows]))
        for obs in tx.conn.execute(observed):
            kpis[obs.checkin_id].append(
                KPI(indicator=obs.indicator, value=obs.value, unit=obs.unit, period=obs.period)
            )
    out: dict[int, list[CheckIn]] = defaultdict(list)
    for row in rows:
        row.pop("created")
        out[row["adoption_id"]].append(CheckIn.model_validate(row | {"kpis": kpis[row["id"]]}))
    return out


def summarise_adoptions(
    practice_id: str, taken: list[dict[str, Any]], reports: dict[int, list[CheckIn]]
) -> AdoptionSummary:
    """The summary from adoption rows and their check-ins (ordered by date)."""
    names = [a["jurisdiction"] for a in taken]
    label = {
        a["id"]: a["jurisdiction"] if names.count(a["jurisdiction"]) == 1
        else f"{a['jurisdiction']} ({a['member']})"
        for a in taken
    }  # fmt: skip
    statuses: dict[str, int] = defaultdict(int)
    series: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(dict)
    for adoption in taken:
        history = reports.get(adoption["id"], [])
        statuses[history[-1].status.value if history else NOT_REPORTED] += 1
        for report in history:
            for kpi in report.kpis:
                values = series[(kpi.indicator, kpi.unit)].setdefault(label[adoption["id"]], [])
                values.append(kpi.value)
    changes = []
    for (indicator, unit), by_place in sorted(series.items()):
        deltas = {place: v[-1] - v[0] for place, v in by_place.items() if len(v) >= 2}
        changes.append(
            KpiChange(
                indicator=indicator,
                unit=unit,
                adopters=len(deltas),
                median_change=statistics.median(deltas.values()) if deltas else None,
                changes=deltas,
            )
        )
    return AdoptionSummary(
        practice_id=practice_id,
        adoptions=len(taken),
        jurisdictions=sorted(set(names)),
        statuses=dict(statuses),
        kpis=changes,
    )
