"""Paths, messages and small helpers shared by every setup script."""

import contextlib
import os
import socket
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ADDONS = (
    "resident_service_crm",
    "resident_service_crm_loyalty",
    "resident_service_crm_survey",
)
EXIT_SETUP = 2


def local_dir():
    """The git-ignored folder where the scripts keep their cluster, configs and logs."""
    path = Path(os.environ.get("RS_LOCAL_DIR") or REPO / ".local")
    path.mkdir(parents=True, exist_ok=True)
    return path


class SetupError(Exception):
    """A problem of the environment, told to the user without a traceback."""

    def __init__(self, message, code=EXIT_SETUP):
        super().__init__(message)
        self.code = code


def fail(error):
    print(f"\nerror: {error}", file=sys.stderr, flush=True)
    return error.code


def say(message=""):
    print(message, flush=True)


def port_in_use(port, host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def parse_port(value, what):
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if not 0 < port < 65536:
        raise SetupError(f"{what} must be a port number between 1 and 65535, not {value!r}.")
    return port


class Timer:
    """Collects how long each phase took, for the summary."""

    def __init__(self):
        self.phases = []

    @contextlib.contextmanager
    def phase(self, name):
        say(f"\n== {name}")
        start = time.monotonic()
        try:
            yield
        finally:
            elapsed = time.monotonic() - start
            self.phases.append((name, elapsed))
            say(f"-- {name}: {elapsed:.1f} s")

    def report(self):
        say("\nTime per phase:")
        for name, elapsed in self.phases:
            say(f"  {name:<32} {elapsed:8.1f} s")
