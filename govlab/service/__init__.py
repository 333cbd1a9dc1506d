"""The govlab service: the library as an HTTP API that alone holds the database.

``govlab serve`` runs :func:`govlab.service.app.create_app` under uvicorn, as a
JupyterHub service or standalone; :func:`govlab.service.client.connect` (behind
``govlab.open_library("hub")``) returns a session with the same methods that calls it.
"""
