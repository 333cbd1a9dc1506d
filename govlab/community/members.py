"""Members: joining, roles, profiles, followed topics and peers.

The first member of a new library is its admin. Joining is serialised (SQLite's
``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so two people opening a new
library at the same moment cannot both become admin.
"""

from __future__ import annotations

import re
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import func, insert, select, text, update

from govlab.community import policy
from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.policy import Role
from govlab.community.records import PROFILE_FIELDS, Member, validated
from govlab.community.settings import setting
from govlab.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govlab.library.engine import is_sqlite
from govlab.library.records import aware
from govlab.library.store import Store, Tx
from govlab.text import clean, name_key

GUIDELINES_VERSION = "1"
NAME_RE = re.compile(r"^[\w.@+-]{1,200}$")
JOIN_LOCK = 0x60B1AC  # PostgreSQL advisory lock key for joining
LEVEL_BONUS = 0.2  # peers: same level of government
COUNTRY_BONUS = 0.1  # peers: same country


def guidelines_text() -> str:
    """The community guidelines shipped with govlab (Markdown)."""
    return resources.files("govlab.community").joinpath("guidelines.md").read_text("utf-8")


RESERVED = ("govlab-seed", "govlab", "visitor", "anonymous", "nobody", "system")
"""Names no one may join under: the seed library's author and govlab's own roles."""


def check_name(name: str) -> str:
    """``name`` stripped, or InvalidInput if it is not a usable member name."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if not NAME_RE.match(name):
        raise InvalidInput(
            f"{name!r} is not a usable member name: use letters, digits and . _ @ + - only."
        )
    if name_key(name) in {name_key(reserved) for reserved in RESERVED}:
        raise InvalidInput(f"{name!r} is a name govlab keeps for itself: choose another name.")
    return name


def _look_alike(tx: Tx, name: str) -> None:
    """Conflict if an existing member's name compares equal to ``name`` (see name_key)."""
    m = ct.members
    query = select(m.c.name).where(m.c.name_key == name_key(name), m.c.name != name)
    other = tx.conn.execute(query.limit(1)).scalar_one_or_none()
    if other is not None:
        raise Conflict(
            f"The name {name!r} looks the same as {other!r}, who is already a member: "
            "choose a name that reads differently."
        )


def member_row(tx: Tx, name: str) -> dict[str, Any]:
    """The stored row of member ``name``; NotFound if there is none."""
    row = tx.conn.execute(select(ct.members).where(ct.members.c.name == name)).first()
    if row is None:
        raise NotFound(f"No member called {name!r}.")
    return dict(row._mapping)


def to_member(row: dict[str, Any]) -> Member:
    """A :class:`Member` from a stored row (times made aware, internal columns dropped)."""
    data = dict(row)
    data.pop("guidelines_version", None)
    data.pop("name_key", None)
    for key in ("joined", "guidelines_accepted"):
        if data.get(key) is not None:
            data[key] = aware(data[key])
    return Member.model_validate(data)


def _new_row(name: str, role: Role, at: datetime) -> dict[str, Any]:
    return {"name": name, "name_key": name_key(name), "role": role.value, "display_name": ""} | {
        "organisation": "",
        "jurisdiction": "",
        "topics": [],
        "bio": "",
        "joined": at,
    }


def is_member(store: Store, name: str) -> bool:
    """Whether ``name`` is a member (a read: opening the library as a member writes nothing)."""
    with store.reading() as tx:
        exists = select(ct.members.c.name).where(ct.members.c.name == name)
        return tx.conn.execute(exists).first() is not None


def join(store: Store, name: str) -> bool:
    """Make ``name`` a member if it is not one; True if it joined now.

    The person who created the library joins as its admin (see :func:`_is_creator`).
    Others join as members while the ``open_membership`` setting is on (the default);
    otherwise a facilitator adds them. A name that looks like an existing member's is refused.
    """
    if is_member(store, name):
        return False

    def work(tx: Tx) -> bool:
        if not is_sqlite(tx.conn):
            tx.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": JOIN_LOCK})
        exists = select(ct.members.c.name).where(ct.members.c.name == name)
        if tx.conn.execute(exists).first() is not None:
            return False
        _look_alike(tx, name)
        count = tx.conn.execute(select(func.count()).select_from(ct.members)).scalar_one()
        if count and setting(tx, "open_membership") is False:
            raise PermissionDenied(
                f"{name} is not a member of this library; ask a facilitator to add you."
            )
        role = Role.admin if _is_creator(tx, name, first=not count) else Role.member
        row = _new_row(name, role, tx.now())
        tx.conn.execute(insert(ct.members).values(row))
        tx.audit(name, "member.join", name, after={"role": role.value}, at=row["joined"])
        return True

    return bool(store.retrying(work))


def name_admin(store: Store, name: str) -> bool:
    """Make ``name`` the admin of a library that has none; False if it has one already.

    For a library a tool created for no one (see :func:`_is_creator`): whoever can
    reach its database names its admin. Not a session method, so no service exposes it.
    """
    name = check_name(name)

    def work(tx: Tx) -> bool:
        if not is_sqlite(tx.conn):
            tx.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": JOIN_LOCK})
        m = ct.members
        if tx.conn.execute(select(m.c.name).where(m.c.role == Role.admin.value)).first():
            return False
        if tx.conn.execute(select(m.c.name).where(m.c.name == name)).first() is None:
            _look_alike(tx, name)
            tx.conn.execute(insert(m).values(_new_row(name, Role.admin, tx.now())))
        else:
            tx.conn.execute(update(m).where(m.c.name == name).values(role=Role.admin.value))
        tx.audit(name, "member.admin_named", name, after={"role": Role.admin.value})
        return True

    return bool(store.retrying(work))


def _is_creator(tx: Tx, name: str, *, first: bool) -> bool:
    """Whether ``name`` created the library (and so joins it as its admin).

    A library created before govlab recorded its creator counts its first member as
    its creator. One created by a tool for no one has no admin until the tool's
    operator names one (``govlab init --admin NAME``).
    """
    created = tx.setting("created")
    if created is None:
        return first
    return bool(created.get("by") == name)


class MembersMixin(SessionBase):
    """Members, roles, profiles, followed topics and peers."""

    def guidelines(self) -> str:
        """The community guidelines (openness, respect, evidence), in Markdown."""
        return guidelines_text()

    def accept_guidelines(self) -> Member:
        """Record that this member accepted the community guidelines."""

        def work(tx: Tx) -> Member:
            self._role_in(tx)
            before = member_row(tx, self.member)
            changes = {"guidelines_accepted": self._now(), "guidelines_version": GUIDELINES_VERSION}
            self._update(tx, self.member, changes)
            self._audit(tx, "member.guidelines", self.member, after={"version": GUIDELINES_VERSION})
            return to_member({**before, **changes})

        return self._write(work)

    def add_member(self, name: str, role: Role | str = Role.member) -> Member:
        """Add a member with a role (facilitators; only admins add admins)."""
        name, wanted = check_name(name), policy.role_named(str(role))

        def work(tx: Tx) -> Member:
            self._require("add_member", tx)
            if wanted != Role.member:
                self._require("grant_admin" if wanted == Role.admin else "grant_role", tx)
            exists = select(ct.members.c.name).where(ct.members.c.name == name)
            if tx.conn.execute(exists).first() is not None:
                raise Conflict(f"{name} is already a member.")
            _look_alike(tx, name)
            row = _new_row(name, wanted, self._now())
            tx.conn.execute(insert(ct.members).values(row))
            self._audit(tx, "member.add", name, after={"role": wanted.value})
            return to_member(row)

        return self._write(work)

    def grant(self, name: str, role: Role | str) -> Member:
        """Give a member another role (facilitators; the admin role only by admins)."""
        wanted = policy.role_named(str(role))

        def work(tx: Tx) -> Member:
            self._require("grant_role", tx)
            before = member_row(tx, name)
            if Role.admin in (wanted, before["role"]):
                self._require("grant_admin", tx)
            if before["role"] == Role.admin and wanted != Role.admin:
                admins = select(func.count()).where(ct.members.c.role == Role.admin.value)
                if tx.conn.execute(admins).scalar_one() == 1:
                    raise Conflict(f"{name} is the only admin; make someone else admin first.")
            self._update(tx, name, {"role": wanted.value})
            self._audit(
                tx,
                "member.grant",
                name,
                before={"role": before["role"]},
                after={"role": wanted.value},
            )
            return to_member({**before, "role": wanted.value})

        return self._write(work)

    def members(self) -> list[Member]:
        """Everyone in the library, by name."""

        def work(tx: Tx) -> list[Member]:
            self._role_in(tx)
            rows = tx.conn.execute(select(ct.members).order_by(ct.members.c.name))
            return [to_member(dict(row._mapping)) for row in rows]

        return self._read(work)

    def profile(self, name: str | None = None) -> Member:
        """A member's profile, with the practices they wrote that this member may read."""
        from govlab.library import tables as lt

        def work(tx: Tx) -> Member:
            self._role_in(tx)
            member = to_member(member_row(tx, name or self.member))
            query = select(lt.practices.c.id).where(lt.practices.c.author == member.name)
            shared = []
            for practice_id in tx.conn.execute(query.order_by(lt.practices.c.id)).scalars():
                try:
                    self._head(tx, practice_id)
                except PermissionDenied:
                    continue
                shared.append(practice_id)
            return member.model_copy(update={"shared": shared})

        return self._read(work)

    def update_profile(self, name: str | None = None, **fields: Any) -> Member:
        """Change one's profile: organisation, jurisdiction, country, level, topics, bio ..."""
        unknown = sorted(set(fields) - set(PROFILE_FIELDS))
        if unknown:
            raise InvalidInput(
                f"Not profile fields: {', '.join(unknown)} (use {', '.join(PROFILE_FIELDS)})."
            )
        target = name or self.member

        def work(tx: Tx) -> Member:
            self._require_on("edit_profile", target, tx)
            before = member_row(tx, target)
            merged = to_member(before).model_dump() | fields
            after = validated(Member, merged, what=f"profile of {target}")
            changes = after.model_dump(mode="json", include=set(PROFILE_FIELDS))
            changes["topics"] = _clean_topics(changes["topics"])
            self._update(tx, target, changes)
            self._audit(tx, "member.profile", target, before=_profile(before), after=changes)
            return to_member({**before, **changes})

        return self._write(work)

    def follow(self, topic: str) -> list[str]:
        """Follow a topic: new practices in it appear in one's digest. Returns all followed."""
        topic = _clean_topics([topic])[0] if topic and topic.strip() else ""
        if not topic:
            raise InvalidInput("topic: name a topic to follow.")

        def work(tx: Tx) -> list[str]:
            self._role_in(tx)
            if topic.lower() not in {t.lower() for t in _follows(tx, self.member)}:
                row = {"member": self.member, "topic": topic, "at": self._now()}
                tx.conn.execute(insert(ct.follows).values(row))
                self._audit(tx, "member.follow", self.member, after={"topic": topic})
            return _follows(tx, self.member)

        return self._write(work)

    def unfollow(self, topic: str) -> list[str]:
        """Stop following a topic. Returns the topics still followed."""

        def work(tx: Tx) -> list[str]:
            self._role_in(tx)
            f = ct.follows
            named = " ".join(topic.split()).lower()
            gone = f.delete().where(f.c.member == self.member, func.lower(f.c.topic) == named)
            if tx.conn.execute(gone).rowcount:
                self._audit(tx, "member.unfollow", self.member, after={"topic": topic.strip()})
            return _follows(tx, self.member)

        return self._write(work)

    def following(self) -> list[str]:
        """The topics this member follows."""

        def work(tx: Tx) -> list[str]:
            self._role_in(tx)
            return _follows(tx, self.member)

        return self._read(work)

    def peers(self, name: str | None = None, limit: int = 5) -> list[dict[str, Any]]:
        """Members facing similar challenges in comparable places, best match first.

        score = Jaccard similarity of the two members' topics (shared / all, ignoring
        case) + 0.2 for the same level of government + 0.1 for the same country;
        only members sharing at least one topic are listed.
        """
        people = self.members()
        me = next((m for m in people if m.name == (name or self.member)), None)
        if me is None:
            raise NotFound(f"No member called {name!r}.")
        return match_peers(me, [m for m in people if m.name != me.name])[:limit]

    def _update(self, tx: Tx, name: str, changes: dict[str, Any]) -> None:
        tx.conn.execute(update(ct.members).where(ct.members.c.name == name).values(changes))


