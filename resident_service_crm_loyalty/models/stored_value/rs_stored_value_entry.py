from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from ...tools.stored_value import from_cents, to_cents

OPERATIONS = [
    ("top_up", "Top-Up"),
    ("spend", "Spending"),
    ("give_back", "Credit Note Give-Back"),
    ("expire", "Bonus Expired"),
    ("refund", "Card Refund"),
    ("void", "Bonus Voided"),
]
KINDS = [("principal", "Principal"), ("bonus", "Bonus")]


class RsStoredValueEntry(models.Model):
    """The stored-value ledger (储值流水): one entry per change of a card's balance, never
    changed nor deleted, unique per (card, source, source line, operation, kind, lot). A
    top-up opens a principal lot and, with a bonus, a bonus lot; spending, give-backs and
    expiry move a lot. A card's balance is the sum of its entries."""

    _name = "rs.stored.value.entry"
    _inherit = ["rs.ledger.mixin"]
    _description = "Stored-Value Ledger Entry"
    _order = "id desc"
    # found by its card's number (the name shown is the card, the operation and the part)
    _rec_names_search = ["card_id.code"]
    # a user's action that would write an entry twice is told which entry exists
    _rs_explain_duplicates = True

    card_id = fields.Many2one(
        "loyalty.card", string="Card", required=True, readonly=True, index=True, ondelete="restrict"
    )
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    partner_id = fields.Many2one(related="card_id.partner_id", string="Card Holder")
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    kind = fields.Selection(
        KINDS,
        required=True,
        readonly=True,
        help="Principal is what the customer paid and is refunded when the card is returned; "
        "bonus is what the top-up gave on top, and is void on a refund.",
    )
    amount = fields.Monetary(
        readonly=True, help="What this entry added to the card (positive) or took from it (negative)."
    )
    liability = fields.Monetary(
        string="Prepayment",
        readonly=True,
        help="What this entry added to (positive) or released from (negative) the prepayment "
        "received on the program's account: the principal of a top-up, shared with its "
        "bonus when the bonus is accounted for as an allocated price.",
    )
    date = fields.Date(readonly=True, default=fields.Date.context_today, help="The day the entry was booked.")
    lot_id = fields.Many2one(
        "rs.stored.value.entry",
        string="Lot",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The top-up entry whose money this entry moves; empty on a top-up, which is a lot itself.",
    )
    expiry_date = fields.Date(
        readonly=True, help="On a bonus lot: the last day it can be spent; empty when it never expires."
    )
    remaining = fields.Monetary(
        compute="_compute_remaining", help="On a lot: what is left of it after the entries that moved it."
    )
    move_id = fields.Many2one(
        "account.move",
        string="Document",
        readonly=True,
        index="btree_not_null",
        help="The top-up invoice, the invoice the card paid, the credit note that gave back or "
        "the credit note of the card's refund.",
    )
    source_model = fields.Char(readonly=True, help="Technical name of the model of the source.")
    source_id = fields.Many2oneReference(
        string="Source ID",
        model_field="source_model",
        readonly=True,
        help="The record that caused this entry.",
    )
    source_line_id = fields.Integer(
        string="Source Line ID", readonly=True, help="The line of the source this entry is about, if any."
    )

    def init(self):
        create_unique_index(
            self.env.cr,
            "rs_stored_value_entry_key_uniq",
            self._table,
            [
                "card_id",
                "source_model",
                "source_id",
                "COALESCE(source_line_id, 0)",
                "operation",
                "kind",
                "COALESCE(lot_id, 0)",
            ],
        )

    def _compute_remaining(self):
        lots = self.filtered(lambda entry: entry.id and not entry.lot_id)
        moved = {}
        if lots:
            groups = self._read_group([("lot_id", "in", lots.ids)], ["lot_id"], ["amount:sum"])
            moved = {lot.id: total for lot, total in groups}
        for entry in self:
            entry.remaining = entry.amount + moved.get(entry.id, 0.0) if entry in lots else 0.0

    @api.depends("card_id", "operation", "kind")
    def _compute_display_name(self):
        operations = dict(self._fields["operation"]._description_selection(self.env))
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for entry in self:
            entry.display_name = (
                f"{entry.card_id.code} {operations.get(entry.operation, '')} ({kinds.get(entry.kind, '')})"
            )

    @api.model
    def _rs_duplicate_message(self, key):
        """Say which entry the card already has."""
        values = dict(key)
        card = self.env["loyalty.card"].browse(int(values.get("card_id") or 0)).exists()
        if not card:
            return super()._rs_duplicate_message(key)
        return self.env._(
            "The stored-value ledger of card %(card)s already has this entry. It was recorded "
            "once and is not recorded again.",
            card=card.code,
        )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    def _refusal(self):
        return self.env._(
            "The stored-value ledger is written by paid top-ups, card payments and credit notes "
            "only; its entries are never changed or deleted."
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _lock_cards(self, cards):
        """Lock the cards' rows until the end of the transaction: two payments from one card
        are written one after the other, each reading the lots the other left."""
        if cards:
            self.env.execute_query(
                SQL(
                    "SELECT id FROM loyalty_card WHERE id IN %(ids)s ORDER BY id FOR NO KEY UPDATE",
                    ids=tuple(cards.ids),
                )
            )

    @api.model
    def _lots(self, cards, today=None):
        """{card id: [lot]} of what each card can spend today, as ``split_spending`` reads
        them (cents): bonus lots soonest to expire first, then oldest first."""
        self.flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT l.id, l.card_id, l.kind, l.expiry_date,
                       l.amount + COALESCE(SUM(m.amount), 0) AS remaining,
                       COALESCE(l.liability, 0) + COALESCE(SUM(m.liability), 0) AS liability
                  FROM rs_stored_value_entry l
                  LEFT JOIN rs_stored_value_entry m ON m.lot_id = l.id
                 WHERE l.card_id IN %(cards)s AND l.lot_id IS NULL
                 GROUP BY l.id
                HAVING l.amount + COALESCE(SUM(m.amount), 0) > 0
                 ORDER BY l.card_id, l.expiry_date NULLS LAST, l.id
                """,
                cards=tuple(cards.ids) or (0,),
            )
        )
        lots = {card.id: [] for card in cards}
        for row in rows:
            if row["expiry_date"] and today and row["expiry_date"] < today:
                continue
            lots[row["card_id"]].append(row)
        return lots

    @api.model
    def _write_entries(self, vals_list):
        """Append the entries and bring each card's balance to the sum of its ledger, in the
        same transaction."""
        # sudo: the suite's own bookkeeping; the ledger refuses every other writer
        entries = self.sudo().create(vals_list)
        entries.card_id._rs_stored_value_sync_balance()
        return entries

    @api.model
    def _book_breakage(self, company, carried, reference):
        """Post the journal entry that turns the prepayment void bonus carried
        (``carried``: {program: cents}) into breakage income, in the company's
        miscellaneous journal; an empty recordset when there is nothing to book."""
        carried = {program: cents for program, cents in carried.items() if cents}
        if not carried:
            return self.env["account.move"]
        currency = company.currency_id
        digits = currency.decimal_places
        # sudo: the server books what the ledger releases, whoever returns a card or runs the job
        Move = self.env["account.move"].sudo().with_company(company)
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "general")],
                limit=1,
            )
        )
        if not journal:
            raise UserError(
                self.env._("The company %(company)s has no miscellaneous journal.", company=company.name)
            )
        name = self.env._("Stored-value bonus void or expired: %(reference)s", reference=reference)
        lines = []
        for program, cents in carried.items():
            amount = from_cents(cents, digits)
            lines += [
                Command.create(
                    {"name": name, "account_id": program.rs_liability_account_id.id, "debit": amount}
                ),
                Command.create(
                    {"name": name, "account_id": program.rs_breakage_account_id.id, "credit": amount}
                ),
            ]
        move = Move.create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": fields.Date.context_today(self),
                "ref": name,
                "line_ids": lines,
            }
        )
        move.action_post()
        return move

    @api.model
    def _cron_expire_bonus(self):
        """Every night: what is left of each bonus lot past its last day leaves the card, one
        entry per lot (keyed by the lot and the last entry that moved it: a second run writes
        nothing, and what a give-back returns to an expired lot expires the next night); the
        prepayment such a lot still carries becomes breakage income, one journal entry per
        company."""
        today = fields.Date.context_today(self)
        self.flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT l.id, l.card_id, l.program_id, l.company_id, MAX(m.id) AS last_move,
                       l.amount + COALESCE(SUM(m.amount), 0) AS remaining,
                       COALESCE(l.liability, 0) + COALESCE(SUM(m.liability), 0) AS liability
                  FROM rs_stored_value_entry l
                  LEFT JOIN rs_stored_value_entry m ON m.lot_id = l.id
                 WHERE l.lot_id IS NULL AND l.kind = 'bonus' AND l.expiry_date < %(today)s
                 GROUP BY l.id
                HAVING l.amount + COALESCE(SUM(m.amount), 0) > 0
                """,
                today=today,
            )
        )
        if not rows:
            return True
        # sudo: the job keeps the ledger of every card
        cards = self.env["loyalty.card"].sudo().browse({row["card_id"] for row in rows})
        self._lock_cards(cards)
        moves = {}
        for company_id in {row["company_id"] for row in rows}:
            company = self.env["res.company"].browse(company_id or self.env.company.id)
            digits = company.currency_id.decimal_places
            carried = defaultdict(int)
            for row in rows:
                if row["company_id"] == company_id:
                    program = self.env["loyalty.program"].sudo().browse(row["program_id"])
                    carried[program] += to_cents(row["liability"], digits)
            moves[company_id] = self._book_breakage(company, carried, fields.Date.to_string(today))
        self._write_entries(
            [
                {
                    "card_id": row["card_id"],
                    "operation": "expire",
                    "kind": "bonus",
                    "amount": -row["remaining"],
                    "liability": -row["liability"],
                    "lot_id": row["id"],
                    "move_id": moves[row["company_id"]].id,
                    "source_model": self._name,
                    "source_id": row["id"],
                    "source_line_id": row["last_move"] or False,
                }
                for row in rows
            ]
        )
        return True
