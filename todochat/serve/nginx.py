"""The nginx in front of `make serve`'s backend: Debian's, configured from deploy/.

deploy/nginx.conf is the site (the same file an existing nginx can include), and
deploy/nginx-main.conf the rest of a configuration for an nginx of its own. Both have
``${TODOCHAT_...}`` placeholders, filled here as envsubst would fill them. The result goes
in a directory of its own (nginx's prefix: its pid file, its temporary files).
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from todochat.serve.checks import Refusal

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SITE_TEMPLATE = DEPLOY / "nginx.conf"
MAIN_TEMPLATE = DEPLOY / "nginx-main.conf"
# Debian installs it in /usr/sbin, which is not on every user's PATH.
PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
INSTALL_ADVICE = "nginx is missing: run `sudo apt-get install nginx` (Debian/Ubuntu; `make serve` as root installs it)"
_PLACEHOLDER = re.compile(r"\$\{(TODOCHAT_[A-Z_]+)\}")


def find_nginx() -> str:
    found = shutil.which("nginx") or next((p for p in PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise Refusal(INSTALL_ADVICE)
    return found


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each ``${TODOCHAT_NAME}``; nginx's own ``$variables`` (no braces) stay.
    A placeholder without a value is an error, never an empty string in the config."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"{name} has no value")
        return values[name]

    return _PLACEHOLDER.sub(value, template)


def site_values(*, port: int, app_url: str, static_dir: Path, backend_port: int) -> dict[str, str]:
    return {
        "TODOCHAT_PORT": str(port),
        "TODOCHAT_SERVER_NAME": urlsplit(app_url).hostname or "_",
        "TODOCHAT_STATIC": str(static_dir),
        "TODOCHAT_BACKEND": f"127.0.0.1:{backend_port}",
    }


def write_config(directory: Path, site: dict[str, str], project: Path) -> None:
    """deploy/'s two files, filled, in ``directory``: nginx.conf including site.conf."""
    directory.chmod(0o755)  # nginx's workers may run as another user (below): they must reach tmp/
    (directory / "tmp").mkdir(exist_ok=True)
    (directory / "site.conf").write_text(fill(SITE_TEMPLATE.read_text(), site))
    main = fill(MAIN_TEMPLATE.read_text(), {"TODOCHAT_NGINX_USER": _workers_user(project)})
    (directory / "nginx.conf").write_text(main)


def _workers_user(project: Path) -> str:
    """``user`` for nginx's workers when it starts as root: whoever owns the project.

    Left alone, nginx started by root runs its workers as ``nobody``, which cannot read
    a project in a private home directory (/root is mode 0700) and would answer 403. The
    app's own processes run as the one who started them; the workers read what they do.
    """
    if os.geteuid() != 0:
        return ""
    stat = project.stat()
    return f"user {pwd.getpwuid(stat.st_uid).pw_name} {grp.getgrgid(stat.st_gid).gr_name};"


def command(nginx: str, directory: Path) -> list[str]:
    # -e: the log before the configuration is read goes to stderr too, not to
    # /var/log/nginx/error.log, which someone other than root may not open.
    return [nginx, "-p", f"{directory}/", "-c", "nginx.conf", "-e", "stderr"]


def check_config(nginx: str, directory: Path) -> None:
    """``nginx -t``: a configuration nginx would refuse is refused here, in one line."""
    done = subprocess.run([*command(nginx, directory), "-t", "-q"], capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if "[emerg]" in line), lines[0] if lines else f"exit {done.returncode}")
        raise Refusal(f"nginx refuses its configuration ({reason}): see deploy/")
