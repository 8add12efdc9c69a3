"""Running the scripts of ``setup/`` from a test, as a user runs them."""

import os
import socket
import subprocess

from ..common import REPO, free_port

# The variables that point the scripts at a database server or an Odoo: a test gives them
# explicitly, never inherits the test run's.
SETUP_ENV_NAMES = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "ODOO_RC", "ODOO_SRC", "PG_BINDIR")


def run_setup(script, *args, env=None, tmp_path=None, timeout=120, repo=REPO):
    """Run setup/<script> of this repository (or of a copy) in a clean environment, with
    its own local folder."""
    base = {k: v for k, v in os.environ.items() if k not in SETUP_ENV_NAMES and not k.startswith("RS_")}
    if tmp_path is not None:
        base["RS_LOCAL_DIR"] = str(tmp_path / "local")
    # never the default port: a demo served beside the tests holds it
    base["RS_HTTP_PORT"] = str(free_port())
    base.update(env or {})
    return subprocess.run(
        [str(repo / "setup" / script), *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def busy_port():
    """A socket listening on a free port of 127.0.0.1 (use it as a context manager)."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder
