from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RsCareRule(models.Model):
    """Care rules that give bonus points: the birthday points of the customer's tier,
    credited to the member card (without this addon such rules send messages again)."""

    _inherit = "rs.care.rule"

    action = fields.Selection(
        selection_add=[("points", "Give Tier Birthday Points")],
        ondelete={"points": "set default"},
    )

    @api.constrains("action", "trigger", "company_id")
    def _check_points_action(self):
        for rule in self.filtered(lambda rule: rule.action == "points"):
            if not rule.company_id.rs_member_program_id:
                raise ValidationError(
                    self.env._(
                        "The rule %(rule)s gives points: first choose the membership program in the "
                        "settings.",
                        rule=rule.name,
                    )
                )
