"""docs/benchmarks.md holds the full-scale figures of every benchmark, one section each,
and a full-scale run of one benchmark rewrites only its own section."""

from datetime import datetime

from rs_setup import benchmarks
from rs_setup.common import REPO

BENCHMARKS = sorted(path.stem for path in (REPO / "tests").glob("test_benchmark_*.py"))
WHEN = datetime(2026, 12, 4, 9, 30)


def section(name, figures):
    return benchmarks.render_section(name, name.title(), figures, "2 cores", WHEN, "abc123")


def test_one_run_rewrites_only_its_section():
    text = benchmarks.update_document("", "test_benchmark_b", section("test_benchmark_b", "b: 1 s"))
    text = benchmarks.update_document(text, "test_benchmark_a", section("test_benchmark_a", "a: 2 s"))
    assert text.startswith(benchmarks.HEADER)
    assert text.index("a: 2 s") < text.index("b: 1 s"), "sections are kept in name order"
    again = benchmarks.update_document(text, "test_benchmark_b", section("test_benchmark_b", "b: 3 s"))
    assert "b: 1 s" not in again and "b: 3 s" in again
    assert again.count("<!-- benchmark: ") == 2
    # a third one goes between them, and text a person wrote between sections stays
    noted = again.replace("<!-- benchmark: test_benchmark_b", "A note.\n\n<!-- benchmark: test_benchmark_b")
    third = benchmarks.update_document(noted, "test_benchmark_ab", section("test_benchmark_ab", "ab: 4 s"))
    assert third.index("a: 2 s") < third.index("ab: 4 s") < third.index("A note.") < third.index("b: 3 s")
    # a file whose last line lost its newline still has its last section replaced, not doubled
    trimmed = benchmarks.update_document(
        third.rstrip("\n"), "test_benchmark_b", section("test_benchmark_b", "b: 5")
    )
    assert trimmed.count("<!-- benchmark: test_benchmark_b -->") == 1 and "b: 5" in trimmed
    # the other section and the header are untouched, byte for byte
    before = text[: text.index("<!-- benchmark: test_benchmark_b")]
    assert again.startswith(before)


def test_a_section_says_what_was_measured_where():
    text = section("test_benchmark_care", "care job benchmark (full): 100,000 customers")
    assert "`tests/test_benchmark_care.py`" in text
    assert "2026-12-04 09:30 UTC on 2 cores, commit abc123" in text
    assert "care job benchmark (full): 100,000 customers" in text


def test_every_benchmark_has_full_scale_figures_in_the_document():
    text = (REPO / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    found = {match["name"]: match[0] for match in benchmarks.SECTION.finditer(text)}
    assert sorted(found) == BENCHMARKS, "run ./setup/test --benchmark-scale full --file tests/<file>"
    for name, body in found.items():
        assert "(full" in body, f"{name}: the figures recorded are not of the full scale"
