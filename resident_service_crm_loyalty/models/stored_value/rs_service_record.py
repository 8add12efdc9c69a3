from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...tools.stored_value import from_cents, released_liability, to_cents


class RsServiceRecord(models.Model):
    """A visit paid at the counter with a stored-value card (储值卡): paid on the spot, its
    money taken from the card's lots and booked against the program's prepayment; the card
    payment is given back, once, when a cashier cancels it."""

    _inherit = "rs.service.record"

    payment_method = fields.Selection(
        selection_add=[("stored_value", "Stored-Value Card")], ondelete={"stored_value": "set null"}
    )
    stored_value_card_id = fields.Many2one(
        "loyalty.card",
        string="Paid With Card",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="resident_service_crm_loyalty.group_cashier,account.group_account_invoice",
        help="The stored-value card that paid this visit.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """The card that paid a visit is written by the card payment only."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        if not self.env.su and any("stored_value_card_id" in vals for vals in vals_list):
            raise AccessError(self._card_refusal())
        return super().create(vals_list)

    def write(self, vals):
        """The card that paid a visit is written by the card payment only: it says which
        card a cancelled payment gives back to."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        if not self.env.su and "stored_value_card_id" in vals:
            raise AccessError(self._card_refusal())
        return super().write(vals)

    def _card_refusal(self):
        return self.env._("A visit's card is recorded by its Pay with Card button.")

    def _create_account_payments(self):
        """A visit paid by card has its payment booked by the card (``_pay_with_stored_value``),
        one paid by a package's session by the package (its revenue per session): neither
        in the journal of payments on the spot."""
        return super(
            RsServiceRecord,
            self.filtered(lambda record: record.payment_method not in ("stored_value", "package")),
        )._create_account_payments()

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_pay_with_stored_value(self):
        """The counter's "Pay with Card" for this visit."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pay with Stored-Value Card"),
            "res_model": "rs.stored.value.pay",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_id": self.id},
        }

    def action_cancel_stored_value_payment(self):
        """Cancel the card payment of this visit: the value goes back to the lots it came
        from, once, and the visit is to be invoiced again."""
        for record in self:
            record._cancel_stored_value_payment()
        return True

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _check_cashier(self):
        if not (self.env.su or self.env.user.has_group("resident_service_crm_loyalty.group_cashier")):
            raise AccessError(
                self.env._("Only a cashier takes or gives back a payment by stored-value card.")
            )

    def _pay_with_stored_value(self, card, amount):
        """Pay this visit on the spot with ``card``: the visit is finished and paid (a
        purchase of its own, as any payment on the spot), and the card's lots pay
        ``amount`` in the company's spending order: at most what the visit costs."""
        self.ensure_one()
        self._check_cashier()
        digits = self.currency_id.decimal_places
        if to_cents(amount, digits) > to_cents(self.amount, digits):
            raise UserError(self.env._("The amount paid by card is more than zero and at most what is due."))
        self._pay_on_spot("stored_value", amount)
        # sudo: the card's code and program are read to book, whoever pays
        card = card.sudo()
        partner = self.partner_id.commercial_partner_id
        payment = card._rs_stored_value_spend(
            amount,
            self,
            partner,
            lambda cents, carried: card._rs_stored_value_payment(
                self.company_id,
                partner,
                self.currency_id,
                cents,
                carried,
                inbound=True,
                memo=self.env._("Stored-value card %(card)s: %(move)s", card=card.code, move=self.name),
            ),
        )
        # sudo: the payment fields are the payment action's to write
        self.sudo().write({"account_payment_id": payment.id, "stored_value_card_id": card.id})
        return payment

    def _cancel_stored_value_payment(self):
        """Give back to the card's lots what it paid for this visit (an outbound payment on
        the card journal, the lots' share of prepayment with it), then clear the visit's
        payment: it is to be invoiced again. Once per card payment: the ledger's key, the
        payment, refuses a second give-back."""
        self.ensure_one()
        self._check_cashier()
        self.check_access("write")
        # sudo: the server reads the payment and ledger it gives back
        record = self.sudo()
        if record.payment_method != "stored_value" or not record.stored_value_card_id:
            raise UserError(self.env._("This visit was not paid with a stored-value card."))
        card = record.stored_value_card_id
        if not card.active:
            raise UserError(
                self.env._(
                    "Card %(card)s was returned: what it paid for this visit is not given back to it.",
                    card=card.code,
                )
            )
        Entry = self.env["rs.stored.value.entry"].sudo()
        Entry._lock_cards(card)
        spent = Entry.search(
            [
                ("source_model", "=", "account.payment"),
                ("source_id", "=", record.account_payment_id.id),
                ("operation", "=", "spend"),
            ]
        )
        digits = card.currency_id.decimal_places
        vals_list, cents, carried = [], 0, 0
        for entry in spent:
            lot = entry.lot_id
            part = -to_cents(entry.amount, digits)
            share = released_liability(part, to_cents(lot.amount, digits), to_cents(lot.liability, digits))
            cents += part
            carried += share
            vals_list.append(
                {
                    "card_id": card.id,
                    "operation": "give_back",
                    "kind": lot.kind,
                    "amount": from_cents(part, digits),
                    "liability": from_cents(share, digits),
                    "lot_id": lot.id,
                    "source_model": "account.payment",
                    "source_id": record.account_payment_id.id,
                }
            )
        Entry._write_entries(vals_list)
        if cents:
            card._rs_stored_value_payment(
                record.company_id,
                record.partner_id.commercial_partner_id,
                record.currency_id,
                cents,
                carried,
                inbound=False,
                memo=self.env._("Stored-value card %(card)s: %(move)s", card=card.code, move=record.name),
            )
        record.write(
            {
                "payment_mode": "to_invoice",
                "payment_method": False,
                "amount_received": 0.0,
                "amount_received_untaxed": 0.0,
                "payment_date": False,
                "payment_user_id": False,
                "account_payment_id": False,
                "stored_value_card_id": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Card payment cancelled: %(amount)s given back to stored-value card %(card)s.",
                amount=record.currency_id.format(from_cents(cents, digits)),
                card=card.code,
            ),
            subtype_xmlid="mail.mt_note",
        )
