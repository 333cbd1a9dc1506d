"""nbgrader in a participant's server: fetch and submit through the shared exchange.

The hub's groups say who is in which course (nbgrader's JupyterHubAuthPlugin), so a
participant sees the assignments of their own courses only.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 (traitlets provides get_config in a config file)

c.Exchange.root = os.environ.get("GOVLAB_EXCHANGE", "/srv/govlab/exchange")
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
