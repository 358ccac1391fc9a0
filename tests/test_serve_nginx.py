"""deploy/'s nginx configuration (todochat/serve/nginx.py fills it): what it must say, and
that Debian's nginx accepts it as `make serve` writes it."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from todochat.api.limits import _reply_413
from todochat.limits import BODY_MAX_BYTES
from todochat.serve import nginx
from todochat.serve.checks import Refusal

SITE = nginx.SITE_TEMPLATE.read_text()


def _site(tmp_path: Path) -> dict[str, str]:
    return nginx.site_values(port=8080, app_url="https://todo.example.com", static_dir=tmp_path / "client",
                             backend_port=8001)


def test_placeholders_are_filled_and_nginx_variables_stay(tmp_path):
    filled = nginx.fill(SITE, _site(tmp_path))
    assert not re.search(r"\$\{TODOCHAT_[A-Z_]+\}", filled)
    assert "listen 8080;" in filled and "server_name todo.example.com;" in filled
    assert "server 127.0.0.1:8001 max_fails=0;" in filled and f"root {tmp_path / 'client'};" in filled
    assert "$http_upgrade" in filled and "try_files $uri $uri.html $uri/index.html =404;" in filled
    with pytest.raises(KeyError):
        nginx.fill("listen ${TODOCHAT_NOTHING};", {})


async def test_the_body_limit_and_its_answer_are_the_apps():
    size = re.search(r"client_max_body_size (\d+)m;", SITE)
    assert size and int(size.group(1)) * 1024 * 1024 == BODY_MAX_BYTES
    answer = re.search(r"return 413 '([^']+)';", SITE).group(1)
    sent = []

    async def send(message):
        sent.append(message)

    await _reply_413(send, BODY_MAX_BYTES)
    assert json.loads(answer) == json.loads(sent[1]["body"])


def test_a_location_never_sets_its_own_proxy_headers():
    # One proxy_set_header in a location and it inherits none of the server's (Host, the
    # client's address, the websocket upgrade): they are all set once, at server level.
    locations = re.findall(r"location [^{]+\{([^}]*)\}", SITE)
    assert locations and not any("proxy_set_header" in body for body in locations)


def test_the_event_stream_and_the_websocket_are_not_buffered():
    chatkit = re.search(r"location = /chatkit \{([^}]*)\}", SITE).group(1)
    assert "proxy_buffering off;" in chatkit and "gzip off;" in chatkit
    event = re.search(r"location /_event \{([^}]*)\}", SITE).group(1)
    assert "proxy_read_timeout 1h;" in event


def test_mcp_is_passed_on_unbuffered():
    mcp = re.search(r"location = /mcp \{([^}]*)\}", SITE).group(1)
    assert "proxy_pass http://todochat_backend;" in mcp and "proxy_buffering off;" in mcp


def test_debians_nginx_accepts_the_configuration(tmp_path):
    binary = nginx.find_nginx()  # `make test` installs it (tools/ensure-nginx.sh)
    (tmp_path / "client").mkdir()
    config = tmp_path / "nginx"
    config.mkdir()
    nginx.write_config(config, _site(tmp_path), tmp_path)
    nginx.check_config(binary, config)
    assert "include site.conf;" in (config / "nginx.conf").read_text()


def test_a_configuration_nginx_refuses_is_one_line(tmp_path):
    binary = nginx.find_nginx()
    config = tmp_path / "nginx"
    config.mkdir()
    nginx.write_config(config, {**_site(tmp_path), "TODOCHAT_PORT": "not-a-port"}, tmp_path)
    with pytest.raises(Refusal) as refused:
        nginx.check_config(binary, config)
    assert str(refused.value).startswith("make serve: nginx refuses its configuration (")
    assert "\n" not in str(refused.value)


def test_envsubst_fills_it_as_make_serve_does(tmp_path):
    """README, "In an existing nginx": envsubst with the four names gives the same file."""
    site = _site(tmp_path)
    names = " ".join(f"${{{name}}}" for name in site)
    done = subprocess.run(["envsubst", names], input=SITE, env={**os.environ, **site}, capture_output=True,
                          text=True, check=True)
    assert done.stdout == nginx.fill(SITE, site)
