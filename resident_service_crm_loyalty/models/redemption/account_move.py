from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.resident_service_crm.tools import server_text

_lt = LazyTranslate(__name__)

MOVE = "account.move"
MOVE_LINE = "account.move.line"


class AccountMove(models.Model):
    _inherit = "account.move"

    rs_loyalty_redeem_count = fields.Integer(
        string="Points Redemptions",
        compute="_compute_rs_loyalty_redeem_count",
        help="How many discount lines of this invoice are paid in loyalty points.",
    )

    @api.depends("invoice_line_ids.rs_loyalty_redeem_card_id")
    def _compute_rs_loyalty_redeem_count(self):
        for move in self:
            move.rs_loyalty_redeem_count = len(move.invoice_line_ids.filtered("rs_loyalty_redeem_card_id"))

    # ------------------------------------------------------------------
    # ORM and accounting hooks
    # ------------------------------------------------------------------

    def copy_data(self, default=None):
        """A duplicated invoice leaves out the discount lines paid in points (points are
        spent on one invoice only); a credit note keeps them, linked to the invoice's lines,
        so that its total matches the invoice and posting it gives the points back."""
        vals_list = super().copy_data(default)
        reversing = bool((default or {}).get("reversed_entry_id"))
        for move, vals in zip(self, vals_list, strict=True):
            if reversing:
                lines = move.line_ids
                commands = vals.get("line_ids") or []
                if lines.rs_loyalty_redeem_card_id and len(commands) == len(lines):
                    for line, command in zip(lines, commands, strict=True):
                        if line.rs_loyalty_redeem_card_id and command[0] == fields.Command.CREATE:
                            command[2]["rs_redeem_refunded_line_id"] = line.id
                continue
            lines = move.line_ids
            commands = vals.get("line_ids") or []
            if not lines.rs_loyalty_redeem_card_id or len(commands) != len(lines):
                continue
            vals["line_ids"] = [
                command
                for line, command in zip(lines, commands, strict=True)
                if not line.rs_loyalty_redeem_card_id
            ]
        return vals_list

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_rs_open_redeem_points(self):
        """Choose a reward of the customer's loyalty program and pay part of this draft
        invoice with points."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "draft":
            raise UserError(self.env._("Points can be spent on draft customer invoices only."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Redeem Points"),
            "res_model": "rs.redeem.points.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------
    # BUSINESS: points spent on invoices
    # ------------------------------------------------------------------

    def _rs_redeem_sync(self, removed=None):
        """Bring the points spent by the discount lines of these invoices to what their
        state says: a line of an invoice that is not cancelled spends its points, a removed
        line or a cancelled invoice gives them back. Each redemption and return is a ledger
        entry keyed by the line and a cycle, so that a replay writes nothing."""
        removed = removed or self.env[MOVE_LINE]
        lines = (self.invoice_line_ids.filtered("rs_loyalty_redeem_card_id") | removed).sudo()
        if not lines:
            return
        # sudo: the ledger follows the invoice whoever edits it; invoicing staff need no
        # rights on loyalty cards
        History = self.env["loyalty.history"].sudo()
        entries = History.search(
            [
                ("rs_ledger_origin_model", "=", MOVE_LINE),
                ("rs_ledger_origin_id", "in", lines.ids),
                ("rs_ledger_kind", "in", ("redeem", "redeem_return")),
            ],
            order="id",
        )
        by_line = defaultdict(lambda: {"redeem": History.browse(), "redeem_return": History.browse()})
        refunded = defaultdict(float)  # line id -> points its credit notes gave back
        for entry in entries:
            if entry.rs_ledger_source_line_id == entry.rs_ledger_origin_id:
                by_line[entry.rs_ledger_source_line_id][entry.rs_ledger_kind] |= entry
            else:
                refunded[entry.rs_ledger_origin_id] += entry.issued - entry.used
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
            card = line.rs_loyalty_redeem_card_id
            balance = balances.setdefault(card, card.points)
            if balance + 0.005 < line.rs_loyalty_redeem_points:
                raise UserError(
                    self.env._(
                        "Card %(card)s holds %(balance)s points, not the %(points)s that the line "
                        "“%(line)s” spends: remove the line or choose fewer points.",
                        card=card.code,
                        balance=balance,
                        points=line.rs_loyalty_redeem_points,
                        line=line.name,
                    )
                )
            balances[card] = balance - line.rs_loyalty_redeem_points
            vals_list.append(self._rs_redeem_entry_vals(line, "redeem", cycle))
        for line, redemption, cycle in give_back:
            card = line.rs_loyalty_redeem_card_id
            points = round(redemption.used - refunded[line.id], 2)
            if points < 0.005:
                continue
            balances[card] = balances.setdefault(card, card.points) + points
            vals = self._rs_redeem_entry_vals(line, "redeem_return", cycle)
            vals.update(issued=points, used=0.0, rs_points_returned_id=redemption.id)
            vals_list.append(vals)
        if vals_list:
            History.create(vals_list)
            for card, balance in balances.items():
                card.points = round(balance, 2)

    def _rs_redeem_refund_sync(self):
        """Credit notes give back the points their invoice's discount lines spent, in
        proportion to what they refund of each discount line (all of it when they copy the
        line unchanged), to the earnings those points came from, so they keep the expiry
        dates they had when spent; all credit notes together give back at most what was
        spent. A credit note reset to draft or cancelled takes them again. Each entry is
        keyed by the credit note line and a cycle, so that a replay writes nothing."""
        refund_lines = (
            self.filtered(lambda move: move.move_type == "out_refund")
            .invoice_line_ids.filtered("rs_redeem_refunded_line_id")
            .sudo()
        )
        if not refund_lines:
            return
        # sudo: the ledger follows the credit note whoever posts it
        History = self.env["loyalty.history"].sudo()
        spent_lines = refund_lines.rs_redeem_refunded_line_id.filtered("rs_loyalty_redeem_card_id")
        siblings = (
            self.env[MOVE_LINE]
            .sudo()
            .search([("rs_redeem_refunded_line_id", "in", spent_lines.ids)], order="id")
        )
        entries = History.search(
            [
                ("rs_ledger_origin_model", "=", MOVE_LINE),
                ("rs_ledger_origin_id", "in", spent_lines.ids),
                ("rs_ledger_kind", "in", ("redeem", "redeem_return")),
            ],
            order="id",
        )
        spent = defaultdict(float)  # discount line id -> points its own invoice holds spent
        last_redemption = {}
        held = defaultdict(float)  # credit note line id -> points it gave back
        cycles = defaultdict(int)  # (credit note line id, kind) -> entries so far
        for entry in entries:
            if entry.rs_ledger_source_line_id == entry.rs_ledger_origin_id:
                spent[entry.rs_ledger_origin_id] += entry.used - entry.issued
                if entry.rs_ledger_kind == "redeem":
                    last_redemption[entry.rs_ledger_origin_id] = entry
            else:
                held[entry.rs_ledger_source_line_id] += entry.issued - entry.used
                cycles[(entry.rs_ledger_source_line_id, entry.rs_ledger_kind)] += 1
        balances = {}
        vals_list = []
        for spent_line in spent_lines:
            left = spent[spent_line.id]
            whole = abs(spent_line.price_total)
            mine = siblings.filtered(lambda line, s=spent_line: line.rs_redeem_refunded_line_id == s)
            for refund_line in mine:
                target = 0.0
                if refund_line.move_id.state == "posted" and whole and left > 0:
                    share = min(abs(refund_line.price_total) / whole, 1.0)
                    target = min(round(spent_line.rs_loyalty_redeem_points * share, 2), left)
                left -= max(target, 0.0)
                if refund_line not in refund_lines:
                    continue
                delta = round(target - held[refund_line.id], 2)
                if abs(delta) < 0.005:
                    continue
                kind = "redeem_return" if delta > 0 else "redeem"
                card = spent_line.rs_loyalty_redeem_card_id
                balances[card] = balances.setdefault(card, card.points) + delta
                vals = self._rs_redeem_entry_vals(refund_line, kind, cycles[(refund_line.id, kind)])
                vals.update(
                    card_id=card.id,
                    issued=max(delta, 0.0),
                    used=max(-delta, 0.0),
                    rs_ledger_origin_id=spent_line.id,
                )
                if delta > 0 and spent_line.id in last_redemption:
                    vals["rs_points_returned_id"] = last_redemption[spent_line.id].id
                vals_list.append(vals)
        if vals_list:
            History.create(vals_list)
            for card, balance in balances.items():
                card.points = round(balance, 2)

    def _rs_redeem_entry_vals(self, line, kind, cycle):
        move = line.move_id
        document = move.name if move.name and move.name != "/" else move.display_name
        if kind == "redeem" and move.move_type == "out_refund":
            description = _lt("Points taken again by %(document)s", document=document)
        elif kind == "redeem":
            description = _lt("Points spent on %(document)s", document=document)
        else:
            description = _lt("Points given back by %(document)s", document=document)
        return {
            "card_id": line.rs_loyalty_redeem_card_id.id,
            "description": server_text.said_to(line.rs_loyalty_redeem_card_id.partner_id, description),
            "issued": 0.0,
            "used": line.rs_loyalty_redeem_points,
            "order_model": MOVE,
            "order_id": move.id,
            "rs_ledger_kind": kind,
            "rs_ledger_source_model": MOVE,
            "rs_ledger_source_id": move.id,
            "rs_ledger_source_line_id": line.id,
            "rs_ledger_cycle": cycle,
            "rs_ledger_origin_model": MOVE_LINE,
            "rs_ledger_origin_id": line.id,
        }
