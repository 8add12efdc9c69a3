"""A clone in a folder the 'postgres' user cannot reach still gets its private cluster.

Root's home (mode 700) and `mktemp -d` folders are the usual places of a clone in a
container; PostgreSQL refuses to run as root, and its own user cannot traverse them. The
scripts then keep the cluster under that user's home, one folder per clone.
"""

import hashlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from rs_setup.common import REPO
from rs_setup.database import Cluster, server_binaries
from rs_setup.testkit.scripts import busy_port, run_setup


def clone_into(folder):
    """The working tree's files (committed or not) copied into a new folder: a clone of
    what is being tested."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = REPO / name
        if not source.is_file():
            continue  # deleted in the working tree
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return folder


def started_cluster(output):
    match = re.search(r"private cluster in (\S+)\)", output)
    assert match, output
    return Path(match[1])


def run_setup_in(clone, local=None):
    """setup/run of a clone, with no database server configured and a busy port: it starts
    the private cluster, then stops at the port, stopping the server it started. That is
    the whole placement, without serving a demo."""
    with busy_port() as holder:
        port = holder.getsockname()[1]
        env = {"RS_LOCAL_DIR": str(local)} if local else {}
        result = run_setup("run", "--port", str(port), env=env, timeout=300, repo=clone)
    output = result.stdout + result.stderr
    assert "cannot reach" not in output, output
    assert f"Port {port} on 127.0.0.1 is already in use" in output, output
    return started_cluster(output)


def placed_for(clone):
    """Where the scripts put the cluster of a clone that 'postgres' cannot reach."""
    clone = clone.resolve()
    digest = hashlib.sha1(str(clone).encode()).hexdigest()[:10]
    return Path(pwd.getpwnam("postgres").pw_dir) / "resident-service-crm" / f"{clone.name}-{digest}"


def remove_cluster(cluster):
    """Stop a cluster a failed run may have left running, then remove it."""
    if (cluster / "data" / "postmaster.pid").exists():
        bindir = server_binaries()
        subprocess.run(
            [
                Cluster._runuser(),
                "-u",
                "postgres",
                "--",
                f"{bindir}/pg_ctl",
                "stop",
                "-m",
                "immediate",
                "-D",
                str(cluster / "data"),
            ],
            capture_output=True,
            check=False,
            cwd="/",
        )
    shutil.rmtree(cluster, ignore_errors=True)


def test_clone_in_a_private_folder_gets_a_reachable_cluster():
    private = Path(tempfile.mkdtemp(prefix="rs-private-"))  # mode 700, as mktemp -d makes it
    assert private.stat().st_mode & 0o777 == 0o700
    clones = [private / "resident-services", private / "second" / "resident-services"]
    clusters = [placed_for(clone) for clone in clones] if os.geteuid() == 0 else []
    try:
        cluster = run_setup_in(clone_into(clones[0]))
        if os.geteuid() != 0:
            # the cluster runs as this user, who reaches its own folders: it stays in the clone
            assert cluster == private / "resident-services" / ".local" / "postgres", cluster
            return
        postgres_home = Path(pwd.getpwnam("postgres").pw_dir)
        # under the postgres user's home, named after this clone, owned by that user: it
        # survives a reboot with the demo database it holds
        assert cluster.is_relative_to(postgres_home), cluster
        assert cluster.name.startswith("resident-services-"), cluster
        assert (cluster / "data" / "PG_VERSION").is_file()
        assert cluster.owner() == "postgres"
        # the server started for this run was stopped again
        assert not (cluster / "data" / "postmaster.pid").exists()
        assert cluster == clusters[0]
        # the same clone finds the same cluster again
        assert run_setup_in(clones[0]) == cluster
        # a clone at another path gets a cluster of its own
        second = run_setup_in(clone_into(clones[1]))
        assert second == clusters[1] != cluster
    finally:
        shutil.rmtree(private, ignore_errors=True)
        for placed in clusters:
            remove_cluster(placed)


def test_rs_local_dir_still_wins():
    """A local folder the user names is used as it is, and told when unreachable."""
    private = Path(tempfile.mkdtemp(prefix="rs-private-"))
    if os.geteuid() != 0:
        private.chmod(0o755)  # this user reaches it: the cluster goes exactly there
    try:
        if os.geteuid() != 0:
            assert run_setup_in(REPO, local=private / "local") == private / "local" / "postgres"
            return
        result = run_setup("run", tmp_path=None, env={"RS_LOCAL_DIR": str(private / "local")})
        output = result.stdout + result.stderr
        assert result.returncode == 2, output
        assert "The 'postgres' user cannot reach" in output, output
        assert "RS_LOCAL_DIR" in output
    finally:
        shutil.rmtree(private, ignore_errors=True)