def match_peers(me: Member, others: list[Member]) -> list[dict[str, Any]]:
    """Score ``others`` against ``me`` (see :meth:`MembersMixin.peers`)."""
    mine = {t.lower() for t in me.topics}
    found = []
    for other in others:
        theirs = {t.lower() for t in other.topics}
        shared = mine & theirs
        if not shared:
            continue
        score = len(shared) / len(mine | theirs)
        score += LEVEL_BONUS if me.level and me.level == other.level else 0.0
        score += COUNTRY_BONUS if me.country and me.country == other.country else 0.0
        found.append(
            {
                "member": other.name,
                "score": round(score, 4),
                "shared_topics": sorted(t for t in other.topics if t.lower() in shared),
                "organisation": other.organisation,
                "jurisdiction": other.jurisdiction,
                "country": other.country,
                "level": other.level.value if other.level else None,
            }
        )
    return sorted(found, key=lambda p: (-p["score"], p["member"]))


def _clean_topics(topics: list[str]) -> list[str]:
    """Spaces squeezed, empties and case-insensitive repeats dropped, first spelling kept."""
    seen: dict[str, str] = {}
    for topic in topics:
        cleaned = " ".join(clean(str(topic)).split())[:200]
        if cleaned:
            seen.setdefault(cleaned.lower(), cleaned)
    return list(seen.values())


def _follows(tx: Tx, member: str) -> list[str]:
    query = select(ct.follows.c.topic).where(ct.follows.c.member == member)
    return sorted(tx.conn.execute(query).scalars())


def _profile(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in PROFILE_FIELDS}
