import base64
import io

import qrcode

from odoo import fields, models
from odoo.tools import SQL


class LoyaltyCard(models.Model):
    """The member card: its code is the member number, printed with a QR code."""

    _inherit = "loyalty.card"

    rs_member_since = fields.Date(
        string="Member Since",
        default=fields.Date.context_today,
        help="The day the customer joined: the membership anniversary, when tiers are reviewed on it.",
    )
    rs_tier_id = fields.Many2one(
        "rs.customer.tier", string="Tier", compute="_compute_rs_tier_id", help="The member's tier."
    )

    def _compute_rs_tier_id(self):
        for card in self:
            company = card.company_id or self.env.company
            card.rs_tier_id = card.partner_id.with_company(company).rs_tier_id if card.partner_id else False

    def action_rs_print_member_card(self):
        return self.env.ref("resident_service_crm_loyalty.member_card_report").report_action(self)

    def _rs_member_qr(self):
        """The member number as a QR code, a base64 PNG embedded in the printed card (the PDF
        renderer then needs no request back to the server). Drawn with ``qrcode``, as Odoo's
        two-factor setup does: it needs no rendering backend beyond Pillow."""
        self.ensure_one()
        image = qrcode.make(self.code, box_size=8, border=1)
        stream = io.BytesIO()
        image.save(stream, format="PNG")
        return base64.b64encode(stream.getvalue()).decode()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    def _rs_member_cards(self, program, partners):
        """{partner id: the member card of each partner in ``program``}, created when missing."""
        # sudo: the member card is opened for the customer whoever triggers the credit
        Card = self.sudo()
        found = {}
        for card in Card.search(
            [("program_id", "=", program.id), ("partner_id", "in", partners.ids)], order="id"
        ):
            found.setdefault(card.partner_id.id, card)
        missing = [partner for partner in partners if partner.id not in found]
        if missing:
            # two transactions opening the card of one customer at once must not make two: touching
            # the program row makes the later one fail with a serialization error and retry
            self.env.cr.execute(
                SQL("UPDATE loyalty_program SET write_date = write_date WHERE id = %(id)s", id=program.id)
            )
            created = Card.with_context(loyalty_no_mail=True).create(
                [{"program_id": program.id, "partner_id": partner.id, "points": 0} for partner in missing]
            )
            found.update({card.partner_id.id: card for card in created})
        return found

    def _rs_credit_points(self, vals_list):
        """Append ledger entries crediting points (each a dict of ``loyalty.history`` values
        with ``card_id`` and ``issued``) and bring the cards' balances along, one write per
        card. The ledger's unique key refuses a second credit for the same source."""
        if not vals_list:
            return self.env["loyalty.history"]
        # sudo: ledger entries are written by the suite's own operations only
        entries = self.env["loyalty.history"].sudo().create(vals_list)
        for card in entries.card_id:
            added = sum(entry.issued - entry.used for entry in entries if entry.card_id == card)
            card.sudo().points = round(card.points + added, 2)
        return entries
