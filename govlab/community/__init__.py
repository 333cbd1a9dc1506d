"""The community's rules over the library.

Roles, workflow, reviews, ratings, discussion, recognition, groups, events,
adoptions, citizen feedback and the digest.

Everything goes through :class:`govlab.community.session.Library`, opened with
:func:`govlab.open_library`.
"""
