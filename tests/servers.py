"""Running `candor serve` as a real process for end-to-end and fault tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ADMIN_KEY

# How long `candor serve` may take to answer /healthz: it starts in about a second, but
# under load (a load average near 5 on two cores) 20 s were once not enough.
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CandorProcess:
    """`candor serve` on a free port, with the environment a test gives it."""

    def __init__(
        self, *, database_url: str, workdir: Path, args: tuple[str, ...] = (), **env: str
    ) -> None:
        self.port = free_port()
        self.args = args  # more `candor serve` options, e.g. ("--collector-only",)
        self.base = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.env = {
            **os.environ,
            "CANDOR_DATABASE_URL": database_url,
            "CANDOR_ADMIN_KEY": ADMIN_KEY,
            "CANDOR_PUBLIC_URL": self.base,
            "CANDOR_LOG_LEVEL": "warning",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the server and wait until it answers /healthz.

        If it does not (it exits, or ``timeout`` passes), the process is killed and reaped
        before the error is raised: a fixture whose ``start()`` fails never reaches its
        ``stop()``, and a server left running (or a ``Popen`` never waited for) would fail
        later, unrelated tests with its port, its files or a ResourceWarning.
        """
        command = [
            sys.executable,
            "-c",
            "from service.cli import main; main()",
            "serve",
            "--port",
            str(self.port),
            *self.args,
        ]
        self.process = subprocess.Popen(command, env=self.env, cwd=self.workdir)
        try:
            self._wait_until_healthy(self.process, timeout)
        except BaseException:
            self._reap()
            raise

    def _wait_until_healthy(self, process: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2) as client:
            while True:
                code = process.poll()
                if code is not None:
                    raise RuntimeError(f"candor serve exited ({code}) before answering /healthz")
                try:
                    if client.get(f"{self.base}/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() >= deadline:
                    raise RuntimeError(f"candor serve did not start within {timeout:g} s")
                time.sleep(0.2)

    def _reap(self) -> None:
        """Kill the process if it still runs, and wait for it, so nothing outlives a test."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM and wait, if it is still running; SIGKILL if it does not stop in 30 s."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._reap()
