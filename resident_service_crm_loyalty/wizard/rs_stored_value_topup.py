from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.resident_service_crm.tools.input_checks import amount_check

from ..tools.stored_value import from_cents, to_cents, topup_bonus


class RsStoredValueTopup(models.TransientModel):
    """The counter's top-up (充值) of a stored-value card: an invoice for the amount, posted,
    and paid at once when a payment journal is chosen (or later, by bank transfer). The card
    is credited, with its bonus, when the invoice is paid, never before."""

    _name = "rs.stored.value.topup"
    _description = "Top Up a Stored-Value Card"

    card_id = fields.Many2one(
        "loyalty.card", string="Card", required=True, domain="[('rs_stored_value', '=', True)]"
    )
    company_id = fields.Many2one(related="card_id.company_id")
    currency_id = fields.Many2one(related="card_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Buyer",
        required=True,
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        help="Who pays the top-up: the holder of a named card, or the buyer of an anonymous one.",
    )
    amount = fields.Monetary(required=True, rs_amount=True, help="The principal paid onto the card.")
    bonus = fields.Monetary(compute="_compute_bonus", help="What the top-up rules add on top, once paid.")
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid With",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id), ('code', '!=', 'SVC')]",
        help="The journal of the payment taken at the counter; leave empty to send the invoice "
        "and credit the card when it is paid.",
    )

    _sql_constraints = [amount_check("amount", "The top-up amount is too large.")]

    @api.depends("card_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = wizard.card_id.partner_id or wizard.partner_id

    @api.depends("card_id", "amount")
    def _compute_bonus(self):
        for wizard in self:
            card = wizard.card_id.sudo()
            digits = card.currency_id.decimal_places or 2
            tiers = card.program_id.rs_topup_rule_ids._tiers(digits)
            wizard.bonus = from_cents(topup_bonus(to_cents(wizard.amount or 0.0, digits), tiers), digits)

    def action_confirm(self):
        """Invoice the top-up, post it, and register the counter's payment if any."""
        self.ensure_one()
        if not self.env.user.has_group("resident_service_crm_loyalty.group_cashier"):
            raise AccessError(self.env._("Only a cashier tops up stored-value cards."))
        card = self.card_id
        if not card.rs_stored_value:
            raise UserError(self.env._("Only stored-value cards are topped up."))
        if self.amount <= 0:
            raise UserError(self.env._("A top-up is more than zero."))
        # sudo: the program's top-up product is configuration the cashier reads, not edits
        product = card.sudo().program_id.rs_topup_product_id
        if not product:
            raise UserError(
                self.env._(
                    "The program %(program)s has no top-up product.", program=card.program_id.display_name
                )
            )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id.id,
                "company_id": card.company_id.id or self.env.company.id,
                "currency_id": card.currency_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": self.env._("Top-up of stored-value card %(card)s", card=card.code),
                            "quantity": 1,
                            "price_unit": self.amount,
                            "tax_ids": [Command.clear()],
                            "rs_stored_value_card_id": card.id,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        if self.journal_id:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"journal_id": self.journal_id.id})._create_payments()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
