from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.evaluation.survey_survey import PURPOSES

# the scores of the analysis, each with the number of answers behind it (``<score>_count``)
SCORES = ("csi", "csat", "nps", "ces")


class RsSurveyReport(models.Model):
    """Satisfaction measures by staff member, service type, team and month: one row per sent
    invitation (answered or not) and per response without invitation. Each measure is a
    per-row value whose average is the figure: CSAT % (100 when 4-5, else 0), NPS (100 a
    promoter, 0 a passive, -100 a detractor, so the mean is % promoters - % detractors),
    response rate (100 when the invitation was answered), recovery rate (100 when a
    detractor followed up answers passive or promoter). Rows without a value count nowhere.

    Read by groups (pivot, graph, grouped list), each score comes with the number of
    answers behind it, and is left empty below the company's minimum number of answers;
    the response rate of a group is its answered invitations over its sent invitations."""

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
    answered_count = fields.Integer(
        string="Answered Invitations", readonly=True, help="Sent invitations that were answered."
    )
    response_count = fields.Integer(string="Responses", readonly=True)
    csi = fields.Float(string="CSI", readonly=True, aggregator="avg", help="Satisfaction index, 0-100.")
    csi_count = fields.Integer(string="CSI Answers", readonly=True)
    csat = fields.Float(
        string="CSAT %", readonly=True, aggregator="avg", help="Share of CSAT answers of 4 or 5 (1-5)."
    )
    csat_count = fields.Integer(string="CSAT Answers", readonly=True)
    nps = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="Net promoter score: % promoters (9-10) - % detractors (0-6), from -100 to 100.",
    )
    nps_count = fields.Integer(string="NPS Answers", readonly=True)
    ces = fields.Float(
        string="CES (1-7, higher is easier)",
        readonly=True,
        aggregator="avg",
        help="Customer effort score: the mean answer from 1 (very difficult) to 7 (very easy).",
    )
    ces_count = fields.Integer(string="CES Answers", readonly=True)
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
                   CASE WHEN i.id IS NOT NULL AND r.id IS NOT NULL THEN 1 ELSE 0 END AS answered_count,
                   CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS response_count,
                   CASE WHEN r.has_csi THEN r.csi END AS csi,
                   CASE WHEN r.has_csi THEN 1 ELSE 0 END AS csi_count,
                   CASE WHEN r.has_csat THEN CASE WHEN r.is_csat_satisfied THEN 100.0 ELSE 0.0 END
                   END AS csat,
                   CASE WHEN r.has_csat THEN 1 ELSE 0 END AS csat_count,
                   CASE r.nps_category WHEN 'promoter' THEN 100.0 WHEN 'passive' THEN 0.0
                                       WHEN 'detractor' THEN -100.0 END AS nps,
                   CASE WHEN r.nps_category IS NOT NULL THEN 1 ELSE 0 END AS nps_count,
                   CASE WHEN r.has_ces THEN r.ces_value END AS ces,
                   CASE WHEN r.has_ces THEN 1 ELSE 0 END AS ces_count,
                   CASE WHEN i.id IS NULL THEN NULL WHEN r.id IS NULL THEN 0.0 ELSE 100.0
                   END AS response_rate,
                   CASE r.recovery_outcome WHEN 'recovered' THEN 100.0 WHEN 'not_recovered' THEN 0.0
                   END AS recovery_rate
              FROM rs_survey_invitation i
              FULL OUTER JOIN rs_survey_result r ON r.invitation_id = i.id
             WHERE i.id IS NULL OR i.state IN ('sent', 'done')
            """
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The figures of each group as the web client reads them (pivot, graph, grouped
        list): a score with fewer answers than the company's minimum, or none, is empty (its
        number of answers shows); the response rate is answered over sent invitations."""
        keys = {spec.split(":")[0] for spec in fields}
        needed = [f"{score}_count" for score in SCORES if score in keys]
        if "response_rate" in keys:
            needed += ["invitation_count", "answered_count"]
        extra = [name for name in dict.fromkeys(needed) if name not in keys]
        groups = super().read_group(
            domain, list(fields) + [f"{name}:sum" for name in extra], groupby, offset, limit, orderby, lazy
        )
        minimum = self.env.company.rs_survey_min_answers
        for group in groups:
            for score in SCORES:
                if score in group and (group[score] is None or (group[f"{score}_count"] or 0) < minimum):
                    group[score] = False
            if "response_rate" in group:
                sent = group["invitation_count"] or 0
                group["response_rate"] = 100.0 * (group["answered_count"] or 0) / sent if sent else False
            for name in extra:
                group.pop(name, None)
        return groups

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
