import io
from datetime import date

from odoo.tests import TransactionCase, tagged

from ...tools.value_changes import CHANGE_FIELDS, Change, copy_column, copy_rows


@tagged("post_install", "-at_install")
class TestValueChanges(TransactionCase):
    """The rules' decisions travel to PostgreSQL in its COPY text format: what PostgreSQL
    reads back is what was sent, whatever the text holds."""

    def test_a_change_starts_empty_and_records_tier_and_stage(self):
        change = Change(risk=40.0)
        self.assertEqual(
            (change.tier_changed, change.tier_id, change.stage_changed, change.stage_id),
            (False, None, False, None),
        )
        change.set_tier(7)
        change.set_stage(3, date(2026, 12, 7), '{"text": "reason"}')
        self.assertEqual(
            (change.risk, change.tier_changed, change.tier_id, change.stage_changed, change.stage_id),
            (40.0, True, 7, True, 3),
        )
        self.assertEqual(CHANGE_FIELDS[:3], ("risk", "signal_note", "tier_changed"))

    def test_copy_format_of_each_type(self):
        self.assertEqual(copy_column([True, False, None], "bool"), ["t", "f", "\\N"])
        self.assertEqual(copy_column([3, None, False], "int4"), ["3", "\\N", "\\N"])
        self.assertEqual(copy_column(["a\tb\nc\\d\re", None], "varchar"), ["a\\tb\\nc\\\\d\\re", "\\N"])
        self.assertEqual(copy_rows({}), "")

    def test_postgresql_reads_back_what_was_sent(self):
        notes = ['{"text": "tab\\there"}', "line one\nline two", "back\\slash", "回访\r未接通", None]
        changes = {
            10 + index: Change(risk=index * 12.5, signal_note=note) for index, note in enumerate(notes)
        }
        changes[10].set_tier(5)
        changes[11].set_stage(2, date(2026, 12, 7), '{"args": {"days": 90}}')
        cr = self.env.cr
        cr.execute(
            "CREATE TEMPORARY TABLE rs_value_change_test (partner_id int4, risk float8, signal_note varchar,"
            " tier_changed bool, tier_id int4, stage_changed bool, stage_id int4, stage_date date,"
            " stage_reason varchar) ON COMMIT DROP"
        )
        cr.copy_expert("COPY rs_value_change_test FROM STDIN", io.StringIO(copy_rows(changes)))
        cr.execute("SELECT * FROM rs_value_change_test ORDER BY partner_id")
        expected = [
            (pid, c.risk, c.signal_note, c.tier_changed, c.tier_id, c.stage_changed, c.stage_id, c.stage_date,
             c.stage_reason)
            for pid, c in changes.items()
        ]  # fmt: skip
        self.assertEqual(cr.fetchall(), expected)
