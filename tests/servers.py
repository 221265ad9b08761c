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

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until it answers /healthz."""
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("candor serve did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM and wait, if it is still running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
