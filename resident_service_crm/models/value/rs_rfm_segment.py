from odoo import fields, models


class RsRfmSegment(models.Model):
    """One of the eight RFM classes (RFM 客户分类) used by Chinese CRMs: which of recency,
    frequency and monetary value score high, and what to do with such customers."""

    _name = "rs.rfm.segment"
    _description = "RFM Segment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    r_high = fields.Boolean(string="Recent", readonly=True, help="Recency score at or above the threshold.")
    f_high = fields.Boolean(
        string="Frequent", readonly=True, help="Frequency score at or above the threshold."
    )
    m_high = fields.Boolean(
        string="High Spending", readonly=True, help="Monetary score at or above the threshold."
    )
    description = fields.Text(translate=True, help="Who these customers are and how to serve them.")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each RFM segment code exists once."),
        ("flags_unique", "UNIQUE(r_high, f_high, m_high)", "Each combination of high scores is one segment."),
    ]
