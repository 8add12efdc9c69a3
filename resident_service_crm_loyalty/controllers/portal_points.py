import datetime

from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

HISTORY_LIMIT = 100


class PortalPoints(CustomerPortal):
    def _points_cards(self):
        """The loyalty cards of the logged-in customer and of the contacts of its company."""
        partner = request.env.user.partner_id.commercial_partner_id
        # sudo: portal users have no rights on loyalty cards; only their own are read
        return (
            request.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("program_id.program_type", "=", "loyalty"),
                    ("program_id.active", "=", True),
                ]
            )
        )

    def _prepare_home_portal_values(self, counters):
        """The number of cards for ``/my/counters``; on the home page itself (no counter
        named), also the balance its tile prints."""
        values = super()._prepare_home_portal_values(counters)
        if not counters or "points_count" in counters:
            cards = self._points_cards()
            values["points_count"] = len(cards)
            if not counters and cards:
                values["rs_points_balance"] = request.env["loyalty.card"]._rs_format_points(
                    sum(cards.mapped("points"))
                )
        return values

    @http.route(["/my/points"], type="http", auth="user", website=True)
    def portal_my_points(self, **kw):
        cards = self._points_cards()
        today = fields.Date.context_today(cards)
        soon = {}
        for card in cards:
            days = card.program_id.rs_points_reminder_days or 30
            horizon = today + datetime.timedelta(days=days)
            lots = card.rs_points_lot_ids.filtered(
                lambda lot, horizon=horizon: (
                    lot.rs_points_expiry_date and lot.rs_points_expiry_date <= horizon
                )
            )
            soon[card.id] = lots.sorted(lambda lot: (lot.rs_points_expiry_date, lot.id))
        # sudo: the history of the customer's own cards, read for the customer
        history = (
            request.env["loyalty.history"]
            .sudo()
            .search([("card_id", "in", cards.ids)], order="id desc", limit=HISTORY_LIMIT)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "points",
                "cards": cards,
                "soon": soon,
                "history": history,
                "format_points": request.env["loyalty.card"]._rs_format_points,
            }
        )
        return request.render("resident_service_crm_loyalty.portal_my_points", values)
