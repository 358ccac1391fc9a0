"""`make serve` started, measured and stopped for one run of the load test."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import _free_port, stop_process_group
from tests.e2e.serving import serve_command

START_TIMEOUT = 600  # make serve: migrate, build the UI (reflex export), start the workers


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path
    log: object

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")



def start_server(copy: Path, workers: int, env: dict, log_path: Path) -> Server:
    port = _free_port()
    backend_port = next(p for p in iter(_free_port, None) if p != port)
    command = serve_command(copy, env, f"PORT={port}", f"BACKEND_PORT={backend_port}", f"WORKERS={workers}")
    log = open(log_path, "w")
    process = subprocess.Popen(["bash", "-c", command], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", log_path, log)
    deadline = time.time() + START_TIMEOUT
    try:
        while "make serve: serving" not in server.text():
            if process.poll() is not None:
                raise RuntimeError(f"make serve exited early:\n{server.text()[-4000:]}")
            if time.time() > deadline:
                raise RuntimeError(f"make serve was not serving after {START_TIMEOUT} s:\n{server.text()[-4000:]}")
            time.sleep(1)
    except BaseException:
        stop_server(server)
        raise
    return server



def stop_server(server: Server) -> None:
    """SIGTERM to the whole process group (make serve stops nginx and granian), then SIGKILL."""
    try:
        stop_process_group(server.process, seconds=60)
    finally:
        server.log.close()



def machine_cpu_seconds() -> float:
    """CPU time every process on this machine has used (/proc/stat: all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")



def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every live process in this process group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # after "pid (comm) ": state, ppid, pgrp, ...; utime, stime at 11, 12
            total += int(fields[11]) + int(fields[12])
    return total / tick
