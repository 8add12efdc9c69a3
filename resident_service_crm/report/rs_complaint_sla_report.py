from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.sla.rs_sla_policy import SLA_TARGETS


class RsComplaintSlaReport(models.Model):
    """SLA compliance (服务时限达成率) per target, policy, team and month, one row per
    finished target: percent met, average working hours to the response and resolution."""

    _name = "rs.complaint.sla.report"
    _description = "Complaint SLA Compliance"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    complaint_id = fields.Many2one("rs.complaint", readonly=True)
    policy_id = fields.Many2one("rs.sla.policy", readonly=True)
    team_id = fields.Many2one("rs.service.team", readonly=True)
    target = fields.Selection(SLA_TARGETS, readonly=True)
    is_met = fields.Boolean(string="Met", readonly=True)
    met_percent = fields.Float(string="Met (%)", readonly=True, aggregator="avg")
    response_hours = fields.Float(string="Response Time (h)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution Time (h)", readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            """
            SELECT s.id, s.company_id, s.complaint_id, s.policy_id, s.team_id, s.target,
                   date_trunc('month', s.start_date)::date AS month,
                   s.state = 'met' AS is_met,
                   CASE WHEN s.state = 'met' THEN 100.0 ELSE 0.0 END AS met_percent,
                   CASE WHEN s.target = 'response' AND s.reached_date IS NOT NULL THEN s.consumed_hours END
                       AS response_hours,
                   CASE WHEN s.target = 'resolution' AND s.reached_date IS NOT NULL THEN s.consumed_hours END
                       AS resolution_hours
              FROM rs_complaint_sla s
             WHERE s.state IN ('met', 'breached')
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
