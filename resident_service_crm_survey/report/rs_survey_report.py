from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.evaluation.survey_survey import PURPOSES


class RsSurveyReport(models.Model):
    """Satisfaction measures by staff member, service type, team and month: one row per sent
    invitation (answered or not) and per response without invitation. Each measure is a
    per-row value whose average is the figure: CSAT % (100 when 4-5, else 0), NPS (100 a
    promoter, 0 a passive, -100 a detractor, so the mean is % promoters - % detractors),
    response rate (100 when the invitation was answered), recovery rate (100 when a
    detractor followed up answers passive or promoter). Rows without a value count nowhere."""

    _name = "rs.survey.report"
    _description = "Satisfaction Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", readonly=True)
    purpose = fields.Selection(PURPOSES, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Staff Member", readonly=True)
    team_id = fields.Many2one("rs.service.team", string="Service Team", readonly=True)
    service_type_id = fields.Many2one("rs.service.type", string="Service Type", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    result_id = fields.Many2one("rs.survey.result", string="Result", readonly=True)
    invitation_count = fields.Integer(string="Invitations", readonly=True)
    response_count = fields.Integer(string="Responses", readonly=True)
    csi = fields.Float(string="CSI", readonly=True, aggregator="avg")
    csat = fields.Float(string="CSAT %", readonly=True, aggregator="avg")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    ces = fields.Float(string="CES", readonly=True, aggregator="avg")
    response_rate = fields.Float(string="Response Rate %", readonly=True, aggregator="avg")
    recovery_rate = fields.Float(string="Recovery Rate %", readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            """
            SELECT COALESCE(r.id * 2, i.id * 2 + 1) AS id,
                   COALESCE(r.date, i.sent_date) AS date,
                   COALESCE(r.survey_id, i.survey_id) AS survey_id,
                   COALESCE(r.purpose, i.purpose) AS purpose,
                   COALESCE(r.partner_id, i.partner_id) AS partner_id,
                   COALESCE(r.user_id, i.user_id) AS user_id,
                   COALESCE(r.team_id, i.team_id) AS team_id,
                   COALESCE(r.service_type_id, i.service_type_id) AS service_type_id,
                   COALESCE(r.company_id, i.company_id) AS company_id,
                   r.id AS result_id,
                   CASE WHEN i.id IS NULL THEN 0 ELSE 1 END AS invitation_count,
                   CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS response_count,
                   CASE WHEN r.has_csi THEN r.csi END AS csi,
                   CASE WHEN r.has_csat THEN CASE WHEN r.is_csat_satisfied THEN 100.0 ELSE 0.0 END
                   END AS csat,
                   CASE r.nps_category WHEN 'promoter' THEN 100.0 WHEN 'passive' THEN 0.0
                                       WHEN 'detractor' THEN -100.0 END AS nps,
                   CASE WHEN r.has_ces THEN r.ces_value END AS ces,
                   CASE WHEN i.id IS NULL THEN NULL WHEN r.id IS NULL THEN 0.0 ELSE 100.0
                   END AS response_rate,
                   CASE r.recovery_outcome WHEN 'recovered' THEN 100.0 WHEN 'not_recovered' THEN 0.0
                   END AS recovery_rate
              FROM rs_survey_invitation i
              FULL OUTER JOIN rs_survey_result r ON r.invitation_id = i.id
             WHERE i.id IS NULL OR i.state IN ('sent', 'done')
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
