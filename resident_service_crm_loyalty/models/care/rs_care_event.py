from odoo import fields, models
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

_lt = LazyTranslate(__name__)


class RsCareEvent(models.Model):
    _inherit = "rs.care.event"

    reason = fields.Selection(
        selection_add=[("no_points", "No Points for the Tier")], ondelete={"no_points": "set null"}
    )
    ledger_entry_id = fields.Many2one("loyalty.history", string="Points Entry", readonly=True, copy=False)

    def _process(self, when=None):
        points_events = self.filtered(lambda event: event.rule_id.action == "points")
        for company, events in points_events.grouped("company_id").items():
            events._process_points(company)
        return super(RsCareEvent, self - points_events)._process(when=when)

    def _process_points(self, company):
        """Credit each customer the birthday points of their tier in one batch of ledger
        entries, keyed by the care event (a second run credits nothing)."""
        program = company.rs_member_program_id
        partners = self.partner_id.with_company(company)
        points = {partner.id: partner.rs_tier_id.birthday_points for partner in partners}
        rewarded = self.filtered(lambda event: program and points.get(event.partner_id.id))
        (self - rewarded)._skip("no_points")
        if not rewarded:
            return
        Card = self.env["loyalty.card"]
        cards = Card._rs_member_cards(program, rewarded.partner_id)
        entries = Card._rs_credit_points(
            [
                {
                    "card_id": cards[event.partner_id.id].id,
                    "description": server_text.said_to(
                        event.partner_id, _lt("Birthday points: %(rule)s", rule=event.rule_id.name)
                    ),
                    "issued": points[event.partner_id.id],
                    "used": 0.0,
                    "rs_ledger_kind": "bonus",
                    "rs_ledger_source_model": "rs.care.event",
                    "rs_ledger_source_id": event.id,
                    "rs_ledger_cycle": 0,
                }
                for event in rewarded
            ]
        )
        for event, entry in zip(rewarded, entries, strict=True):
            event.write({"state": "done", "ledger_entry_id": entry.id, "retry_at": False})
