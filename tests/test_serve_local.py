"""`make serve` listens on 127.0.0.1 only: the Makefile pins the address (an exported HOST=0.0.0.0 cannot change
it), and the real server, started briefly, has exactly one listening socket — on the loopback address."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REPO

LOOPBACK_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listeners(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp{,6}) of every socket listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                found.append(address)
    return found


def test_the_makefile_pins_the_address_even_with_host_in_the_environment():
    env = {**os.environ, "HOST": "0.0.0.0"}
    dry = subprocess.run(
        ["make", "-n", "serve", "PORT=8123"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    line = next(t for t in dry.stdout.splitlines() if "mkdocs serve" in t)
    assert "--dev-addr 127.0.0.1:8123" in line and "0.0.0.0" not in line


def test_make_serve_listens_on_loopback_only():
    port = free_port()
    server = subprocess.Popen(
        ["make", "serve", f"PORT={port}"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "HOST": "0.0.0.0"},
    )
    try:
        deadline = time.monotonic() + 180
        while not listeners(port):
            assert server.poll() is None, server.stderr.read().decode("utf-8", "replace")[-2000:]
            assert time.monotonic() < deadline, "make serve never started listening"
            time.sleep(0.2)
        assert listeners(port) == [LOOPBACK_HEX]
        with socket.create_connection(("127.0.0.1", port), timeout=10):
            pass
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # our own process group: make and its mkdocs child
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.mark.parametrize("port", [None, "8123"])
def test_make_help_prints_the_preview_address_whole(port):
    """A trailing comment after a make variable keeps the spaces before it in the value (`127.0.0.1  :8000`)."""
    args = ["make", "help"] + ([f"PORT={port}"] if port else [])
    result = subprocess.run(
        args, cwd=REPO, capture_output=True, text=True, timeout=60, env={**os.environ, "HOST": "0.0.0.0"}
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("make serve "))
    assert re.search(rf"http://127\.0\.0\.1:{port or 8000}(\s|（)", line), line
