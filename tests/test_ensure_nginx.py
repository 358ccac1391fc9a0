"""`make serve` and `make test` on a fresh machine: tools/ensure-nginx.sh finds nginx,
installs Debian's (root with apt-get), or stops with one line saying what to install.

As tests/test_ensure_chromium.py does for Chromium: the real script, PATH set to a
directory of our own (bash, and a fake nginx or apt-get when the case has one),
ENSURE_NGINX_UID for ``id -u`` and ENSURE_NGINX_SBIN for /usr/sbin. Nothing is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fake_commands import executable, fake_bin

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "ensure-nginx.sh"
ADVICE = "nginx is missing: run `sudo apt-get install nginx` (Debian/Ubuntu), and retry"


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    return fake_bin(tmp_path)


def fake_apt_get(bin_dir: Path, log: Path, *, works: bool) -> None:
    """Records its arguments; ``install nginx`` puts an nginx in the fake /usr/sbin, if it works."""
    nginx = bin_dir.parent / "sbin" / "nginx"
    install = f'{shutil.which("mkdir")} -p "{nginx.parent}"; echo "exit 0" > "{nginx}"; {shutil.which("chmod")} +x "{nginx}"' \
        if works else "exit 100"
    executable(bin_dir / "apt-get", f'echo "$*" >> "{log}"\ncase "$*" in *install*nginx*) {install};; esac')


def run(bin_dir: Path, uid: int, *command: str) -> subprocess.CompletedProcess:
    env = {"PATH": str(bin_dir), "ENSURE_NGINX_UID": str(uid), "ENSURE_NGINX_SBIN": str(bin_dir.parent / "sbin"),
           "HOME": str(bin_dir.parent)}
    return subprocess.run(command or [str(SCRIPT)], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_nginx_on_the_path_is_enough(bin_dir):
    executable(bin_dir / "nginx", "exit 0")
    result = run(bin_dir, 1000)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_nginx_in_sbin_off_the_path_is_enough(bin_dir):
    (bin_dir.parent / "sbin").mkdir()
    executable(bin_dir.parent / "sbin" / "nginx", "exit 0")
    result = run(bin_dir, 1000)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("has_apt", [True, False])
def test_not_root_it_says_what_to_install_in_one_line_and_fails(bin_dir, tmp_path, has_apt):
    log = tmp_path / "apt.log"
    if has_apt:
        fake_apt_get(bin_dir, log, works=True)
    result = run(bin_dir, 1000)
    assert result.returncode != 0
    assert (result.stdout, result.stderr) == ("", ADVICE + "\n")
    assert not log.exists(), "apt-get needs root: it is not tried"


def test_root_with_apt_get_installs_debians_nginx(bin_dir, tmp_path):
    log = tmp_path / "apt.log"
    fake_apt_get(bin_dir, log, works=True)
    result = run(bin_dir, 0)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq nginx"]


def test_a_failed_install_fails_with_a_line_saying_so(bin_dir, tmp_path):
    fake_apt_get(bin_dir, tmp_path / "apt.log", works=False)
    result = run(bin_dir, 0)
    assert result.returncode != 0
    assert "apt-get install nginx` failed" in result.stderr.splitlines()[-1]


def test_make_serve_and_make_test_check_it_before_anything_else(bin_dir):
    make = shutil.which("make")
    result = run(bin_dir, 1000, make, "--no-print-directory", "nginx")
    assert result.returncode != 0 and result.stderr.startswith(ADVICE), result.stderr

    for target, runs in (("serve", "-m todochat.serve"), ("test", "pytest")):
        plan = subprocess.run(
            [make, "--no-print-directory", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "MAKEFLAGS": ""}, timeout=60,
        ).stdout.splitlines()
        first = next(i for i, line in enumerate(plan) if "ensure-nginx.sh" in line)
        assert all(i > first for i, line in enumerate(plan) if runs in line or "pip install" in line), plan
