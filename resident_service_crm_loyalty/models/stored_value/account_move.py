from collections import defaultdict
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ...tools.stored_value import (
    from_cents,
    largest_remainder,
    released_liability,
    to_cents,
    topup_liability,
)

ENTRY = "rs.stored.value.entry"
PAID_STATES = ("paid", "in_payment")


class AccountMove(models.Model):
    _inherit = "account.move"

    rs_stored_value_paid = fields.Monetary(
        string="Paid by Stored-Value Card",
        compute="_compute_rs_stored_value_paid",
        help="What stored-value cards paid of this invoice, less what credit notes gave back to them.",
    )
    rs_stored_value_topup = fields.Boolean(
        string="Is a Top-Up",
        compute="_compute_rs_stored_value_paid",
        help="Whether this invoice tops up stored-value cards.",
    )

    def _compute_rs_stored_value_paid(self):
        # sudo: the figure of the invoice, whatever the reader's rights on cards
        Entry = self.env[ENTRY].sudo()
        spent = dict(
            Entry._read_group(
                [("move_id", "in", self.ids), ("operation", "=", "spend")], ["move_id"], ["amount:sum"]
            )
        )
        refunds = self.filtered(lambda move: move.move_type == "out_refund")
        given = defaultdict(float)
        for move, total in Entry._read_group(
            [
                (
                    "move_id",
                    "in",
                    self.env["account.move"].sudo().search([("reversed_entry_id", "in", self.ids)]).ids,
                ),
                ("operation", "=", "give_back"),
            ],
            ["move_id"],
            ["amount:sum"],
        ):
            given[move.reversed_entry_id.id] += total
        for move in self:
            move.rs_stored_value_paid = -spent.get(move, 0.0) - given[move.id]
            move.rs_stored_value_topup = move not in refunds and bool(
                move.invoice_line_ids.rs_stored_value_card_id
            )

    # ------------------------------------------------------------------
    # Steps of the hooks (called by the one override in points/account_move.py)
    # ------------------------------------------------------------------

    def _rs_stored_value_check_topups(self):
        """Before posting: a top-up invoice is posted by a cashier, for stored-value cards of
        its company, within each card's limit, with the buyer's identity where the rules
        ask for it; no credit note reverses a top-up, which the card's refund gives back.
        Nothing is posted when one of them fails."""
        # sudo: the rule reads the reversed invoice whatever the poster's rights on it
        if any(
            move.move_type == "out_refund" and move.reversed_entry_id.invoice_line_ids.rs_stored_value_card_id
            for move in self.sudo()
        ):
            raise UserError(
                self.env._(
                    "A top-up of a stored-value card is not reversed by a credit note: cancel it while "
                    "it is unpaid, or give it back by the card's refund."
                )
            )
        topups = self.filtered(lambda move: move.move_type == "out_invoice").invoice_line_ids.filtered(
            "rs_stored_value_card_id"
        )
        if not topups:
            return
        if not (self.env.su or self.env.user.has_group("resident_service_crm_loyalty.group_cashier")):
            raise AccessError(self.env._("Only a cashier posts the top-up of a stored-value card."))
        # sudo: the rules read the cards and programs whatever the poster's loyalty rights
        for move in topups.move_id.sudo():
            lines = move.invoice_line_ids.filtered("rs_stored_value_card_id")
            cards = lines.rs_stored_value_card_id
            for line in lines:
                card = line.rs_stored_value_card_id
                # the principal is a prepayment received (预收账款), never income: booked to
                # the program's liability, whatever account the line was given
                liability = card.program_id.rs_liability_account_id
                if liability and line.account_id != liability:
                    line.account_id = liability
                if not card.rs_stored_value or card.company_id not in (
                    move.company_id,
                    self.env["res.company"],
                ):
                    raise UserError(
                        self.env._("Card %(card)s is no stored-value card of this company.", card=card.code)
                    )
                if move.currency_id != card.currency_id or line.price_total <= 0 or line.tax_ids:
                    raise UserError(
                        self.env._(
                            "A top-up line is a positive amount in the card's currency, without taxes: "
                            "tax is due when the card is spent."
                        )
                    )
            added = defaultdict(float)
            for line in lines:
                added[line.rs_stored_value_card_id.id] += line.price_total + line._rs_stored_value_bonus()[0]
            cards._rs_stored_value_check_room(added)
            anonymous = lines.filtered(lambda line: line.rs_stored_value_card_id.rs_card_type == "anonymous")
            company = move.company_id
            if (
                anonymous
                and sum(anonymous.mapped("price_total")) >= company.rs_stored_value_identity_from
                and not all(anonymous.rs_stored_value_card_id.mapped("rs_identity_number"))
            ):
                raise UserError(
                    self.env._(
                        "Anonymous cards bought for %(amount)s or more at once need the buyer's identity: "
                        "record the identity document on each card first.",
                        amount=company.rs_stored_value_identity_from,
                    )
                )

    def _rs_stored_value_credit_topups(self):
        """When a top-up invoice is paid: refuse a payment the rules forbid (cash above the
        thresholds, the card paying for itself), then credit each card its principal and the
        bonus of the tier reached, once per invoice line."""
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.payment_state in PAID_STATES
        )
        lines = invoices.invoice_line_ids.filtered("rs_stored_value_card_id")
        if not lines:
            return
        # sudo: the server credits what was paid, whoever registered the payment
        lines = lines.sudo()
        Entry = self.env[ENTRY].sudo()
        Entry._lock_cards(lines.rs_stored_value_card_id)
        done = set(
            Entry.search(
                [
                    ("source_model", "=", "account.move.line"),
                    ("source_id", "in", lines.ids),
                    ("operation", "=", "top_up"),
                ]
            ).mapped("source_id")
        )
        lines = lines.filtered(lambda line: line.id not in done)
        if not lines:
            return
        lines.move_id._rs_stored_value_check_payments()
        added = defaultdict(float)
        vals_list = []
        for line in lines:
            card = line.rs_stored_value_card_id
            bonus, days = line._rs_stored_value_bonus()
            added[card.id] += line.price_total + bonus
            digits = card.currency_id.decimal_places
            carried = topup_liability(
                to_cents(line.price_total, digits),
                to_cents(bonus, digits),
                line.move_id.company_id.rs_stored_value_bonus_treatment,
            )
            key = {
                "card_id": card.id,
                "operation": "top_up",
                "move_id": line.move_id.id,
                "source_model": "account.move.line",
                "source_id": line.id,
            }
            vals_list.append(
                dict(key, kind="principal", amount=line.price_total, liability=from_cents(carried[0], digits))
            )
            if bonus:
                today = fields.Date.context_today(line)
                vals_list.append(
                    dict(
                        key,
                        kind="bonus",
                        amount=bonus,
                        liability=from_cents(carried[1], digits),
                        expiry_date=today + timedelta(days=days) if days else False,
                    )
                )
        lines.rs_stored_value_card_id._rs_stored_value_check_room(added)
        Entry._write_entries(vals_list)

    def _rs_stored_value_check_payments(self):
        """The payments of a top-up: a company buying from one threshold, a person from
        another, pays by bank transfer, not cash; a card never pays its own top-up."""
        for move in self:
            counterparts = move._rs_stored_value_counterparts()
            company, buyer = move.company_id, move.commercial_partner_id
            amount = sum(move.invoice_line_ids.filtered("rs_stored_value_card_id").mapped("price_total"))
            threshold = (
                company.rs_stored_value_company_transfer_from
                if buyer.is_company
                else company.rs_stored_value_person_transfer_from
            )
            if amount >= threshold and any(journal.type == "cash" for journal in counterparts.journal_id):
                if buyer.is_company:
                    message = self.env._(
                        "A company buying stored-value cards for %(threshold)s or more at once pays by "
                        "bank transfer, not cash: %(buyer)s buys for %(amount)s.",
                        threshold=threshold,
                        buyer=buyer.display_name,
                        amount=amount,
                    )
                else:
                    message = self.env._(
                        "A person buying stored-value cards for %(threshold)s or more at once pays by "
                        "bank transfer, not cash: %(buyer)s buys for %(amount)s.",
                        threshold=threshold,
                        buyer=buyer.display_name,
                        amount=amount,
                    )
                raise UserError(message)
            paying_cards = counterparts.origin_payment_id.rs_stored_value_card_id
            if paying_cards & move.invoice_line_ids.rs_stored_value_card_id:
                raise UserError(self._rs_stored_value_self_payment())

    def _rs_stored_value_counterparts(self):
        """The moves that pay this invoice (payments, bank statement lines)."""
        self.ensure_one()
        receivable = self.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        return (
            receivable.matched_credit_ids.credit_move_id | receivable.matched_debit_ids.debit_move_id
        ).move_id

    def _rs_stored_value_self_payment(self):
        return self.env._("A stored-value card cannot pay for its own top-up.")

    def _rs_stored_value_give_back(self):
        """When a credit note of an invoice paid by card is posted: give back to the lots
        the invoice spent what the credit note refunds, at most what the cards paid and
        earlier credit notes did not give back; shared over the lots in proportion to what
        each still misses (``largest_remainder``), paid back to each card on the card
        journal. Once per credit note."""
        refunds = self.filtered(
            lambda move: move.move_type == "out_refund" and move.state == "posted" and move.reversed_entry_id
        )
        if not refunds:
            return
        # sudo: the server gives back what the credit note refunds, whoever posts it
        Entry = self.env[ENTRY].sudo()
        for refund in refunds.sudo():
            invoice = refund.reversed_entry_id
            # a returned card takes nothing back (nobody could spend or refund it): the credit
            # note's share of a returned card stays to be paid back as any credit note is
            spent = Entry.search(
                [("move_id", "=", invoice.id), ("operation", "=", "spend"), ("card_id.active", "=", True)]
            )
            if not spent or Entry.search_count(
                [
                    ("source_model", "=", "account.move"),
                    ("source_id", "=", refund.id),
                    ("operation", "=", "give_back"),
                ]
            ):
                continue
            Entry._lock_cards(spent.card_id)
            siblings = (
                self.env["account.move"]
                .sudo()
                .search([("reversed_entry_id", "=", invoice.id), ("move_type", "=", "out_refund")])
            )
            given = Entry.search([("move_id", "in", siblings.ids), ("operation", "=", "give_back")])
            digits = invoice.currency_id.decimal_places
            missing = defaultdict(int)
            for entry in spent:
                missing[entry.lot_id] -= to_cents(entry.amount, digits)
            for entry in given:
                missing[entry.lot_id] -= to_cents(entry.amount, digits)
            lots = sorted((lot for lot in missing if missing[lot] > 0), key=lambda lot: lot.id)
            wanted = min(to_cents(refund.amount_total, digits), sum(missing[lot] for lot in lots))
            if wanted <= 0:
                continue
            parts = largest_remainder(wanted, [missing[lot] for lot in lots])
            vals_list, per_card = [], defaultdict(lambda: [0, 0])
            for lot, cents in zip(lots, parts, strict=True):
                if not cents:
                    continue
                # the prepayment comes back in the share the lot carried when topped up
                carried = released_liability(
                    cents, to_cents(lot.amount, digits), to_cents(lot.liability, digits)
                )
                per_card[lot.card_id][0] += cents
                per_card[lot.card_id][1] += carried
                vals_list.append(
                    {
                        "card_id": lot.card_id.id,
                        "operation": "give_back",
                        "kind": lot.kind,
                        "amount": from_cents(cents, digits),
                        "liability": from_cents(carried, digits),
                        "lot_id": lot.id,
                        "move_id": refund.id,
                        "source_model": "account.move",
                        "source_id": refund.id,
                    }
                )
            Entry._write_entries(vals_list)
            for card, (cents, carried) in per_card.items():
                refund._rs_stored_value_book_payment(card, cents, carried)

    def _rs_stored_value_book_payment(self, card, cents, carried):
        """The card's payment of this invoice, or its give-back to the card for this credit
        note (``card._rs_stored_value_payment``), reconciled with it."""
        self.ensure_one()
        # sudo: the card's code and program are read to book, whoever pays
        card = card.sudo()
        payment = card._rs_stored_value_payment(
            self.company_id,
            self.commercial_partner_id,
            self.currency_id,
            cents,
            carried,
            inbound=self.move_type == "out_invoice",
            memo=self.env._("Stored-value card %(card)s: %(move)s", card=card.code, move=self.name),
        )
        receivable = self.sudo().line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        counterpart = payment.move_id.line_ids.filtered(lambda line: line.account_id in receivable.account_id)
        (counterpart | receivable).reconcile()
        return payment

    def _rs_stored_value_check_unreconcile(self):
        """A top-up credited to a card, and a payment by card, are not taken apart: the card
        has been credited or spent; a credit note gives a card payment back."""
        # sudo: the rule reads the ledger whatever the user's rights on cards
        Entry = self.env[ENTRY].sudo()
        if Entry.search_count([("move_id", "in", self.ids), ("operation", "=", "top_up")], limit=1) or any(
            self.sudo().origin_payment_id.mapped("rs_stored_value_card_id")
        ):
            raise UserError(
                self.env._(
                    "This payment moved the balance of a stored-value card and stays as it is: a "
                    "card payment is given back by a credit note, a top-up by the card's refund."
                )
            )

    def _rs_stored_value_check_posted(self):
        """The credit note of a card's refund and the entry that books an expired or void
        bonus as breakage released the prepayment the ledger says they released: they stay
        posted."""
        # sudo: the rule reads the ledger whatever the user's rights on cards
        if (
            self.env[ENTRY]
            .sudo()
            .search_count(
                [("move_id", "in", self.ids), ("operation", "in", ("refund", "void", "expire"))], limit=1
            )
        ):
            raise UserError(
                self.env._(
                    "A document that moved the balance of a stored-value card stays posted: a card's "
                    "refund and the expiry of its bonus are not taken back."
                )
            )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_rs_stored_value_pay(self):
        """Open the counter's "Pay with Card" for this invoice."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pay with Stored-Value Card"),
            "res_model": "rs.stored.value.pay",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _rs_stored_value_pay(self, card, amount):
        """Pay ``amount`` of this posted invoice from ``card``: the card's lots in the
        company's spending order, one entry per lot keyed by the payment. The card is locked
        first, so that payments from one card are made one after the other."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted":
            raise UserError(self.env._("A stored-value card pays posted customer invoices."))
        if card.sudo() in self.invoice_line_ids.rs_stored_value_card_id:
            raise UserError(self._rs_stored_value_self_payment())
        digits = self.currency_id.decimal_places
        if to_cents(amount, digits) > to_cents(self.amount_residual, digits):
            raise UserError(self.env._("The amount paid by card is more than zero and at most what is due."))
        return card._rs_stored_value_spend(
            amount,
            self,
            self.commercial_partner_id,
            lambda cents, carried: self._rs_stored_value_book_payment(card, cents, carried),
        )
