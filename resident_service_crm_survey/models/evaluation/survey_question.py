from odoo import api, fields, models
from odoo.exceptions import ValidationError

METRICS = [
    ("dimension", "Dimension Score"),
    ("csat", "CSAT (1-5)"),
    ("nps", "NPS (0-10)"),
    ("ces", "CES (1-7)"),
]
METRIC_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    rs_metric = fields.Selection(
        METRICS,
        string="Satisfaction Metric",
        help="How a scale answer is scored; questions without a metric are kept as comments.",
    )
    rs_dimension_id = fields.Many2one(
        "rs.survey.dimension",
        string="Satisfaction Dimension",
        index="btree_not_null",
        ondelete="restrict",
        help="The dimension the normalised answer counts toward.",
    )

    @api.constrains("rs_metric", "rs_dimension_id", "question_type", "scale_min", "scale_max")
    def _check_rs_metric(self):
        for question in self.filtered("rs_metric"):
            if question.question_type != "scale":
                raise ValidationError(
                    self.env._(
                        "Question %(question)s: only scale questions are scored for satisfaction.",
                        question=question.title,
                    )
                )
            if question.rs_metric == "dimension" and not question.rs_dimension_id:
                raise ValidationError(
                    self.env._(
                        "Question %(question)s: a dimension score needs its dimension.",
                        question=question.title,
                    )
                )
            expected = METRIC_SCALES.get(question.rs_metric)
            if expected and (question.scale_min, question.scale_max) != expected:
                raise ValidationError(
                    self.env._(
                        "Question %(question)s: a %(metric)s question is scored from %(low)s to %(high)s.",
                        question=question.title,
                        metric=dict(self._fields["rs_metric"]._description_selection(self.env))[
                            question.rs_metric
                        ],
                        low=expected[0],
                        high=expected[1],
                    )
                )
