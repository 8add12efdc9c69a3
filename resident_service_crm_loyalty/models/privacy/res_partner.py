from odoo import api, models

from odoo.addons.resident_service_crm.tools.personal_data import KEEP, PersonalField, PersonalModel

# The member cards and their points ledger: kept on erasure, as the points are money-like and
# the ledger is append-only.
PERSONAL_DATA = [
    PersonalModel(
        "loyalty.card",
        "partner_id",
        {"code": PersonalField(erase=KEEP), "points": PersonalField(erase=KEEP)},
    ),
    PersonalModel(
        "loyalty.history",
        "card_id.partner_id",
        {"description": PersonalField(erase=KEEP)},
    ),
    # the reminders themselves hold no personal value; their messages (the mails sent) do,
    # and are handed over and erased with the customer's
    PersonalModel("rs.loyalty.expiry.reminder", "partner_id", {"reason_message": PersonalField(erase=KEEP)}),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _rs_personal_data(self):
        return super()._rs_personal_data() + PERSONAL_DATA

    def _rs_privacy_sections(self):
        """The member cards and their points ledger are handed over with the rest."""
        sections = super()._rs_privacy_sections()
        # sudo: the officer hands over the customer's cards whatever their own loyalty rights.
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", self.id)])
        )
        sections += [
            (
                "loyalty_cards",
                self.env._("Member Cards"),
                cards,
                ["code", "program_id", "points", "expiration_date"],
            ),
            (
                "loyalty_ledger",
                self.env._("Points Ledger"),
                cards.history_ids,
                [
                    "card_id",
                    "create_date",
                    "description",
                    "rs_ledger_kind",
                    "issued",
                    "used",
                    "rs_points_expiry_date",
                ],
            ),
        ]
        return sections
