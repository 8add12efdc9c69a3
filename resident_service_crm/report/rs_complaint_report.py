from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.complaint.rs_complaint import COMPLAINT_CHANNELS, RESPONSIBLE_PARTIES


class RsComplaintReport(models.Model):
    """Complaint analysis (投诉分析): one row per complaint, and one per finished service so
    that complaints can be read per 100 services. Services carry only what they share with
    complaints (date, company, team, customer): grouped by what they lack, such as the
    category, their rows fall in the empty group, and the rate per 100 services is read on
    the totals."""

    _name = "rs.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "complaint_id"

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    complaint_id = fields.Many2one("rs.complaint", string="Complaint", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    category_id = fields.Many2one("rs.complaint.category", string="Complaint Category", readonly=True)
    root_cause_id = fields.Many2one("rs.root.cause", string="Root Cause", readonly=True)
    responsible_party = fields.Selection(RESPONSIBLE_PARTIES, readonly=True)
    responsible_department_id = fields.Many2one(
        "rs.department", string="Responsible Department", readonly=True
    )
    team_id = fields.Many2one("rs.service.team", string="Team", readonly=True)
    channel = fields.Selection(COMPLAINT_CHANNELS, readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    recurrent_count = fields.Integer(string="Recurrent Complaints", readonly=True)
    recurrence_rate = fields.Float(
        string="Recurrence Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the complaints that repeat an earlier one of the same customer and category.",
    )
    compensation_cost = fields.Monetary(readonly=True, currency_field="currency_id")
    service_count = fields.Integer(string="Finished Services", readonly=True)
    complaints_per_100 = fields.Float(
        string="Complaints per 100 Services",
        readonly=True,
        help="Complaints for every 100 services finished in the same rows (period, team, customer).",
    )
    rated_count = fields.Integer(string="Rated Complaints", readonly=True)
    rating = fields.Float(
        string="Handling Rating",
        readonly=True,
        aggregator="avg",
        help="The customers' rating of the handling (1, 3 or 5), averaged over rated complaints only.",
    )

    def _query(self):
        return SQL(
            """
            SELECT c.id * 2 AS id, c.date, c.company_id, rc.currency_id, c.id AS complaint_id,
                   c.partner_id, c.category_id, c.root_cause_id, c.responsible_party,
                   c.responsible_department_id, c.team_id, c.channel, c.user_id, c.is_closed,
                   1 AS complaint_count,
                   CASE WHEN c.is_recurrent THEN 1 ELSE 0 END AS recurrent_count,
                   CASE WHEN c.is_recurrent THEN 100.0 ELSE 0.0 END AS recurrence_rate,
                   COALESCE(c.compensation_total, 0.0) AS compensation_cost,
                   0 AS service_count,
                   NULL::float AS complaints_per_100,
                   CASE WHEN c.rating_last_value > 0 THEN 1 ELSE 0 END AS rated_count,
                   NULLIF(c.rating_last_value, 0) AS rating
              FROM rs_complaint c
              JOIN res_company rc ON rc.id = c.company_id
             UNION ALL
            SELECT s.id * 2 + 1, s.finish_time, s.company_id, rc.currency_id, NULL,
                   s.partner_id, NULL, NULL, NULL,
                   NULL, s.team_id, NULL, NULL, NULL,
                   0, 0, NULL, 0.0, 1, NULL, 0, NULL
              FROM rs_service_record s
              JOIN res_company rc ON rc.id = s.company_id
             WHERE s.state = 'done' AND s.finish_time IS NOT NULL
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )

    def _read_group_select(self, aggregate_spec, query):
        """Complaints per 100 services is a ratio of the group's sums, not a sum of rows."""
        if aggregate_spec != "complaints_per_100:sum":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "100.0 * SUM(%(complaints)s) / NULLIF(SUM(%(services)s), 0)",
            complaints=self._field_to_sql(self._table, "complaint_count", query),
            services=self._field_to_sql(self._table, "service_count", query),
        )
