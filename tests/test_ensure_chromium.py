"""``make test`` on a fresh machine: tools/ensure-chromium.sh finds Chromium, installs it
(root with apt-get), or stops with one line saying what to install.

Each case runs the real script with PATH set to a directory of our own (bash, and a fake
chromium or apt-get when the case has one); ENSURE_CHROMIUM_UID stands in for ``id -u``.
Nothing is installed on this machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fake_commands import executable, fake_bin

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "ensure-chromium.sh"
ADVICE = "Chromium is missing: run `sudo apt-get install chromium` (Debian/Ubuntu)"


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    return fake_bin(tmp_path)


def fake_apt_get(bin_dir: Path, log: Path, *, works: bool) -> None:
    """Records its arguments; ``install chromium`` puts a chromium on PATH, if it works."""
    chromium = bin_dir / "chromium"
    install = f'echo "exit 0" > "{chromium}"; {shutil.which("chmod")} +x "{chromium}"' if works else "exit 100"
    executable(bin_dir / "apt-get", f'echo "$*" >> "{log}"\ncase "$*" in *install*chromium*) {install};; esac')


def run(bin_dir: Path, uid: int, *command: str) -> subprocess.CompletedProcess:
    env = {"PATH": str(bin_dir), "ENSURE_CHROMIUM_UID": str(uid), "HOME": str(bin_dir.parent)}
    return subprocess.run(command or [str(SCRIPT)], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_chromium_on_the_path_is_enough(bin_dir):
    executable(bin_dir / "chromium", "exit 0")
    result = run(bin_dir, 1000)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_chromium_at_chromium_path_is_enough(bin_dir, tmp_path):
    executable(tmp_path / "my-chromium", "exit 0")
    env = {"PATH": str(bin_dir), "ENSURE_CHROMIUM_UID": "1000", "CHROMIUM_PATH": str(tmp_path / "my-chromium")}
    result = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("has_apt", [True, False])
def test_not_root_it_says_what_to_install_in_one_line_and_fails(bin_dir, tmp_path, has_apt):
    log = tmp_path / "apt.log"
    if has_apt:
        fake_apt_get(bin_dir, log, works=True)
    result = run(bin_dir, 1000)
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(ADVICE)
    assert not log.exists(), "apt-get needs root: it is not tried"


def test_root_without_apt_get_says_what_to_install(bin_dir):
    result = run(bin_dir, 0)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [result.stderr.strip()] and result.stderr.startswith(ADVICE)


def test_root_with_apt_get_installs_debians_chromium(bin_dir, tmp_path):
    log = tmp_path / "apt.log"
    fake_apt_get(bin_dir, log, works=True)
    result = run(bin_dir, 0)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium"]
    assert (bin_dir / "chromium").exists()


def test_a_failed_install_fails_with_a_line_saying_so(bin_dir, tmp_path):
    log = tmp_path / "apt.log"
    fake_apt_get(bin_dir, log, works=False)
    result = run(bin_dir, 0)
    assert result.returncode != 0
    assert "apt-get install chromium` failed" in result.stderr.splitlines()[-1]


def test_make_browser_uses_it_and_make_test_checks_before_any_test(bin_dir):
    make = shutil.which("make")
    assert make, "make runs the project's tests (README): it must be installed"
    result = run(bin_dir, 1000, make, "--no-print-directory", "browser")
    assert result.returncode != 0
    assert result.stderr.startswith(ADVICE), result.stderr
    assert "pytest" not in result.stdout + result.stderr

    # `make test` checks Chromium first of all: before the setup and before either pytest run.
    plan = subprocess.run(
        [make, "--no-print-directory", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "MAKEFLAGS": ""}, timeout=60,
    ).stdout.splitlines()
    first = next(i for i, line in enumerate(plan) if "ensure-chromium.sh" in line)
    assert all(i > first for i, line in enumerate(plan) if "pytest" in line or "pip install" in line), plan
