from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestLedgerDuplicateJourney(RoleJourneyCase):
    """A balance update sent twice (a second tab, a double submit) finds its ledger entry
    already written: the user is told which entry exists, in words, and the card is not
    changed a second time."""

    def test_an_entry_written_twice_is_explained(self):
        program = self.env.ref("resident_service_crm_loyalty.program_anju_members")
        customer = self.env["res.partner"].create({"name": "Qian Hui", "rs_is_resident_customer": True})
        card = self.env["loyalty.card"].create({"program_id": program.id, "partner_id": customer.id})
        self.login_as("service_desk")
        wizard = self.create(
            "loyalty.card.update.balance",
            {"card_id": card.id, "new_balance": 150, "description": "Counter"},
        )
        # the entry of this very wizard run is already in the ledger, as after a first submit
        # (sudo: the ledger is written by the server only)
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": card.id,
                "description": "Counter",
                "issued": 150,
                "used": 0,
                "rs_ledger_kind": "adjust",
                "rs_ledger_source_model": "loyalty.card.update.balance",
                "rs_ledger_source_id": wizard,
                "rs_ledger_cycle": 0,
            }
        )
        with self.refused("odoo.exceptions.UserError") as caught:
            self.button("loyalty.card.update.balance", wizard, "action_update_card_point")
        message = caught.exception.message
        self.assertIn("The points ledger already has this entry", message)
        self.assertIn(card.display_name, message)
        self.assertNotIn("duplicate key", message)
        self.assertEqual(len(card.history_ids), 1)
