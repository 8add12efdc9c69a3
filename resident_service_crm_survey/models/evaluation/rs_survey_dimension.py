from odoo import fields, models


class RsSurveyDimension(models.Model):
    """A dimension of satisfaction (满意度维度) and its weight (权重) in the index."""

    _name = "rs.survey.dimension"
    _description = "Satisfaction Dimension"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    weight = fields.Float(
        default=1.0,
        help="Weight of this dimension in the satisfaction index (CSI); only the dimensions a "
        "response answers count.",
    )
    description = fields.Text(translate=True)
    question_ids = fields.One2many("survey.question", "rs_dimension_id", string="Questions")

    _sql_constraints = [
        ("weight_positive", "CHECK(weight >= 0)", "The weight of a dimension cannot be negative."),
    ]
