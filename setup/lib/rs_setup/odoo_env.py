"""Finding Odoo 18.0 and the Python packages the project needs."""

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from .common import REPO, SetupError, say

SERIES = "18.0"
OFFICIAL_SOURCES = "the 18.0 branch of https://github.com/odoo/odoo, or the Odoo 18.0 nightly source archive"
PROBE = """
import json, os, sys
try:
    import odoo, odoo.release as release
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
    sys.exit(0)
print(json.dumps({
    "version": release.version,
    "major": release.version_info[0],
    "package": os.path.dirname(os.path.abspath(odoo.__file__)),
}))
"""


def probe(python):
    """What `import odoo` gives in that Python: its version and where it lives."""
    result = subprocess.run([python, "-c", PROBE], capture_output=True, text=True, check=False, cwd="/")
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (result.stderr.strip().splitlines() or ["unknown error"])[-1]}


def _source_version(src):
    release = Path(src, "odoo", "release.py")
    if not release.is_file():
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+)\s*,\s*(\d+)", release.read_text(), re.M)
    return f"{match[1]}.{match[2]}" if match else None


def _how_to_provide(problem):
    return (
        f"{problem}\n"
        "The Resident Services addons need Odoo 18.0 Community. Provide it in one of two ways:\n"
        f"  1. install Odoo 18.0 into this Python ({sys.executable}), so that\n"
        "     `python3 -c 'import odoo'` works; or\n"
        "  2. set ODOO_SRC to an Odoo 18.0 source tree and run again: it is installed\n"
        "     into this Python with the project's constraints (constraints.txt).\n"
        f"Odoo's official sources: {OFFICIAL_SOURCES}."
    )


def pip_install(python, *args):
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
    say("$ " + " ".join(command[1:]))
    if subprocess.run(command, check=False).returncode:
        raise SetupError("pip could not install the packages above; its messages say why.")


def ensure_odoo(python=sys.executable):
    """Return the probe of an importable Odoo 18.0, installing ODOO_SRC when given."""
    src = os.environ.get("ODOO_SRC")
    info = probe(python)
    if src:
        src = os.path.abspath(os.path.expanduser(src))
        version = _source_version(src)
        if version is None:
            raise SetupError(
                _how_to_provide(f"ODOO_SRC={src} is not an Odoo source tree (no odoo/release.py).")
            )
        if version != SERIES:
            raise SetupError(_how_to_provide(f"ODOO_SRC={src} holds Odoo {version}, not {SERIES}."))
        installed_here = info.get("package") and os.path.realpath(info["package"]) == os.path.realpath(
            os.path.join(src, "odoo")
        )
        if not (installed_here and info.get("major") == 18):
            say(f"Installing Odoo {SERIES} from {src} into {python}")
            pip_install(
                python, "-c", str(REPO / "constraints.txt"), "-r", str(REPO / "requirements-odoo.txt")
            )
            pip_install(python, "--no-deps", "-e", src)
            info = probe(python)
    if "error" in info:
        raise SetupError(_how_to_provide(f"Odoo is not importable here ({info['error']})."))
    if info["major"] != 18:
        raise SetupError(
            _how_to_provide(f"This Python imports Odoo {info['version']} from {info['package']}.")
        )
    return info


def _pins():
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normalise(name)] = version.strip()
    return pins


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def missing_requirements(requirements=REPO / "requirements.txt"):
    pins = _pins()
    missing = []
    for line in requirements.read_text().splitlines():
        name = re.split(r"[\s;<>=!~\[]", line.split("#", 1)[0].strip(), maxsplit=1)[0]
        if not name:
            continue
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        pin = pins.get(_normalise(name))
        if pin and version != pin:
            missing.append(f"{name} ({version} installed, {pin} pinned)")
    return missing


def ensure_requirements(python=sys.executable):
    """Install the project's own Python requirements when any is missing or off its pin."""
    missing = missing_requirements()
    if missing:
        say("Installing the project's requirements: " + ", ".join(missing))
        pip_install(python, "-c", str(REPO / "constraints.txt"), "-r", str(REPO / "requirements.txt"))


def ensure_node_tools():
    """Install the formatting tools of package.json (prettier and its XML plugin) as
    package-lock.json pins them, when they are missing or the lock file has changed."""
    installed = REPO / "node_modules" / ".package-lock.json"
    lock = REPO / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    say("Installing the formatting tools (npm ci)")
    try:
        result = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise SetupError("npm is needed for the XML formatter: install Node.js and npm") from error
    if result.returncode:
        raise SetupError(f"npm ci failed:\n{result.stdout}{result.stderr}")


def addons_path(info):
    package = Path(info["package"])
    paths = [package / "addons"]
    source_addons = package.parent / "addons"
    if (source_addons / "web" / "__manifest__.py").is_file():
        paths.append(source_addons)
    paths.append(REPO)
    return [str(path) for path in paths]


def dependencies(addons, root=REPO):
    """Modules outside this repository that the given addons depend on."""
    deps = set()
    for addon in addons:
        manifest = root / addon / "__manifest__.py"
        deps.update(_literal(manifest)["depends"])
    ours = {path.parent.name for path in root.glob("*/__manifest__.py")}
    return sorted(deps - ours)


def _literal(path):
    import ast

    return ast.literal_eval(path.read_text())
