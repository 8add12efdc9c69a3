"""setup/run and setup/test say clearly what is missing, without a traceback."""

import shutil
import subprocess
import sys

import pytest
from rs_setup.common import free_port
from rs_setup.testkit.scripts import busy_port, run_setup


def assert_clear_error(result, *fragments):
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output, output
    for fragment in fragments:
        assert fragment in output, output


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A Python that cannot import Odoo (a fresh virtual environment)."""
    venv = tmp_path_factory.mktemp("venv-no-odoo")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv


def fake_odoo_tree(root, major):
    """A source tree whose release file says another Odoo version."""
    (root / "odoo").mkdir(parents=True)
    (root / "odoo" / "__init__.py").write_text("")
    (root / "odoo" / "release.py").write_text(
        f"version_info = ({major}, 0, 0, 'final', 0, '')\nversion = '{major}.0'\n"
    )
    return root


@pytest.mark.parametrize("script", ["run", "test"])
def test_no_odoo(bare_python, tmp_path, script):
    result = run_setup(script, env={"PYTHON": str(bare_python / "bin" / "python")}, tmp_path=tmp_path)
    assert_clear_error(
        result,
        "Odoo is not importable here",
        "install Odoo 18.0 into this Python",
        "set ODOO_SRC to an Odoo 18.0 source tree",
        "https://github.com/odoo/odoo",
    )


def test_odoo_src_of_another_version(tmp_path):
    tree = fake_odoo_tree(tmp_path / "odoo-17", 17)
    result = run_setup("run", env={"ODOO_SRC": str(tree)}, tmp_path=tmp_path)
    assert_clear_error(result, f"ODOO_SRC={tree} holds Odoo 17.0, not 18.0")


def test_odoo_src_that_is_no_source_tree(tmp_path):
    result = run_setup("test", env={"ODOO_SRC": str(tmp_path)}, tmp_path=tmp_path)
    assert_clear_error(result, "is not an Odoo source tree")


def test_importable_odoo_of_another_version(bare_python, tmp_path):
    site = next((bare_python / "lib").glob("python3*/site-packages"))
    fake_odoo_tree(site, 17)
    try:
        result = run_setup("run", env={"PYTHON": str(bare_python / "bin" / "python")}, tmp_path=tmp_path)
    finally:
        shutil.rmtree(site / "odoo")
    assert_clear_error(result, "This Python imports Odoo 17.0")


def test_no_postgresql_programs(tmp_path):
    result = run_setup(
        "run", "--port", str(free_port()), env={"PG_BINDIR": str(tmp_path / "nowhere")}, tmp_path=tmp_path
    )
    assert_clear_error(result, "No PostgreSQL server programs (initdb, pg_ctl) were found", "PGHOST")


def server_env(server):
    """The libpq variables naming the test run's own database server."""
    return {
        "PGHOST": server.host or "",
        "PGPORT": str(server.port),
        "PGUSER": server.user,
        "PGPASSWORD": server.password or "",
    }


def test_busy_port(db_server, tmp_path):
    with busy_port() as holder:
        port = holder.getsockname()[1]
        result = run_setup("run", "--port", str(port), env=server_env(db_server), tmp_path=tmp_path)
    assert_clear_error(result, f"Port {port} on 127.0.0.1 is already in use", "--port")
    assert "Database server:" in result.stdout


def test_missing_odoo_is_told_before_a_busy_port(bare_python, tmp_path):
    with busy_port() as holder:
        port = holder.getsockname()[1]
        result = run_setup(
            "run", "--port", str(port), env={"PYTHON": str(bare_python / "bin" / "python")}, tmp_path=tmp_path
        )
    assert_clear_error(result, "Odoo is not importable here")
    assert "already in use" not in result.stdout + result.stderr


def test_missing_database_server_is_told_before_a_busy_port(tmp_path):
    with busy_port() as holder:
        port = holder.getsockname()[1]
        result = run_setup(
            "run", "--port", str(port), env={"PG_BINDIR": str(tmp_path / "nowhere")}, tmp_path=tmp_path
        )
    assert_clear_error(result, "No PostgreSQL server programs (initdb, pg_ctl) were found")
    assert "already in use" not in result.stdout + result.stderr


def test_database_server_refusing(tmp_path):
    port = free_port()  # nothing listens there
    result = run_setup(
        "run",
        "--port",
        str(free_port()),
        env={"PGHOST": "127.0.0.1", "PGPORT": str(port), "PGUSER": "odoo"},
        tmp_path=tmp_path,
    )
    assert_clear_error(result, f"The PostgreSQL server at 127.0.0.1:{port}", "refused the connection")
