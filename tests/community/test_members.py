"""Joining, roles, guidelines, profiles, followed topics and peers."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlab.community.members import COUNTRY_BONUS, LEVEL_BONUS
from govlab.community.session import current_user, open_library
from govlab.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govlab.testing.community import Community


def test_first_member_is_admin_and_others_join_as_members(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first = open_library(db_url, "ada", seed=False)
    assert first.joined_now and first.role == "admin"
    shown = capsys.readouterr().err  # stdout is kept for --json output
    assert "# govlab community guidelines" in shown and "## Evidence" in shown
    second = open_library(db_url, "bob", seed=False)
    again = open_library(db_url, "ada", seed=False, show_guidelines=True)
    assert second.role == "member" and not again.joined_now
    assert capsys.readouterr().err.count("Welcome") == 1  # bob saw them; ada, returning, not
    assert [(e.actor, e.action) for e in first.audit_log(action="member.join")] == [
        ("ada", "member.join"),
        ("bob", "member.join"),
    ]
    for session in (first, second, again):
        session.close()


def test_guidelines_acceptance_is_recorded(sqlite_community: Community) -> None:
    w = sqlite_community
    bob = w.as_("bob")
    assert bob.profile().guidelines_accepted is None
    assert bob.guidelines().startswith("# govlab community guidelines")
    accepted = bob.accept_guidelines()
    assert accepted.guidelines_accepted == w.clock.now
    assert w.admin.audit_log(action="member.guidelines")[0].actor == "bob"


def test_closed_membership(sqlite_community: Community) -> None:
    w = sqlite_community
    w.admin.change_setting("open_membership", False)
    with pytest.raises(PermissionDenied, match="ask a facilitator to add you"):
        open_library(w.db, "stranger", seed=False, show_guidelines=False)
    w.admin.add_member("stranger")
    assert open_library(w.db, "stranger", seed=False).role == "member"


def test_roles_are_granted_by_the_right_people(community: Community) -> None:
    w = community
    fay = w.member("fay", "facilitator")
    fay.add_member("rev", "reviewer")
    with pytest.raises(PermissionDenied, match="Only admins can grant or take away the admin"):
        fay.add_member("boss", "admin")
    with pytest.raises(PermissionDenied, match="admin role"):
        fay.grant("ada", "member")
    with pytest.raises(Conflict, match="only admin"):
        w.admin.grant("ada", "facilitator")
    with pytest.raises(Conflict, match="already a member"):
        fay.add_member("rev")
    with pytest.raises(InvalidInput, match="Unknown role 'boss'"):
        fay.grant("rev", "boss")
    with pytest.raises(NotFound):
        fay.grant("nobody", "reviewer")
    with pytest.raises(InvalidInput, match="not a usable member name"):
        fay.add_member("two words")
    w.admin.grant("fay", "admin")
    w.admin.grant("ada", "member")  # fay is admin now, so ada may step down
    assert {m.name: m.role for m in fay.members()} == {
        "ada": "member",
        "fay": "admin",
        "rev": "reviewer",
    }
    assert w.as_("rev").role == "reviewer"
    grants = fay.audit_log(action="member.grant")
    assert [(g.target, g.before, g.after) for g in grants] == [
        ("fay", {"role": "facilitator"}, {"role": "admin"}),
        ("ada", {"role": "admin"}, {"role": "member"}),
    ]


def test_profiles(sqlite_community: Community) -> None:
    w = sqlite_community
    bob = w.as_("bob")
    bob.update_profile(organisation="Leeds City Council", country="gb", level="local",
                       topics=["Open data", " open  data ", "bins"])  # fmt: skip
    pid = w.published("bob")
    w.draft("bob")  # not shown to others
    seen = w.as_("carol").profile("bob")
    assert (seen.organisation, seen.country, seen.level) == ("Leeds City Council", "GB", "local")
    assert seen.topics == ["Open data", "bins"]
    assert seen.shared == [pid]
    with pytest.raises(InvalidInput, match="country"):
        bob.update_profile(country="Yorkshire")
    with pytest.raises(InvalidInput, match="Not profile fields: role"):
        bob.update_profile(role="admin")
    with pytest.raises(PermissionDenied):
        w.as_("carol").update_profile("bob", bio="hacked")


def test_peers_by_challenge_and_place(sqlite_community: Community) -> None:
    w = sqlite_community
    profiles = {
        "me": dict(topics=["311", "channel shift", "open data"], country="GB", level="local"),
        "twin": dict(topics=["311", "channel shift"], country="GB", level="local"),
        "abroad": dict(topics=["311", "channel shift", "open data"], country="US", level="local"),
        "ministry": dict(topics=["open data"], country="GB", level="national"),
        "stranger": dict(topics=["transit"], country="GB", level="local"),
    }
    for name, fields in profiles.items():
        w.as_(name).update_profile(**fields)
    peers = w.as_("me").peers()
    # abroad: same three topics 3/3 = 1.0, + level 0.2 = 1.2
    # twin: 2 shared of 3 = 0.667, + level 0.2 + country 0.1 = 0.967
    # ministry: 1 of 3 = 0.333, + country 0.1 = 0.433; stranger shares no topic
    assert (LEVEL_BONUS, COUNTRY_BONUS) == (0.2, 0.1)
    assert [(p["member"], p["score"]) for p in peers] == [
        ("abroad", 1.2),
        ("twin", round(2 / 3 + 0.3, 4)),
        ("ministry", round(1 / 3 + 0.1, 4)),
    ]
    assert peers[1]["shared_topics"] == ["311", "channel shift"]


def test_following_topics(sqlite_community: Community) -> None:
    bob = sqlite_community.as_("bob")
    assert bob.follow(" open   data ") == ["open data"]
    assert bob.follow("transit") == ["open data", "transit"]
    assert bob.follow("transit") == ["open data", "transit"]  # once
    assert bob.unfollow("open data") == ["transit"]
    with pytest.raises(InvalidInput):
        bob.follow("  ")


def test_who_the_session_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    monkeypatch.setenv("GOVLAB_USER", "env-user")
    assert current_user("given") == "given"
    assert current_user() == "hub-user"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert current_user() == "env-user"
    monkeypatch.delenv("GOVLAB_USER")
    import getpass

    assert current_user() == getpass.getuser()
    monkeypatch.setenv("GOVLAB_USER", "env-user")
    library = open_library(str(tmp_path / "lib.db"), seed=False, show_guidelines=False)
    assert library.member == "env-user" and library.role == "admin"
