"""The measured server: ``python app.py`` as a subprocess in its own process group, its
readiness and its memory."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import REPO, BenchError
from benchmarks.dash_client import Client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_status(pid: int) -> dict[str, int]:
    """VmHWM / VmRSS / VmPeak of a process in bytes (from /proc/<pid>/status)."""
    found: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError as exc:
        raise BenchError(f"cannot read /proc/{pid}/status (server gone?): {exc}") from exc
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS", "VmPeak"):
            found[key] = int(rest.split()[0]) * 1024
    return found


_SERVERS: set[subprocess.Popen[bytes]] = set()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server we started (its own process group, by id): SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    _SERVERS.discard(proc)


def stop_all() -> None:
    """Stop every server this process started and has not stopped yet."""
    for proc in list(_SERVERS):
        stop(proc)


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path
    spawned_at: float

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise BenchError(f"the server exited with status {self.proc.returncode}")

    def memory(self) -> dict[str, int]:
        """VmHWM / VmRSS / VmPeak of the server process, in bytes."""
        return proc_status(self.proc.pid)

    def wait_answering(self, timeout: float) -> float:
        """Seconds from spawn until ``GET /`` answers 200 (the dataset is loaded and indexed)."""
        deadline = self.spawned_at + timeout
        while True:
            self.check_alive()
            probe = Client(self.port, 5.0)
            try:
                if probe.request("GET", "/").status == 200:
                    break
            except (BenchError, OSError):
                pass
            finally:
                probe.close()
            if time.perf_counter() > deadline:
                raise BenchError(f"the server did not answer GET / within {timeout:.0f} s")
            time.sleep(0.05)
        return time.perf_counter() - self.spawned_at


@contextlib.contextmanager
def server(data_dir: Path, log_dir: Path, snapshot_dir: Path,
           forget_states: bool = False) -> Iterator[Server]:
    """``python app.py --data data_dir --snapshot-dir snapshot_dir`` on a free port (with
    ``--forget-states`` if asked); always stopped on the way out."""
    port = free_port()
    log_path = log_dir / f"server-{port}.log"
    command = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port), "--data", str(data_dir),
               "--snapshot-dir", str(snapshot_dir)]
    if forget_states:
        command.append("--forget-states")
    with log_path.open("wb") as log_file:
        began = time.perf_counter()
        proc = subprocess.Popen(command, cwd=REPO, stdout=log_file, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    _SERVERS.add(proc)
    try:
        yield Server(proc, port, log_path, began)
    finally:
        stop(proc)
