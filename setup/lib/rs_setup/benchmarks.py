"""docs/benchmarks.md: the figures of the full-scale benchmark runs, one section per file.

A benchmark prints its figures in every run; at full scale it also writes them into its
own section of docs/benchmarks.md, with the machine, the date and the commit, so that a
reader sees what was measured without running it. A run of one file rewrites only that
file's section.
"""

import os
import platform
import re
import subprocess
from datetime import datetime, timezone

from .common import REPO

DOCUMENT = REPO / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Each section holds what one benchmark under `tests/` printed at full scale, written by
`./setup/test --benchmark-scale full --file tests/<file>` (every benchmark with
`./setup/test --benchmark-scale full`). Every test run runs the same benchmarks at a small
scale, so that they cannot rot; speed is measured here, never asserted by a test.
"""
SECTION = re.compile(r"<!-- benchmark: (?P<name>[\w.]+) -->.*?<!-- /benchmark: (?P=name) -->\r?\n?", re.S)


def machine():
    """What the figures were measured on, in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = ""
    try:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()}, Python {platform.python_version()}"


def commit():
    """The commit measured, marked when the working tree differs from it."""

    def git(*args):
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short=10", "HEAD") or "unknown"
    changed = [
        line
        for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
        if not line.endswith(str(DOCUMENT.relative_to(REPO)))
    ]
    return f"{head} with uncommitted changes" if changed else head


def render_section(name, title, figures, measured_on, when, revision):
    return (
        f"<!-- benchmark: {name} -->\n"
        f"## {title}\n\n"
        f"`tests/{name}.py`, measured {when:%Y-%m-%d %H:%M} UTC on {measured_on}, commit {revision}.\n\n"
        f"```text\n{figures.strip()}\n```\n"
        f"<!-- /benchmark: {name} -->\n"
    )


def update_document(text, name, section):
    """The document with the section of this benchmark replaced in place, or inserted in
    name order; every other text is kept as it is."""
    text = text or HEADER
    matches = list(SECTION.finditer(text))
    for match in matches:
        if match["name"] == name:
            return text[: match.start()] + section + text[match.end() :]
    earlier = [match for match in matches if match["name"] < name]
    if earlier:  # right after the section it follows, before whatever comes next
        end = earlier[-1].end()
        return text[:end] + "\n" + section + text[end:]
    if matches:
        return text[: matches[0].start()] + section + "\n" + text[matches[0].start() :]
    return text.rstrip("\r\n") + "\n\n" + section


def record(name, title, figures, path=DOCUMENT):
    """Write the figures of one full-scale benchmark run into its section of the document."""
    section = render_section(name, title, figures, machine(), datetime.now(timezone.utc), commit())
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(update_document(text, name, section), encoding="utf-8")
