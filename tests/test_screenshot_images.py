"""The README's pictures: every listed screen committed in both languages, shown in the
README, and taken from the views as they are now."""

import json

import pytest
from PIL import Image
from rs_setup.common import REPO
from rs_setup.screenshots import OUTPUT, RECORD, SCREENS, expected_files, views_digest


@pytest.mark.parametrize("name", expected_files())
def test_picture_is_committed(name):
    path = OUTPUT / name
    assert path.is_file(), f"docs/images/{name} is missing: run ./setup/screenshots"
    (screen,) = [screen for screen in SCREENS if name in (screen.filename("en"), screen.filename("zh"))]
    with Image.open(path) as image:
        assert image.format == "PNG"
        # a desktop screen, or a phone's for the screens taken on one
        assert image.size == (screen.width, screen.height)


def test_pictures_show_the_current_views():
    record = json.loads((OUTPUT / RECORD).read_text())
    assert [entry["file"] for entry in record["screens"]] == expected_files()
    assert record["views_digest"] == views_digest(), (
        "A view changed since the pictures in docs/images were taken: run ./setup/screenshots "
        "and commit the pictures."
    )


def test_readme_shows_every_screen():
    readme = (REPO / "README.md").read_text()
    for screen in SCREENS:
        for name in (screen.filename("en"), screen.filename("zh")):
            assert f"docs/images/{name}" in readme, f"README.md does not show {name}"
