from collections import defaultdict

from odoo import models
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

from ..points.account_move import PAID_STATES

_lt = LazyTranslate(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    def _rs_ledger_scale_earnings(self, wanted):
        """Tier benefit: the points a membership program gives on these invoices,
        ``{(move, program): {line id: (points by quantity, points by amount)}}``, multiplied
        by the earning multiplier of the customer's tier."""
        config = self.env["res.company"]._rs_membership_config()
        scaled = {}
        for (move, program), points in wanted.items():
            factor = 1.0
            member = config.get(move.company_id.id)
            if member and member[0] == program.id and move.commercial_partner_id:
                tier = move.commercial_partner_id.with_company(move.company_id).rs_tier_id
                factor = tier.points_multiplier if tier else 1.0
            if factor != 1.0:
                points = {
                    line_id: (round(qty * factor, 2), round(amount * factor, 2))
                    for line_id, (qty, amount) in points.items()
                }
            scaled[(move, program)] = points
        return scaled

    def _rs_membership_upgrade_by_spend(self):
        """Upgrade at once the customers of companies whose tiers follow spend."""
        config = self.env["res.company"]._rs_membership_config()
        targets = defaultdict(set)
        for move in self:
            member = config.get(move.company_id.id)
            if move.move_type == "out_invoice" and member and member[1] and member[2] == "spend":
                targets[move.company_id.id].add(move.commercial_partner_id.id)
        if targets:
            self.env["res.partner"]._rs_membership_upgrade(targets)

    def _rs_membership_award_referrals(self):
        """Referral rewards: the first paid invoice of a referred customer gives the referrer
        the membership program's referral points, once (the ledger entry's source is the
        referred customer, so its unique key refuses a second one)."""
        config = self.env["res.company"]._rs_membership_config()
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.payment_state in PAID_STATES
                and move.commercial_partner_id.rs_referred_by_id
                and move.company_id.id in config
            )
        )
        if not invoices:
            return
        # sudo: the referral reward follows the payment whoever registers it
        programs = (
            self.env["loyalty.program"].sudo().browse({config[move.company_id.id][0] for move in invoices})
        )
        History = self.env["loyalty.history"].sudo()
        Card = self.env["loyalty.card"].sudo()
        vals_list = []
        for program in programs.filtered("rs_referral_points"):
            referred = invoices.filtered(lambda move, p=program: config[move.company_id.id][0] == p.id)
            referred = referred.commercial_partner_id
            awarded = set(
                History.search(
                    [
                        ("card_id.program_id", "=", program.id),
                        ("rs_ledger_kind", "=", "referral"),
                        ("rs_ledger_source_model", "=", "res.partner"),
                        ("rs_ledger_source_id", "in", referred.ids),
                    ]
                ).mapped("rs_ledger_source_id")
            )
            referred = referred.filtered(lambda partner, done=awarded: partner.id not in done)
            if not referred:
                continue
            cards = Card._rs_member_cards(program, referred.rs_referred_by_id)
            for customer in referred:
                vals_list.append(
                    {
                        "card_id": cards[customer.rs_referred_by_id.id].id,
                        "description": server_text.said_to(
                            customer.rs_referred_by_id,
                            _lt("Referral of %(customer)s", customer=customer.name),
                        ),
                        "issued": program.rs_referral_points,
                        "used": 0.0,
                        "rs_ledger_kind": "referral",
                        "rs_ledger_source_model": "res.partner",
                        "rs_ledger_source_id": customer.id,
                        "rs_ledger_cycle": 0,
                    }
                )
        Card._rs_credit_points(vals_list)
