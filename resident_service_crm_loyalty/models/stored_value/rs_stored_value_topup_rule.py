from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.resident_service_crm.tools.input_checks import amount_check

from ...tools.stored_value import to_cents


class RsStoredValueTopupRule(models.Model):
    """A tier of top-up bonus (充值赠送) of a stored-value program: a top-up of at least the
    minimum gets the bonus, a fixed amount or a percentage of the top-up, valid for its
    own number of days. A top-up reaches the tier with the highest minimum it meets."""

    _name = "rs.stored.value.topup.rule"
    _description = "Stored-Value Top-Up Rule"
    _order = "program_id, min_amount"

    program_id = fields.Many2one(
        "loyalty.program",
        string="Program",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('rs_stored_value', '=', True)]",
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    currency_id = fields.Many2one(related="program_id.currency_id")
    min_amount = fields.Monetary(
        string="Minimum Top-Up",
        required=True,
        rs_amount=True,
        help="A top-up of at least this amount gets this tier's bonus.",
    )
    bonus_type = fields.Selection(
        [("amount", "Fixed Amount"), ("percent", "Percentage")],
        required=True,
        default="amount",
        help="Whether the bonus is a fixed amount or a percentage of the top-up.",
    )
    bonus_amount = fields.Monetary(
        rs_amount=True, help="The bonus added to the card on a top-up of this tier."
    )
    bonus_percent = fields.Float(
        string="Bonus (%)", rs_range=(0, 100), help="The bonus as a percentage of the top-up."
    )
    bonus_validity_days = fields.Integer(
        string="Bonus Valid For (Days)",
        rs_range=(0, 36500),
        help="How many days the bonus can be spent after the top-up; zero keeps it as long as the card.",
    )

    _sql_constraints = [
        amount_check("min_amount", "The minimum of a top-up rule is too large."),
        amount_check("bonus_amount", "The bonus of a top-up rule is too large."),
        (
            "min_amount_positive",
            "CHECK(min_amount > 0)",
            "The minimum of a top-up rule must be more than zero.",
        ),
        (
            "bonus_not_negative",
            "CHECK(COALESCE(bonus_amount, 0) >= 0 AND COALESCE(bonus_percent, 0) BETWEEN 0 AND 100 "
            "AND COALESCE(bonus_validity_days, 0) >= 0)",
            "A bonus cannot be negative, nor a percentage above 100.",
        ),
        (
            "min_amount_unique",
            "UNIQUE(program_id, min_amount)",
            "A program has one top-up rule per minimum amount.",
        ),
    ]

    @api.constrains("program_id")
    def _check_program(self):
        for rule in self:
            if not rule.program_id.rs_stored_value:
                raise ValidationError(self.env._("Top-up rules belong to stored-value programs only."))

    @api.depends("min_amount", "bonus_type", "bonus_amount", "bonus_percent")
    def _compute_display_name(self):
        for rule in self:
            if rule.bonus_type == "percent":
                rule.display_name = self.env._(
                    "From %(minimum)s: %(percent)s%% bonus",
                    minimum=rule.min_amount,
                    percent=rule.bonus_percent,
                )
            else:
                rule.display_name = self.env._(
                    "From %(minimum)s: %(bonus)s bonus", minimum=rule.min_amount, bonus=rule.bonus_amount
                )

    def _tiers(self, digits):
        """The rules as ``tools.stored_value`` reads them (cents)."""
        return [
            {
                "id": rule.id,
                "min_amount": to_cents(rule.min_amount, digits),
                "bonus_type": rule.bonus_type,
                "bonus_amount": to_cents(rule.bonus_amount or 0.0, digits),
                "bonus_percent": rule.bonus_percent or 0.0,
                "validity_days": rule.bonus_validity_days,
            }
            for rule in self
        ]
