from odoo import api, fields, models
from odoo.exceptions import ValidationError

INDICATORS = [
    ("csi", "Satisfaction Index (CSI)"),
    ("csat", "CSAT %"),
    ("nps", "NPS"),
    ("ces", "Customer Effort (CES)"),
    ("dimension", "Satisfaction Dimension"),
    ("repeat_rate", "Repeat Purchase Rate"),
    ("referral_rate", "Referral Rate"),
    ("tenure", "Tenure"),
    ("first_time_fix", "First-Time Fix Rate"),
    ("punctuality", "On-Time Arrival Rate"),
]


class RsEvaluationIndicator(models.Model):
    _name = "rs.evaluation.indicator"
    _description = "Evaluation Indicator"
    _order = "model_id, sequence, id"

    model_id = fields.Many2one("rs.evaluation.model", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    indicator = fields.Selection(INDICATORS, required=True)
    dimension_id = fields.Many2one("rs.survey.dimension", string="Dimension", ondelete="restrict")
    weight = fields.Float(default=1.0)
    overall_value = fields.Float(string="Overall (0-100)", compute="_compute_overall_value", digits=(16, 1))
    has_overall_value = fields.Boolean(compute="_compute_overall_value")

    _sql_constraints = [
        ("weight_positive", "CHECK(weight >= 0)", "The weight of an indicator cannot be negative."),
    ]

    def _compute_overall_value(self):
        for model, lines in self.grouped("model_id").items():
            values = model._indicator_values() if model else {}
            for line in lines:
                value = values.get(line.id)
                line.overall_value = value or 0.0
                line.has_overall_value = value is not None

    @api.constrains("indicator", "dimension_id")
    def _check_dimension(self):
        for line in self:
            if line.indicator == "dimension" and not line.dimension_id:
                raise ValidationError(self.env._("A dimension indicator needs its dimension."))
