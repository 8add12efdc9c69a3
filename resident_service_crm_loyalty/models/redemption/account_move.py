from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

MOVE = "account.move"
MOVE_LINE = "account.move.line"


class AccountMove(models.Model):
    _inherit = "account.move"

    loyalty_redeem_count = fields.Integer(
        string="Points Redemptions",
        compute="_compute_loyalty_redeem_count",
        help="How many discount lines of this invoice are paid in loyalty points.",
    )

    @api.depends("invoice_line_ids.loyalty_redeem_card_id")
    def _compute_loyalty_redeem_count(self):
        for move in self:
            move.loyalty_redeem_count = len(move.invoice_line_ids.filtered("loyalty_redeem_card_id"))

    # ------------------------------------------------------------------
    # ORM and accounting hooks
    # ------------------------------------------------------------------

    def copy_data(self, default=None):
        """A duplicated invoice leaves out the discount lines paid in points (points are
        spent on one invoice only); a credit note keeps them, as plain lines, so that its
        total matches the invoice."""
        vals_list = super().copy_data(default)
        if (default or {}).get("reversed_entry_id"):
            return vals_list
        for move, vals in zip(self, vals_list, strict=True):
            lines = move.line_ids
            commands = vals.get("line_ids") or []
            if not lines.loyalty_redeem_card_id or len(commands) != len(lines):
                continue
            vals["line_ids"] = [
                command
                for line, command in zip(lines, commands, strict=True)
                if not line.loyalty_redeem_card_id
            ]
        return vals_list

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_open_redeem_points(self):
        """Choose a reward of the customer's loyalty program and pay part of this draft
        invoice with points."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "draft":
            raise UserError(self.env._("Points can be spent on draft customer invoices only."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Redeem Points"),
            "res_model": "account.move.redeem.points",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------
    # BUSINESS: points spent on invoices
    # ------------------------------------------------------------------

    def _redeem_sync(self, removed=None):
        """Bring the points spent by the discount lines of these invoices to what their
        state says: a line of an invoice that is not cancelled spends its points, a removed
        line or a cancelled invoice gives them back. Each redemption and return is a ledger
        entry keyed by the line and a cycle, so that a replay writes nothing."""
        removed = removed or self.env[MOVE_LINE]
        lines = (self.invoice_line_ids.filtered("loyalty_redeem_card_id") | removed).sudo()
        if not lines:
            return
        # sudo: the ledger follows the invoice whoever edits it; invoicing staff need no
        # rights on loyalty cards
        History = self.env["loyalty.history"].sudo()
        entries = History.search(
            [
                ("ledger_source_model", "=", MOVE),
                ("ledger_source_line_id", "in", lines.ids),
                ("ledger_kind", "in", ("redeem", "redeem_return")),
            ],
            order="id",
        )
        by_line = defaultdict(lambda: {"redeem": History.browse(), "redeem_return": History.browse()})
        for entry in entries:
            by_line[entry.ledger_source_line_id][entry.ledger_kind] |= entry
        spend, give_back = [], []
        for line in lines:
            held = by_line[line.id]
            active = line not in removed and line.move_id.state != "cancel"
            spent = len(held["redeem"]) > len(held["redeem_return"])
            if active and not spent:
                spend.append((line, len(held["redeem"])))
            elif not active and spent:
                give_back.append((line, held["redeem"][-1], len(held["redeem_return"])))
        balances = {}
        vals_list = []
        for line, cycle in spend:
            card = line.loyalty_redeem_card_id
            balance = balances.setdefault(card, card.points)
            if balance + 0.005 < line.loyalty_redeem_points:
                raise UserError(
                    self.env._(
                        "Card %(card)s holds %(balance)s points, not the %(points)s that the line "
                        "“%(line)s” spends: remove the line or choose fewer points.",
                        card=card.code,
                        balance=balance,
                        points=line.loyalty_redeem_points,
                        line=line.name,
                    )
                )
            balances[card] = balance - line.loyalty_redeem_points
            vals_list.append(self._redeem_entry_vals(line, "redeem", cycle))
        for line, redemption, cycle in give_back:
            card = line.loyalty_redeem_card_id
            balances[card] = balances.setdefault(card, card.points) + redemption.used
            vals = self._redeem_entry_vals(line, "redeem_return", cycle)
            vals.update(issued=redemption.used, used=0.0, points_returned_id=redemption.id)
            vals_list.append(vals)
        if vals_list:
            History.create(vals_list)
            for card, balance in balances.items():
                card.points = round(balance, 2)

    def _redeem_entry_vals(self, line, kind, cycle):
        move = line.move_id
        document = move.name if move.name and move.name != "/" else move.display_name
        if kind == "redeem":
            description = self.env._("Points spent on %(document)s", document=document)
        else:
            description = self.env._("Points given back by %(document)s", document=document)
        return {
            "card_id": line.loyalty_redeem_card_id.id,
            "description": description,
            "issued": 0.0,
            "used": line.loyalty_redeem_points,
            "order_model": MOVE,
            "order_id": move.id,
            "ledger_kind": kind,
            "ledger_source_model": MOVE,
            "ledger_source_id": move.id,
            "ledger_source_line_id": line.id,
            "ledger_cycle": cycle,
            "ledger_origin_model": MOVE_LINE,
            "ledger_origin_id": line.id,
        }
