"""deploy/: the Zero to JupyterHub values against the chart's own schema, and what they wire up.

Helm is not installable here, so ``helm template`` cannot run; the chart validates
values against ``values.schema.json`` (merged over its defaults), which is what this
test does with the chart's files (tests/service/fixtures/z2jh, see PROVENANCE.txt).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = Path(__file__).parent / "fixtures" / "z2jh"
VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"
SERVICE = ROOT / "deploy" / "z2jh" / "govlab-service.yaml"


def merged(base: Any, over: Any) -> Any:
    """Helm's merge of user values over the chart's defaults (maps merge, the rest replaces)."""
    if isinstance(base, dict) and isinstance(over, dict):
        return {
            key: merged(base.get(key), over[key]) if key in base else over[key] for key in over
        } | {key: value for key, value in base.items() if key not in over}
    return over


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return dict(yaml.safe_load(VALUES.read_text()))


def test_the_values_pass_the_charts_schema(values: dict[str, Any]) -> None:
    import jsonschema

    schema = json.loads((CHART / "values.schema.json").read_text())
    defaults = yaml.safe_load((CHART / "values.yaml").read_text())
    jsonschema.validate(merged(defaults, values), schema)
    broken = merged(defaults, values | {"singleuser": {"memory": {"limit": ["1G"]}}})
    with pytest.raises(jsonschema.ValidationError):  # the check can fail
        jsonschema.validate(broken, schema)


def test_the_service_is_registered_by_url_and_runs_beside_the_hub(values: dict[str, Any]) -> None:
    manifests = {doc["kind"]: doc for doc in yaml.safe_load_all(SERVICE.read_text())}
    service, deployment = manifests["Service"], manifests["Deployment"]
    port = service["spec"]["ports"][0]["port"]
    assert (
        values["hub"]["services"]["govlab"]["url"] == f"http://{service['metadata']['name']}:{port}"
    )
    assert "command" not in values["hub"]["services"]["govlab"]  # not run inside the hub pod
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item for item in container["env"]}
    assert env["GOVLAB_DB_URL"]["valueFrom"]["secretKeyRef"]["name"] == "govlab-library"
    token = env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert (token["name"], token["key"]) == ("hub", "hub.services.govlab.apiToken")
    singleuser_env = values["singleuser"]["extraEnv"]
    assert singleuser_env["GOVLAB_SERVICE_URL"] == f"http://govlab-service:{port}/services/govlab/"
    assert not [key for key in singleuser_env if "DB" in key or "PASSWORD" in key]
    assert "access:services!service=govlab" in values["hub"]["loadRoles"]["user"]["scopes"]


def test_the_grading_server_alone_lets_itself_be_framed() -> None:
    from traitlets.config.loader import PyFileConfigLoader

    folder = ROOT / "deploy" / "formgrader"
    config = PyFileConfigLoader("jupyter_server_config.py", path=str(folder)).load_config()
    headers = config.ServerApp.tornado_settings["headers"]
    assert headers == {"Content-Security-Policy": "frame-ancestors 'self'"}
    hub_config = (ROOT / "deploy" / "jupyterhub_config.py").read_text()
    assert "frame-ancestors" not in hub_config.split("# --- services")[0]  # not on user servers
