from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ...tools.stored_value import from_cents, released_liability, split_spending, to_cents

IDENTITY_FIELDS = ("rs_identity_type", "rs_identity_number", "rs_identity_name")


class LoyaltyCard(models.Model):
    """Stored-value cards (储值卡): named (记名卡, for a customer whose identity is recorded,
    no expiry) or anonymous (不记名卡, valid for at least the configured years). The balance
    Odoo stores, ``points``, is the sum of the card's stored-value ledger."""

    _inherit = "loyalty.card"

    rs_stored_value = fields.Boolean(related="program_id.rs_stored_value", string="Is a Stored-Value Card")
    rs_card_type = fields.Selection(
        [("named", "Named"), ("anonymous", "Anonymous")],
        string="Card Type",
        help="A named card belongs to a customer whose identity is recorded and never expires; an "
        "anonymous card has lower limits and a validity of several years.",
    )
    rs_identity_type = fields.Selection(
        [("id_card", "Resident Identity Card"), ("passport", "Passport"), ("other", "Other Document")],
        string="Identity Document",
        help="The document that identified the holder of a named card, or the buyer of anonymous "
        "cards bought for a large amount at once.",
    )
    rs_identity_number = fields.Char(
        string="Identity Number", rs_max_length=64, help="The number of the identity document."
    )
    rs_identity_name = fields.Char(
        string="Identified Person", rs_max_length=200, help="The name on the identity document."
    )
    rs_principal_balance = fields.Monetary(
        string="Principal",
        compute="_compute_rs_stored_value_balances",
        help="What is left of the money paid onto the card: refunded when the card is returned.",
    )
    rs_bonus_balance = fields.Monetary(
        string="Bonus",
        compute="_compute_rs_stored_value_balances",
        help="What is left of the top-up bonuses, expired ones included until the expiry job voids them.",
    )
    rs_stored_value_paid = fields.Monetary(
        string="Paid In",
        compute="_compute_rs_stored_value_balances",
        help="Statement: the principal paid onto the card by its top-ups.",
    )
    rs_stored_value_bonus_received = fields.Monetary(
        string="Bonus Received",
        compute="_compute_rs_stored_value_balances",
        help="Statement: the bonus its top-ups gave.",
    )
    rs_stored_value_spent = fields.Monetary(
        string="Spent",
        compute="_compute_rs_stored_value_balances",
        help="Statement: what the card paid, less what credit notes gave back.",
    )
    rs_stored_value_refunded = fields.Monetary(
        string="Refunded",
        compute="_compute_rs_stored_value_balances",
        help="Statement: the principal paid back when the card was returned.",
    )
    rs_stored_value_voided = fields.Monetary(
        string="Voided",
        compute="_compute_rs_stored_value_balances",
        help="Statement: the bonus that expired or was void when the card was returned.",
    )
    rs_stored_value_entry_ids = fields.One2many(
        "rs.stored.value.entry", "card_id", string="Stored-Value Ledger", readonly=True
    )

    _sql_constraints = [
        (
            "rs_identity_number_length",
            "CHECK(char_length(rs_identity_number) <= 64)",
            "The identity number is too long.",
        ),
        (
            "rs_identity_name_length",
            "CHECK(char_length(rs_identity_name) <= 200)",
            "The identified name is too long.",
        ),
    ]

    def _compute_rs_stored_value_balances(self):
        # sudo: the split of a balance every reader of the card sees; the entries are not shown
        groups = (
            self.env["rs.stored.value.entry"]
            .sudo()
            ._read_group([("card_id", "in", self.ids)], ["card_id", "operation", "kind"], ["amount:sum"])
        )
        totals = defaultdict(float)
        for card, operation, kind, amount in groups:
            totals[card.id, operation, kind] += amount
            totals[card.id, kind] += amount
        for card in self:
            key = card.id
            card.rs_principal_balance = totals[key, "principal"]
            card.rs_bonus_balance = totals[key, "bonus"]
            card.rs_stored_value_paid = totals[key, "top_up", "principal"]
            card.rs_stored_value_bonus_received = totals[key, "top_up", "bonus"]
            card.rs_stored_value_spent = -sum(
                totals[key, operation, kind]
                for operation in ("spend", "give_back")
                for kind in ("principal", "bonus")
            )
            card.rs_stored_value_refunded = -totals[key, "refund", "principal"]
            card.rs_stored_value_voided = -(totals[key, "expire", "bonus"] + totals[key, "void", "bonus"])

    # ------------------------------------------------------------------
    # ORM steps (called by the one override in points/loyalty_card.py)
    # ------------------------------------------------------------------

    @api.model
    def _rs_stored_value_card_vals(self, vals_list):
        """A stored-value card starts empty, as named or anonymous (anonymous when it has no
        holder); an anonymous card gets its validity. The caller's values are left as they are."""
        programs = self.env["loyalty.program"].browse(
            {vals.get("program_id") or self.env.context.get("active_id") or 0 for vals in vals_list}
        )
        # sudo: whether a program sells stored-value cards decides the rules, whoever creates
        stored = set(programs.sudo().exists().filtered("rs_stored_value").ids)
        result = []
        for vals in vals_list:
            program_id = vals.get("program_id") or self.env.context.get("active_id")
            if program_id not in stored:
                result.append(vals)
                continue
            if vals.get("points"):
                raise UserError(self._rs_stored_value_refusal())
            vals = dict(vals)
            vals.setdefault("rs_card_type", "named" if vals.get("partner_id") else "anonymous")
            if vals["rs_card_type"] == "anonymous" and not vals.get("expiration_date"):
                company = self.env["loyalty.program"].browse(program_id).sudo().company_id or self.env.company
                years = company.rs_stored_value_anonymous_years
                vals["expiration_date"] = fields.Date.context_today(self) + relativedelta(years=years)
            result.append(vals)
        return result

    def _rs_stored_value_check_card_write(self, vals):
        """The balance of a stored-value card follows its ledger only (never Odoo's balance
        update); its type changes only while it holds nothing."""
        cards = self.filtered("rs_stored_value")
        if not cards:
            return
        if "points" in vals and not self.env.su:
            raise UserError(self._rs_stored_value_refusal())
        if "rs_card_type" in vals and any(
            card.rs_stored_value_entry_ids and card.rs_card_type != vals["rs_card_type"] for card in cards
        ):
            raise UserError(
                self.env._("A stored-value card that has been topped up keeps its type: named or anonymous.")
            )

    @api.constrains("rs_card_type", "partner_id", "expiration_date", "rs_identity_number", "program_id")
    def _check_rs_stored_value_card(self):
        for card in self.filtered("rs_stored_value"):
            if card.rs_card_type == "named":
                if not card.partner_id or not card.rs_identity_number:
                    raise ValidationError(
                        self.env._(
                            "A named stored-value card needs its customer and the number of their identity "
                            "document."
                        )
                    )
                if card.expiration_date:
                    raise ValidationError(self.env._("A named stored-value card has no expiry date."))
            elif card.rs_card_type == "anonymous":
                years = (card.company_id or self.env.company).rs_stored_value_anonymous_years
                issued = (
                    fields.Date.to_date(card.create_date)
                    if card.create_date
                    else fields.Date.context_today(card)
                )
                if not card.expiration_date or card.expiration_date < issued + relativedelta(years=years):
                    raise ValidationError(
                        self.env._(
                            "An anonymous stored-value card is valid at least %(years)s years from its "
                            "issue.",
                            years=years,
                        )
                    )
            else:
                raise ValidationError(self.env._("A stored-value card is named or anonymous."))

    def _rs_stored_value_refusal(self):
        return self.env._(
            "The balance of a stored-value card changes through paid top-ups, card payments and "
            "credit notes only."
        )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_rs_stored_value_topup(self):
        """The counter's top-up: a cashier's wizard."""
        self.ensure_one()
        if not self.rs_stored_value:
            raise UserError(self.env._("Only stored-value cards are topped up."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Top Up"),
            "res_model": "rs.stored.value.topup",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }

    def action_rs_stored_value_statement(self):
        """Print the card's statement for the customer."""
        self.ensure_one()
        if not self.rs_stored_value:
            raise UserError(self.env._("Only stored-value cards have a statement."))
        return self.env.ref("resident_service_crm_loyalty.stored_value_statement_report").report_action(self)

    def action_rs_stored_value_refund(self):
        """The counter's card refund (退卡): a cashier's wizard."""
        self.ensure_one()
        if not self.rs_stored_value:
            raise UserError(self.env._("Only stored-value cards are refunded."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refund Card"),
            "res_model": "rs.stored.value.refund",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _rs_stored_value_refund(self, journal, partner):
        """Return the card (退卡): its remaining principal is paid back by a credit note of
        the top-up product and a payment from ``journal``, its remaining bonus is void, and
        the card is archived. One entry per lot, keyed by the credit note."""
        self.ensure_one()
        card = self.sudo()
        if not (self.env.su or self.env.user.has_group("resident_service_crm_loyalty.group_cashier")):
            raise AccessError(self.env._("Only a cashier refunds stored-value cards."))
        if not card.rs_stored_value or not card.active:
            raise UserError(self.env._("Card %(card)s is no active stored-value card.", card=card.code))
        Entry = self.env["rs.stored.value.entry"].sudo()
        Entry._lock_cards(card)
        lots = Entry._lots(card)[card.id]
        digits = card.currency_id.decimal_places
        principal = sum(to_cents(lot["remaining"], digits) for lot in lots if lot["kind"] == "principal")
        company = card.company_id or self.env.company
        threshold = to_cents(company.rs_stored_value_refund_approval_from, digits)
        cooling_off = card._rs_stored_value_in_cooling_off()
        if (
            threshold
            and not cooling_off
            and principal > threshold
            and not self.env.user.has_group("resident_service_crm.group_manager")
        ):
            raise AccessError(
                self.env._(
                    "A refund of more than %(threshold)s needs a Resident Services manager: this card "
                    "refunds %(amount)s.",
                    threshold=company.rs_stored_value_refund_approval_from,
                    amount=from_cents(principal, digits),
                )
            )
        program = card.program_id
        product = program.rs_topup_product_id
        if principal and not product:
            raise UserError(
                self.env._(
                    "The program %(program)s has no top-up product.", program=card.program_id.display_name
                )
            )
        # the prepayment (预收账款) the lots still carry: the principal's share is paid back,
        # the rest of what is paid back is the bonus already spent (a discount), and the
        # void bonus's share is breakage income
        carried = {
            kind: sum(to_cents(lot["liability"], digits) for lot in lots if lot["kind"] == kind)
            for kind in ("principal", "bonus")
        }
        credit_note = self.env["account.move"]
        if principal:
            lines = [
                (
                    program.rs_liability_account_id,
                    self.env._("Cooling-off refund of stored-value card %(card)s", card=card.code)
                    if cooling_off
                    else self.env._("Refund of stored-value card %(card)s", card=card.code),
                    carried["principal"] + carried["bonus"],
                ),
                (
                    program.rs_bonus_account_id,
                    self.env._("Bonus of stored-value card %(card)s already spent", card=card.code),
                    principal - carried["principal"],
                ),
                (
                    program.rs_breakage_account_id,
                    self.env._("Bonus of stored-value card %(card)s void", card=card.code),
                    -carried["bonus"],
                ),
            ]
            credit_note = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": card.currency_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": name,
                                "account_id": account.id,
                                "quantity": 1,
                                "price_unit": from_cents(cents, digits),
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for account, name, cents in lines
                        if cents
                    ],
                }
            )
            credit_note.action_post()
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=credit_note.ids
            ).create({"journal_id": journal.id})._create_payments()
        elif carried["bonus"]:
            credit_note = Entry._book_breakage(company, {program: carried["bonus"]}, card.code)
        source = ("account.move", credit_note.id) if credit_note else (card._name, card.id)
        Entry._write_entries(
            [
                {
                    "card_id": card.id,
                    "operation": "refund" if lot["kind"] == "principal" else "void",
                    "kind": lot["kind"],
                    "amount": -lot["remaining"],
                    "liability": -lot["liability"],
                    "lot_id": lot["id"],
                    "move_id": credit_note.id,
                    "source_model": source[0],
                    "source_id": source[1],
                }
                for lot in lots
            ]
        )
        card.active = False
        return credit_note if credit_note.move_type == "out_refund" else self.env["account.move"]

    def _rs_stored_value_spend(self, amount, document, partner, book):
        """Spend ``amount`` of this card on ``document`` (a posted invoice, or a visit paid on
        the spot) for ``partner``: the card's lots in the company's spending order, booked by
        ``book(cents, carried)``, which returns the payment, and one entry per lot keyed by
        that payment. The card is locked first, so that payments from one card are made one
        after the other, each reading the lots the other left."""
        self.ensure_one()
        # sudo: the rules read the card whatever the user's loyalty rights
        card = self.sudo()
        company = document.company_id
        if not card.rs_stored_value or not card.active or card.company_id not in (company, company.browse()):
            raise UserError(
                self.env._("Card %(card)s is no stored-value card of this company.", card=card.code)
            )
        if (
            card.rs_card_type == "named"
            and card.partner_id.commercial_partner_id != partner.commercial_partner_id
        ):
            raise UserError(self.env._("A named card pays the invoices of its own customer only."))
        today = fields.Date.context_today(self)
        if card.expiration_date and card.expiration_date < today:
            raise UserError(self.env._("Card %(card)s has expired.", card=card.code))
        if card.currency_id != document.currency_id:
            raise UserError(self.env._("A stored-value card pays invoices in its own currency."))
        digits = card.currency_id.decimal_places
        cents = to_cents(amount, digits)
        if cents <= 0:
            raise UserError(self.env._("The amount paid by card is more than zero and at most what is due."))
        Entry = self.env["rs.stored.value.entry"].sudo()
        Entry._lock_cards(card)
        card.invalidate_recordset(["points"])
        lots = Entry._lots(card, today)[card.id]
        for lot in lots:
            lot["remaining"] = to_cents(lot["remaining"], digits)
            lot["liability"] = to_cents(lot["liability"], digits)
        try:
            taken = split_spending(cents, lots, company.rs_stored_value_spending_order)
        except ValueError:
            raise UserError(
                self.env._(
                    "Card %(card)s holds %(available)s that can be spent today, less than %(amount)s.",
                    card=card.code,
                    available=from_cents(sum(lot["remaining"] for lot in lots), digits),
                    amount=amount,
                )
            ) from None
        by_id = {lot["id"]: lot for lot in lots}
        released = {
            lot_id: released_liability(part, by_id[lot_id]["remaining"], by_id[lot_id]["liability"])
            for lot_id, part in taken
        }
        payment = book(cents, sum(released.values()))
        Entry._write_entries(
            [
                {
                    "card_id": card.id,
                    "operation": "spend",
                    "kind": by_id[lot_id]["kind"],
                    "amount": -from_cents(part, digits),
                    "liability": -from_cents(released[lot_id], digits),
                    "lot_id": lot_id,
                    "move_id": document.id if document._name == "account.move" else False,
                    "source_model": "account.payment",
                    "source_id": payment.id,
                }
                for lot_id, part in taken
            ]
        )
        return payment

    def _rs_stored_value_payment(self, company, partner, currency, cents, carried, inbound, memo):
        """A posted payment on the card journal for ``cents`` of this card's value, from the
        customer (``inbound``: the card pays) or back to them (a give-back), of which
        ``carried`` is prepayment received: that part moves the program's prepayment
        account (预收账款), the rest, which the bonus pays, its bonus discount account. Its
        amount is what it moves of the prepayment, the bonus being its write-off, as Odoo
        books a payment with a discount; a payment of bonus alone moves the discount account."""
        self.ensure_one()
        digits = currency.decimal_places
        program = self.sudo().program_id
        sign = 1 if inbound else -1
        discount = cents - carried
        today = fields.Date.context_today(self)
        write_off = None
        if carried and discount:
            value = sign * from_cents(discount, digits)
            write_off = [
                {
                    "name": self.env._("Bonus of stored-value card %(card)s", card=self.code),
                    "account_id": program.rs_bonus_account_id.id,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "amount_currency": value,
                    "balance": currency._convert(value, company.currency_id, company, today),
                }
            ]
        # sudo: the server books the card's side; the user's own right to pay was checked
        payment = (
            self.env["account.payment"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "payment_type": "inbound" if inbound else "outbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": from_cents(carried or cents, digits),
                    "currency_id": currency.id,
                    "date": today,
                    "journal_id": company._rs_stored_value_journal().id,
                    "memo": memo,
                    "rs_stored_value_card_id": self.id,
                }
            )
        )
        # the card's side of the payment is the program's account, not the journal's: set
        # once the payment method (which computes the default) is known, before the entry
        payment.outstanding_account_id = (
            program.rs_liability_account_id if carried else program.rs_bonus_account_id
        )
        payment._generate_journal_entry(write_off_line_vals=write_off)
        payment.action_post()
        return payment

    def _rs_stored_value_in_cooling_off(self):
        """Whether this card is in the cooling-off period a local rule may give its buyer:
        nothing spent from it yet, and its first top-up credited at most the company's
        cooling-off days ago (never when the setting is 0). Such a card is refunded in full
        by any cashier, whatever the approval threshold."""
        self.ensure_one()
        company = self.company_id or self.env.company
        days = company.rs_stored_value_cooling_off_days
        if not days:
            return False
        # sudo: the rule reads the card's ledger whatever the user's rights on it
        entries = self.env["rs.stored.value.entry"].sudo().search([("card_id", "=", self.id)])
        topups = entries.filtered(lambda entry: entry.operation == "top_up")
        if not topups or entries.filtered(lambda entry: entry.operation == "spend"):
            return False
        first = min(topups.mapped("date"))
        return (fields.Date.context_today(self) - first).days <= days

    def _rs_stored_value_sync_balance(self):
        """Bring each card's stored balance to the sum of its ledger (called right after the
        entries are written, the cards locked)."""
        Entry = self.env["rs.stored.value.entry"]
        Entry.flush_model()
        rows = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT card_id, SUM(amount)
                      FROM rs_stored_value_entry
                     WHERE card_id IN %(ids)s
                     GROUP BY card_id
                    """,
                    ids=tuple(self.ids) or (0,),
                )
            )
        )
        # sudo: the server writes the balance its ledger sums up; nobody else may
        for card in self.sudo():
            total = rows.get(card.id, 0.0)
            if abs(card.points - total) >= 0.005:
                card.points = total
        # every figure computed from the ledger follows it, in this transaction too
        self.invalidate_recordset(
            [
                "rs_principal_balance",
                "rs_bonus_balance",
                "rs_stored_value_paid",
                "rs_stored_value_bonus_received",
                "rs_stored_value_spent",
                "rs_stored_value_refunded",
                "rs_stored_value_voided",
            ]
        )

    def _rs_stored_value_limit(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        if self.rs_card_type == "named":
            return company.rs_stored_value_named_max
        return company.rs_stored_value_anonymous_max

    def _rs_stored_value_check_room(self, added):
        """Refuse to add ``added`` (per card, in money) when a card would hold more than its
        limit, or cannot take top-ups (expired)."""
        today = fields.Date.context_today(self)
        for card in self:
            if not card.active:
                raise UserError(
                    self.env._("Card %(card)s was returned: it cannot be topped up.", card=card.code)
                )
            if card.expiration_date and card.expiration_date < today:
                raise UserError(
                    self.env._(
                        "Card %(card)s expired on %(date)s: it cannot be topped up.",
                        card=card.code,
                        date=card.expiration_date,
                    )
                )
            digits = card.currency_id.decimal_places
            after = to_cents(card.points, digits) + to_cents(added[card.id], digits)
            limit = to_cents(card._rs_stored_value_limit(), digits)
            if after > limit:
                raise UserError(
                    self.env._(
                        "Card %(card)s would hold %(after)s, above the limit of %(limit)s for a %(type)s "
                        "card. "
                        "The top-up is refused.",
                        card=card.code,
                        after=from_cents(after, digits),
                        limit=from_cents(limit, digits),
                        type=dict(card._fields["rs_card_type"]._description_selection(self.env)).get(
                            card.rs_card_type
                        ),
                    )
                )
