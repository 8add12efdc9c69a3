from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ...tools.points import display_digits
from .ledger_writer import ledger_open
from .order_account import account_of

# what a client may not set on a card: its balance is the sum of its ledger, its holder
# owns those points
GUARDED_FIELDS = ("points", "partner_id")


class LoyaltyCard(models.Model):
    _name = "loyalty.card"
    _inherit = ["loyalty.card", "mail.activity.mixin"]

    rs_ledger_shortfall = fields.Float(
        string="Shortfall",
        compute="_compute_rs_ledger_shortfall",
        help="Points that reversals could not take back because the policy of the program "
        "stops the balance at zero.",
    )

    def _compute_rs_ledger_shortfall(self):
        groups = self.env["loyalty.history"]._read_group(
            [("card_id", "in", self.ids), ("rs_ledger_kind", "!=", False)],
            ["card_id"],
            ["rs_ledger_shortfall:sum"],
        )
        shortfall = {card.id: total for card, total in groups}
        for card in self:
            card.rs_ledger_shortfall = shortfall.get(card.id, 0.0)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """The one override of create: points refuse a new card with points from a client
        (``_rs_points_check_card_vals``), then a card Odoo's sales loyalty opens for an
        order's customer is opened for the customer's account (``_rs_points_account_vals``),
        then a stored-value card starts empty, named or anonymous, with its validity
        (``_rs_stored_value_card_vals``)."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        self._rs_points_check_card_vals(vals_list)
        vals_list = self._rs_stored_value_card_vals(self._rs_points_account_vals(vals_list))
        return super().create(vals_list)

    def write(self, vals):
        """The one override of write: points refuse a change of balance or holder from a
        client (``_rs_points_check_card_write``), then stored value refuses a balance that
        is not its ledger's (``_rs_stored_value_check_card_write``)."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        self._rs_points_check_card_write(vals)
        self._rs_stored_value_check_card_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _rs_points_check_card_vals(self, vals_list):
        """A card starts empty unless a server path creates it (a new card with a holder and
        no points moves nothing)."""
        if ledger_open(self.env):
            return
        if any(vals.get("points") for vals in vals_list):
            raise UserError(self._rs_points_refusal())

    def _rs_points_account_vals(self, vals_list):
        """Cards live on the customer account: inside ``order_account()`` a card for the
        order's customer (a contact person, an address) is the card of its account. The
        caller's values are left as they are."""
        result = []
        for vals in vals_list:
            partner_id = vals.get("partner_id")
            if partner_id and account_of(partner_id) != partner_id:
                vals = dict(vals, partner_id=account_of(partner_id))
            result.append(vals)
        return result

    def _rs_points_check_card_write(self, vals):
        """Points and holders change on the server's own paths only (see ``ledger_writer``)."""
        guarded = [name for name in GUARDED_FIELDS if name in vals]
        if not guarded or ledger_open(self.env):
            return
        points = vals.get("points") or 0.0
        partner_id = vals.get("partner_id") or False
        for card in self:
            if ("points" in vals and abs(card.points - points) >= 0.005) or (
                "partner_id" in vals and card.partner_id.id != partner_id
            ):
                raise UserError(self._rs_points_refusal())

    def _rs_points_refusal(self):
        return self.env._(
            "The points and the customer of a loyalty card change through orders, invoices, "
            "credit notes and the balance update only."
        )

    @api.model
    def _cron_rs_check_balances(self):
        """Every night: every card's balance against the sum of its ledger, in one query
        (the ledger summed per card first, then joined to the cards; a stored-value card's
        ledger is its stored-value entries). A card that differs
        gets an activity for the Resident Services managers with the difference, unless
        one is still open for it: drift never stays silent, and a second run adds nothing."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT c.id, COALESCE(c.points, 0), COALESCE(h.total, 0)
                  FROM loyalty_card c
                  LEFT JOIN (
                        SELECT card_id, SUM(total) AS total
                          FROM (
                                SELECT card_id, SUM(COALESCE(issued, 0) - COALESCE(used, 0)) AS total
                                  FROM loyalty_history
                                 GROUP BY card_id
                                 UNION ALL
                                SELECT card_id, SUM(amount)
                                  FROM rs_stored_value_entry
                                 GROUP BY card_id
                               ) ledgers
                         GROUP BY card_id
                       ) h ON h.card_id = c.id
                 WHERE ABS(COALESCE(c.points, 0) - COALESCE(h.total, 0)) >= 0.005
                """
            )
        )
        if not rows:
            return True
        activity_type = self.env.ref("resident_service_crm_loyalty.mail_activity_type_points_drift")
        # sudo: the job reads every card and opens activities for the managers
        cards = self.sudo().browse([row[0] for row in rows])
        open_on = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "loyalty.card"),
                    ("res_id", "in", cards.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        managers = self.env.ref("resident_service_crm.group_manager").sudo().users.filtered("active")
        model_id = self.env["ir.model"]._get_id("loyalty.card")
        vals_list = []
        for card_id, points, total in rows:
            if card_id in open_on:
                continue
            card = cards.browse(card_id)
            note = self.env._(
                "Card %(card)s holds %(points)s points but its ledger adds up to %(total)s: "
                "a difference of %(difference)s. Find the change that has no ledger entry and "
                "record a correction.",
                card=card.code,
                points=round(points, 2),
                total=round(total, 2),
                difference=round(points - total, 2),
            )
            for user in managers:
                if card.company_id and card.company_id not in user.company_ids:
                    continue
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": card_id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.summary,
                        "note": note,
                        "user_id": user.id,
                    }
                )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
        return True

    def _rs_ledger_balance_from_history(self):
        """{card id: issued - used over all its history rows}: what the balance must be."""
        groups = self.env["loyalty.history"]._read_group(
            [("card_id", "in", self.ids)], ["card_id"], ["issued:sum", "used:sum"]
        )
        totals = {card.id: issued - used for card, issued, used in groups}
        return {card.id: totals.get(card.id, 0.0) for card in self}

    @api.model
    def _rs_format_points(self, value):
        """A points figure as the portal prints it, the same everywhere: grouped thousands,
        decimals only when the figure has some (680, 1,280, 12.50)."""
        return formatLang(self.env, value or 0.0, digits=display_digits(value))
