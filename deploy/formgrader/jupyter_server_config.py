"""The course's grading server (a JupyterHub service run as grader-<course>).

JupyterHub >= 4.1 serves pages with ``Content-Security-Policy: frame-ancestors
'none'``, and nbgrader's formgrader panel is an iframe inside JupyterLab, which then
stays blank. nbgrader's JupyterHub documentation gives three ways out: open the
iframe in its own tab, enable subdomains and send ``frame-ancestors 'self'``, or send
``frame-ancestors 'self'`` without subdomains ("trusting users").

This server sends ``frame-ancestors 'self'``, and only this one: participants'
servers keep JupyterHub's default. With ``GOVLAB_SUBDOMAIN_HOST`` set (subdomains),
'self' is this service's own origin and nothing else may frame it. On one machine
without wildcard DNS (the usual workshop) 'self' is the hub's whole origin, so it is
nbgrader's "trusting users" way narrowed to the grading server that only
facilitators can open: a participant's page could frame it but not read it, and
facilitators are the ones who are asked to trust their cohort. We chose it because
a workshop rarely has a wildcard certificate, and opening a new tab for every
grading step is what facilitators would stumble over in front of the room.
"""

c = get_config()  # noqa: F821 (traitlets provides get_config in a config file)

c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
c.LabApp.news_url = ""
