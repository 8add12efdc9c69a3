"""setup/screenshots serves a throwaway demo and saves real pictures of the listed screens."""

import os
import re
import subprocess
import time
from collections import Counter

from PIL import Image
from rs_setup.common import REPO
from rs_setup.database import list_databases
from rs_setup.screenshots import LANGUAGES, SCREENS
from rs_setup.testkit.scripts import SETUP_ENV_NAMES

# A back-office list, a form, a report and the portal: every way a screen is reached.
CHECKED = ("customers", "complaint-form", "sla-compliance", "portal-complaints")


def run_screenshots(output, *args):
    env = {k: v for k, v in os.environ.items() if k not in SETUP_ENV_NAMES and not k.startswith("RS_")}
    env.update(
        PGHOST=os.environ.get("RS_TEST_DB_HOST") or "127.0.0.1",
        PGPORT=os.environ["RS_TEST_DB_PORT"],
        PGUSER=os.environ["RS_TEST_DB_USER"],
        PGPASSWORD=os.environ.get("RS_TEST_DB_PASSWORD", ""),
    )
    return subprocess.run(
        [str(REPO / "setup" / "screenshots"), "--output", str(output), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def colours(path):
    with Image.open(path) as image:
        assert image.size == (1280, 800), path.name
        counts = Counter(image.convert("RGB").getdata())
    return len(counts), counts.most_common(1)[0][1] / (1280 * 800)


def test_listed_screens_are_pictured_in_both_languages(db_server, tmp_path, capsys):
    start = time.monotonic()
    result = run_screenshots(tmp_path, "--only", ",".join(CHECKED))
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    expected = {
        screen.filename(suffix) for screen in SCREENS if screen.name in CHECKED for _, suffix in LANGUAGES
    }
    assert {path.name for path in tmp_path.glob("*.png")} == expected
    for name in sorted(expected):
        count, dominant = colours(tmp_path / name)
        # a blank or half-drawn page has a handful of colours, one of them nearly everywhere
        assert count > 40, f"{name}: only {count} colours"
        assert dominant < 0.9, f"{name}: one colour covers {dominant:.0%} of the picture"
    for screen in (screen for screen in SCREENS if screen.name in CHECKED):
        english, chinese = (tmp_path / screen.filename(suffix) for _, suffix in LANGUAGES)
        assert english.read_bytes() != chinese.read_bytes(), (
            f"{screen.name}: the same picture in both languages"
        )
    # the throwaway demo database this run made is gone (other tests may run the screenshots
    # at the same time on the same server: only this run's database is checked)
    made = re.search(r"Creating the demo database (rs_screenshots_\w+)", result.stdout)
    assert made, result.stdout[-3000:]
    assert made.group(1) not in list_databases(db_server, "rs_screenshots_")
    with capsys.disabled():
        print(
            f"\nsetup/screenshots: {len(expected)} pictures (new demo database included) in {elapsed:.0f} s"
        )
