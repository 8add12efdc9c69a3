"""The PostgreSQL server: the one the user configured, or a private cluster of our own."""

import configparser
import contextlib
import fcntl
import getpass
import glob
import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .common import REPO, SetupError, free_port, local_dir, say

ROLE = "odoo"


@dataclass
class DbServer:
    host: str | None
    port: int
    user: str
    password: str | None
    origin: str
    cluster: "Cluster | None" = None
    started_here: bool = False

    def describe(self):
        return f"{self.host or 'local socket'}:{self.port} as {self.user} ({self.origin})"

    def connect(self, dbname="postgres"):
        import psycopg2

        kwargs = {"dbname": dbname, "user": self.user, "port": self.port}
        if self.host:
            kwargs["host"] = self.host
        if self.password:
            kwargs["password"] = self.password
        connection = psycopg2.connect(**kwargs, connect_timeout=10)
        connection.autocommit = True
        return connection

    def odoo_options(self):
        return {
            "db_host": self.host or "False",
            "db_port": str(self.port),
            "db_user": self.user,
            "db_password": self.password or "False",
        }

    @contextlib.contextmanager
    def cursor(self, dbname="postgres"):
        connection = self.connect(dbname)
        try:
            with connection.cursor() as cr:
                yield cr
        finally:
            connection.close()

    def stop(self):
        """Leave the private cluster; the last script using it stops it. A server the
        user configured is never stopped."""
        if self.cluster:
            with self.cluster.locked():
                if self.cluster.release() == 0:
                    self.cluster.stop()
            self.cluster = None
            self.started_here = False


