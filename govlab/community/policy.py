"""Who may do what: one declared table of role x action, and the ownership rules beside it.

The session asks :func:`check` before every read of a draft and every write; a face
(widget, CLI, notebook) never decides on its own. Roles are ordered member <
reviewer < facilitator < admin, but each action lists its roles explicitly so the
table reads the way a facilitator would explain it.

A **visitor** is someone without an account (a citizen on a public dashboard): they
read what is published and leave feedback, which waits for a facilitator. The session
refuses them everything else.
"""

from __future__ import annotations

from enum import StrEnum

from govlab.errors import InvalidInput, PermissionDenied


class Role(StrEnum):
    """A member's role in the library (``visitor``: an anonymous reader, not a member)."""

    visitor = "visitor"
    member = "member"
    reviewer = "reviewer"
    facilitator = "facilitator"
    admin = "admin"


ROLES = tuple(Role)
NOBODY: frozenset[Role] = frozenset()
EVERYONE = frozenset({Role.member, Role.reviewer, Role.facilitator, Role.admin})  # every member
VISITORS_TOO = EVERYONE | {Role.visitor}
REVIEWERS = frozenset({Role.reviewer, Role.facilitator, Role.admin})
FACILITATORS = frozenset({Role.facilitator, Role.admin})
ADMINS = frozenset({Role.admin})

# action -> (roles allowed, what the action is, in words for a refusal)
POLICY: dict[str, tuple[frozenset[Role], str]] = {
    # practices and the review workflow
    "create_draft": (EVERYONE, "create a draft"),
    "edit_own_draft": (EVERYONE, "edit their own draft"),
    "edit_others_draft": (ADMINS, "edit another member's draft"),
    "submit": (EVERYONE, "submit their own practice for review"),
    "submit_others": (NOBODY, "submit another member's practice"),
    "read_own": (EVERYONE, "read their own practice"),
    "read_submitted": (REVIEWERS, "read another member's practice awaiting review"),
    "read_others_draft": (ADMINS, "read another member's draft before it is submitted"),
    "start_review": (REVIEWERS, "start reviewing a submission"),
    "review": (REVIEWERS, "review a submission"),
    "review_own": (NOBODY, "review their own submission"),
    "request_changes": (REVIEWERS, "ask for changes to a submission"),
    "publish": (REVIEWERS, "publish a practice with enough approving reviews"),
    "publish_own": (NOBODY, "publish their own practice"),
    "publish_override": (FACILITATORS, "publish without enough approving reviews"),
    "reject": (FACILITATORS, "reject a submission"),
    "archive": (FACILITATORS, "archive a practice"),
    "import_practices": (FACILITATORS, "import practices with their status and author"),
    "import_own_drafts": (EVERYONE, "import practices as their own drafts"),
    # ratings and discussion
    "rate": (EVERYONE, "rate a practice"),
    "rate_own": (NOBODY, "rate their own practice"),
    "comment": (EVERYONE, "comment"),
    "edit_own_comment": (EVERYONE, "edit their own comment"),
    "edit_others_comment": (NOBODY, "edit another member's comment"),
    "hide_comment": (FACILITATORS, "hide or restore a comment"),
    "flag": (EVERYONE, "flag a comment for a facilitator"),
    "mark_helpful": (EVERYONE, "mark a comment helpful"),
    "mark_own_helpful": (NOBODY, "mark their own comment helpful"),
    # members
    "add_member": (FACILITATORS, "add a member"),
    "grant_role": (FACILITATORS, "grant a role"),
    "grant_admin": (ADMINS, "grant or take away the admin role"),
    "edit_own_profile": (EVERYONE, "edit their own profile"),
    "edit_others_profile": (ADMINS, "edit another member's profile"),
    "view_audit": (FACILITATORS, "read the audit log"),
    "change_settings": (ADMINS, "change the library's settings"),
    # groups and events
    "create_group": (EVERYONE, "create a working group"),
    "write_own_group": (EVERYONE, "add practices, notes and members to a group they belong to"),
    "write_others_group": (
        FACILITATORS,
        "add practices, notes and members to a group they are not in",
    ),
    "read_others_group": (FACILITATORS, "read the notes of a group they are not in"),
    "schedule_event": (FACILITATORS, "schedule an event"),
    # adoptions and citizen feedback
    "adopt": (EVERYONE, "adopt a practice"),
    "checkin_own": (EVERYONE, "check in on their own adoption"),
    "checkin_others": (NOBODY, "check in on another member's adoption"),
    "add_feedback": (VISITORS_TOO, "record citizen feedback"),
    "hide_feedback": (FACILITATORS, "hide or restore citizen feedback"),
    "approve_feedback": (FACILITATORS, "approve a visitor's feedback so that others see it"),
}

ACTIONS = tuple(POLICY)

# Ownership-dependent rules: verb -> (action on one's own thing, action on someone else's).
# The session resolves the verb with the owner first, then checks the table above.
OWNERSHIP: dict[str, tuple[str, str]] = {
    "edit_draft": ("edit_own_draft", "edit_others_draft"),
    "submit": ("submit", "submit_others"),
    "read_draft": ("read_own", "read_others_draft"),
    "read_submitted": ("read_own", "read_submitted"),
    "review": ("review_own", "review"),
    "start_review": ("review_own", "start_review"),
    "request_changes": ("review_own", "request_changes"),
    "reject": ("review_own", "reject"),
    "publish": ("publish_own", "publish"),
    "rate": ("rate_own", "rate"),
    "edit_comment": ("edit_own_comment", "edit_others_comment"),
    "mark_helpful": ("mark_own_helpful", "mark_helpful"),
    "edit_profile": ("edit_own_profile", "edit_others_profile"),
    "write_group": ("write_own_group", "write_others_group"),
    "check_in": ("checkin_own", "checkin_others"),
}


def allowed(role: Role | str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (an unknown action is a programming error)."""
    return Role(role) in POLICY[action][0]


def owned(verb: str, *, owner: str, member: str) -> str:
    """The action ``verb`` means when ``member`` acts on something ``owner`` has."""
    own, others = OWNERSHIP[verb]
    return own if owner == member else others


VISITOR_REFUSAL = (
    "Visitors can read published practices, events and the leaderboard, and leave "
    "feedback; to {words}, sign in as a member of the library."
)


def refusal(action: str, member: str, role: Role | str) -> str:
    """The plain sentence shown when ``member`` (with ``role``) may not do ``action``."""
    roles, words = POLICY[action]
    if not roles:
        return f"No one can {words}."
    if role == Role.visitor:
        return VISITOR_REFUSAL.format(words=words)
    names = [f"{r.value}s" for r in ROLES if r in roles and r != Role.visitor]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Only {listed} can {words}; {member} is {_article(str(role))} {role}."


def check(action: str, member: str, role: Role | str) -> None:
    """Raise PermissionDenied with a plain message unless ``role`` may do ``action``."""
    if not allowed(role, action):
        raise PermissionDenied(refusal(action, member, role))


MEMBER_ROLES = tuple(role for role in ROLES if role != Role.visitor)


def role_named(name: str) -> Role:
    """The member Role called ``name``, or InvalidInput listing them (never ``visitor``)."""
    wanted = name.strip().lower() if isinstance(name, str) else ""
    if wanted in {role.value for role in MEMBER_ROLES}:
        return Role(wanted)
    raise InvalidInput(
        f"Unknown role {name!r}: use one of {', '.join(r.value for r in MEMBER_ROLES)}."
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
