from odoo import api, models

from odoo.addons.resident_service_crm.tools.personal_data import (
    KEEP,
    TEXT,
    PersonalField,
    PersonalModel,
)

# The member cards and their points ledger: kept on erasure, as the points are money-like and
# the ledger is append-only.
PERSONAL_DATA = [
    PersonalModel(
        "loyalty.card",
        "partner_id",
        {
            "code": PersonalField(erase=KEEP),
            "points": PersonalField(erase=KEEP),
            # the identity recorded for a stored-value card (储值卡), which the rules keep five years
            "rs_identity_type": PersonalField(erase=KEEP),
            "rs_identity_number": PersonalField(mask=TEXT, erase=KEEP),
            "rs_identity_name": PersonalField(mask=TEXT, erase=KEEP),
        },
    ),
    # the stored-value ledger is money-like and append-only, as the points ledger
    PersonalModel("rs.stored.value.entry", "card_id.partner_id", {"amount": PersonalField(erase=KEEP)}),
    # session packages (次卡) and their ledger are money-like and append-only, as the points ledger
    PersonalModel("rs.package", "partner_id", {"price_paid": PersonalField(erase=KEEP)}),
    PersonalModel("rs.package.entry", "package_id.partner_id", {"amount": PersonalField(erase=KEEP)}),
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
                [
                    "code",
                    "program_id",
                    "points",
                    "expiration_date",
                    "rs_card_type",
                    "rs_identity_type",
                    "rs_identity_number",
                    "rs_identity_name",
                ],
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
            (
                "stored_value_ledger",
                self.env._("Stored-Value Ledger"),
                cards.rs_stored_value_entry_ids,
                ["card_id", "create_date", "operation", "kind", "amount", "expiry_date"],
            ),
        ]
        return sections