def configured_server():
    """The server the user chose: an Odoo configuration file (ODOO_RC) or libpq variables."""
    rc = os.environ.get("ODOO_RC")
    if rc:
        parser = configparser.ConfigParser()
        if not parser.read(rc):
            raise SetupError(f"ODOO_RC={rc} cannot be read.")
        options = dict(parser.items("options")) if parser.has_section("options") else {}

        def option(name):
            value = options.get(name)
            return None if value in (None, "", "False", "None") else value

        return DbServer(
            host=option("db_host"),
            port=int(option("db_port") or 5432),
            user=option("db_user") or getpass.getuser(),
            password=option("db_password"),
            origin=f"from {rc}",
        )
    if any(os.environ.get(name) for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")):
        return DbServer(
            host=os.environ.get("PGHOST") or None,
            port=int(os.environ.get("PGPORT") or 5432),
            user=os.environ.get("PGUSER") or getpass.getuser(),
            password=os.environ.get("PGPASSWORD") or None,
            origin="from PGHOST/PGPORT/PGUSER/PGPASSWORD",
        )
    return None


def check_connection(server):
    import psycopg2

    try:
        server.connect().close()
    except psycopg2.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        raise SetupError(
            f"The PostgreSQL server at {server.describe()} refused the connection:\n"
            f"  {reason}\n"
            "Start that server or correct its settings (PGHOST, PGPORT, PGUSER, PGPASSWORD, "
            "or the db_* options of ODOO_RC); unset them all to let the scripts run a "
            "private PostgreSQL of their own."
        ) from None


def server_binaries():
    """Directory holding initdb and pg_ctl, or a clear error."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    elif shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(result.stdout.strip())
    if not os.environ.get("PG_BINDIR"):
        candidates += sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
        )
        if shutil.which("initdb"):
            candidates.append(os.path.dirname(shutil.which("initdb")))
    for candidate in candidates:
        if candidate and all(
            os.access(os.path.join(candidate, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")
        ):
            return candidate
    raise SetupError(
        "No PostgreSQL server programs (initdb, pg_ctl) were found, and no database server is "
        "configured.\nEither install PostgreSQL (Debian or Ubuntu: apt-get install postgresql; "
        "or set PG_BINDIR to the folder holding initdb), or point the scripts at a running "
        "server with PGHOST, PGPORT, PGUSER and PGPASSWORD (or ODOO_RC)."
    )


class Cluster:
    """A private PostgreSQL cluster in the git-ignored local folder, on 127.0.0.1."""

    def __init__(self):
        self.bindir = server_binaries()
        self.as_root = os.geteuid() == 0
        self.owner = "postgres" if self.as_root else getpass.getuser()
        self.root = self._place()
        self.data = self.root / "data"
        self.sockets = self.root / "run"
        self.logfile = self.root / "server.log"
        self.secret = local_dir() / "postgres-password"

    def _place(self):
        """Where the cluster lives: in the local folder, unless the scripts run as root and
        the 'postgres' user cannot reach it (a clone in a mode-700 home or temporary
        folder). Then it goes to a folder of that user's own, under its home, named after
        the repository's path so that two clones never share one; it survives a reboot,
        as the demo database it holds must. RS_LOCAL_DIR always wins."""
        default = local_dir() / "postgres"
        if not self.as_root or os.environ.get("RS_LOCAL_DIR") or (default / "data").exists():
            return default
        try:
            home = pwd.getpwnam(self.owner).pw_dir
        except KeyError:
            return default  # _prepare_owner says what is missing
        if self._reachable(local_dir()):
            return default
        digest = hashlib.sha1(str(REPO).encode()).hexdigest()[:10]
        return Path(home) / "resident-service-crm" / f"{REPO.name}-{digest}"

    def _reachable(self, folder):
        """Whether the cluster's owner can traverse every folder down to this one."""
        return self._run("test", "-x", str(folder), check=False).returncode == 0

    # running programs as the cluster's owner ---------------------------------
    def _command(self, *args):
        if self.as_root:
            return [self._runuser(), "-u", self.owner, "--", *args]
        return list(args)

    @staticmethod
    def _runuser():
        # sbin folders are not on every PATH (cron, CI), but runuser lives there
        found = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin")
        if not found:
            raise SetupError(
                "The scripts run as root and need `runuser` (util-linux) to run PostgreSQL as the "
                "'postgres' user; install util-linux, or configure an existing server (PGHOST...)."
            )
        return found

    def _run(self, *args, check=True):
        result = subprocess.run(self._command(*args), capture_output=True, text=True, check=False, cwd="/")
        if check and result.returncode:
            raise SetupError(
                f"`{' '.join(args)}` failed:\n{(result.stderr or result.stdout).strip()}\n"
                f"(server log: {self.logfile})"
            )
        return result

    def _prepare_owner(self):
        if not self.as_root:
            return
        try:
            pwd.getpwnam(self.owner)
        except KeyError:
            raise SetupError(
                "PostgreSQL refuses to run as root and there is no 'postgres' user to run it; "
                "install Debian's postgresql package, or configure an existing server "
                "(PGHOST, PGPORT, PGUSER, PGPASSWORD)."
            ) from None
        if not self.root.is_relative_to(local_dir()):
            # under the owner's home: every folder of ours there belongs to that user
            parent = self.root.parent
            parent.mkdir(parents=True, exist_ok=True)
            shutil.chown(parent, self.owner, self.owner)
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root, self.owner, self.owner)
        self.root.chmod(0o700)
        probe = self._run("test", "-w", str(self.root), check=False)
        if probe.returncode:
            raise SetupError(
                f"The 'postgres' user cannot reach {self.root}: every folder above it must be "
                "traversable by that user. Set RS_LOCAL_DIR to a folder that it can reach, or "
                "unset RS_LOCAL_DIR: the scripts then keep the cluster under that user's home."
            )

    # life cycle ---------------------------------------------------------------
    def password(self):
        if not self.secret.exists():
            self.secret.write_text(secrets.token_urlsafe(24))
            self.secret.chmod(0o600)
        return self.secret.read_text().strip()

    def running_port(self):
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return None
        status = self._run(os.path.join(self.bindir, "pg_ctl"), "status", "-D", str(self.data), check=False)
        if status.returncode != 0:
            return None
        lines = pidfile.read_text().splitlines()
        return int(lines[3]) if len(lines) > 3 else None

    def init(self):
        self._prepare_owner()
        if (self.data / "PG_VERSION").exists():
            return
        say(f"Creating a private PostgreSQL cluster in {self.data}")
        self.root.mkdir(parents=True, exist_ok=True)
        self._run(
            os.path.join(self.bindir, "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres" if self.as_root else self.owner,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        )

    # several scripts may share the cluster (a demo served while tests run) ---------
    @contextlib.contextmanager
    def locked(self):
        """Hold the cluster's lock: the last script stopping the server and another one
        starting to use it take turns, so none connects to a server that is shutting down."""
        with open(local_dir() / "postgres.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _leases(self):
        folder = local_dir() / "postgres-leases"
        folder.mkdir(exist_ok=True)
        return folder

    def acquire(self):
        (self._leases() / str(os.getpid())).touch()

    def release(self):
        """Drop our lease; return how many live scripts still use the cluster."""
        (self._leases() / str(os.getpid())).unlink(missing_ok=True)
        alive = 0
        for lease in self._leases().iterdir():
            try:
                os.kill(int(lease.name), 0)
                alive += 1
            except (ValueError, ProcessLookupError):
                lease.unlink(missing_ok=True)
            except PermissionError:
                alive += 1
        return alive

    def start(self):
        """Start the cluster unless it runs already; return (port, started_here)."""
        with self.locked():
            return self._start()

    def _start(self):
        self.init()
        self.acquire()
        port = self.running_port()
        if port:
            return port, False
        port = free_port()
        if self.as_root:
            self._run("mkdir", "-p", str(self.sockets))
        else:
            self.sockets.mkdir(parents=True, exist_ok=True)
        options = f"-p {port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            os.path.join(self.bindir, "pg_ctl"),
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
        )
        self._ensure_role(port)
        return port, True

    def _ensure_role(self, port):
        superuser = "postgres" if self.as_root else self.owner
        psql = os.path.join(self.bindir, "psql")
        if not os.access(psql, os.X_OK):
            psql = shutil.which("psql") or "psql"
        password = self.password().replace("'", "''")
        sql = (
            "DO $$BEGIN "
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN "
            f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{password}'; "
            f"ELSE ALTER ROLE {ROLE} LOGIN CREATEDB PASSWORD '{password}'; END IF; END$$;"
        )
        self._run(
            psql,
            "-X",
            "-q",
            "-h",
            str(self.sockets),
            "-p",
            str(port),
            "-U",
            superuser,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        )

    def stop(self):
        say("Stopping the private PostgreSQL cluster")
        self._run(
            os.path.join(self.bindir, "pg_ctl"),
            "stop",
            "-m",
            "fast",
            "-w",
            "-D",
            str(self.data),
            check=False,
        )


def database_server():
    """The configured server (checked), or the private cluster, started when needed."""
    server = configured_server()
    if server:
        check_connection(server)
        return server
    cluster = Cluster()
    port, started = cluster.start()
    server = DbServer(
        host="127.0.0.1",
        port=port,
        user=ROLE,
        password=cluster.password(),
        origin=f"private cluster in {Path(cluster.data).parent}",
        cluster=cluster,
        started_here=started,
    )
    check_connection(server)
    return server


def database_exists(server, name):
    with server.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return bool(cr.fetchone())


def list_databases(server, prefix):
    with server.cursor() as cr:
        cr.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY datname",
            (prefix,),
        )
        return [row[0] for row in cr.fetchall()]


def _identifier(name):
    from psycopg2 import sql

    return sql.Identifier(name)


def create_database(server, name, template=None):
    from psycopg2 import sql

    with server.cursor() as cr:
        if template:
            cr.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(_identifier(name), _identifier(template))
            )
        else:
            cr.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(_identifier(name))
            )
    if not template:
        # pg_trgm is a trusted extension: the database owner may create it, and with it
        # Odoo builds its trigram indexes for fast "contains" searches.
        with server.cursor(name) as cr:
            cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def rename_database(server, old, new):
    from psycopg2 import sql

    with server.cursor() as cr:
        cr.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(_identifier(old), _identifier(new)))


def drop_database(server, name):
    """Drop a database, ending the sessions still on it.

    FORCE ends every session, and a role that is neither a superuser nor a member of
    pg_signal_backend may not end an autovacuum worker, which PostgreSQL may have started
    on a database just written to: then the sessions of our own role are ended, and a plain
    DROP DATABASE, which stops autovacuum by itself, drops it."""
    from psycopg2 import errors, sql

    with server.cursor() as cr:
        try:
            cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(_identifier(name)))
        except errors.InsufficientPrivilege:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                (name,),
            )
            cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(_identifier(name)))
