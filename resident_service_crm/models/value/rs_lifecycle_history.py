from odoo import fields, models

from ...tools import server_text

REASONS = [
    ("initial", "First evaluation"),
    ("never_purchased", "Never purchased"),
    ("no_purchase_in_window", "No purchase in the window"),
    ("purchase_after_lost", "Purchase after being lost"),
    ("reactivated_recently", "Reactivated recently"),
    ("recency_beyond_interval", "Late against the usual interval"),
    ("frequency_down", "Frequency down on the previous window"),
    ("value_down", "Value down on the previous window"),
    ("decline_signal", "Decline signal"),
    ("first_purchase", "First purchase"),
    ("frequency_up", "Frequency up on the previous window"),
    ("repeat_first_year", "Repeat purchases in the first year"),
    ("stable", "Stable for a year or more"),
    ("one_step", "One step towards the stage the table gives"),
    ("reactivation_over", "Reactivation over: the relationship starts anew"),
]


class RsLifecycleHistory(models.Model):
    """Every move of a customer between lifecycle stages, append-only, with its reason."""

    _name = "rs.lifecycle.history"
    _description = "Lifecycle Stage Movement"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    old_stage_id = fields.Many2one("rs.lifecycle.stage", string="From Stage", ondelete="set null")
    new_stage_id = fields.Many2one("rs.lifecycle.stage", string="To Stage", ondelete="set null")
    target_stage_id = fields.Many2one(
        "rs.lifecycle.stage",
        string="Stage Aimed At",
        ondelete="set null",
        help="What the transition table gave, when the no-skipping rule moved the customer one step only.",
    )
    reason = fields.Selection(REASONS, required=True)
    detail_message = fields.Json(string="Detail (as stored)", readonly=True)
    detail = fields.Char(compute=server_text.compute("detail_message"), help="The figures behind the reason.")
    movement_count = fields.Integer(default=1, string="Movements")
