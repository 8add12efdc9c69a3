from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL


class RsCustomerRateReport(models.Model):
    """Customer rates by month and company, read from the purchases the value engine counts
    (``rs.purchase.fact``: posted invoices and visits paid on the spot, each sale once; a
    database view):
    active customers (a purchase in the value window before the date), churn rate
    (客户流失率: active at the month's start and not at its end / active at its start),
    repeat purchase rate (重复购买率: two purchases or more / one or more in the window) and
    referral rate (推荐率: new customers with a referrer / new customers)."""

    _name = "rs.customer.rate.report"
    _description = "Customer Rates by Month"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    active_start_count = fields.Integer(string="Active at Start", readonly=True)
    active_end_count = fields.Integer(string="Active at End", readonly=True)
    churned_count = fields.Integer(string="Churned", readonly=True)
    churn_rate = fields.Float(string="Churn Rate (%)", readonly=True, aggregator="avg")
    buyer_count = fields.Integer(string="Buyers in Window", readonly=True)
    repeat_buyer_count = fields.Integer(string="Repeat Buyers", readonly=True)
    repeat_rate = fields.Float(string="Repeat Purchase Rate (%)", readonly=True, aggregator="avg")
    new_count = fields.Integer(string="New Customers", readonly=True)
    referred_new_count = fields.Integer(string="New Customers Referred", readonly=True)
    referral_rate = fields.Float(string="Referral Rate (%)", readonly=True, aggregator="avg")

    @api.model
    def _query(self):
        return SQL(
            """
            WITH purchases AS (
                SELECT p.company_id, p.partner_id, p.day FROM (%(purchases)s) p
            ),
            months AS (
                SELECT c.id AS company_id, c.rs_value_window_days AS win_days, g.month::date AS month,
                       (g.month + interval '1 month')::date AS next_month
                  FROM res_company c
                  JOIN (SELECT company_id, min(day) AS first_day FROM purchases GROUP BY company_id) f
                    ON f.company_id = c.id
                 CROSS JOIN LATERAL generate_series(date_trunc('month', f.first_day),
                                                    date_trunc('month', now()), interval '1 month') g(month)
            ),
            firsts AS (
                SELECT company_id, partner_id, min(day) AS first_day FROM purchases GROUP BY 1, 2
            ),
            stats AS (
                SELECT mo.company_id, mo.month,
                       count(DISTINCT p.partner_id) FILTER (
                           WHERE p.day > mo.month - mo.win_days AND p.day <= mo.month) AS active_start,
                       count(DISTINCT p.partner_id) FILTER (
                           WHERE p.day >= mo.next_month - mo.win_days AND p.day < mo.next_month) AS active_end
                  FROM months mo
                  JOIN purchases p ON p.company_id = mo.company_id
                   AND p.day > mo.month - mo.win_days AND p.day < mo.next_month
                 GROUP BY mo.company_id, mo.month
            ),
            churn AS (
                SELECT mo.company_id, mo.month, count(*) AS churned
                  FROM months mo
                  JOIN LATERAL (
                      SELECT p.partner_id FROM purchases p
                       WHERE p.company_id = mo.company_id AND p.day > mo.month - mo.win_days
                         AND p.day <= mo.month
                      EXCEPT
                      SELECT p.partner_id FROM purchases p
                       WHERE p.company_id = mo.company_id AND p.day >= mo.next_month - mo.win_days
                         AND p.day < mo.next_month
                  ) lost ON true
                 GROUP BY mo.company_id, mo.month
            ),
            repeats AS (
                SELECT company_id, month, count(*) AS buyers, count(*) FILTER (WHERE n >= 2) AS repeaters
                  FROM (
                      SELECT mo.company_id, mo.month, p.partner_id, count(*) AS n
                        FROM months mo
                        JOIN purchases p ON p.company_id = mo.company_id
                         AND p.day >= mo.next_month - mo.win_days AND p.day < mo.next_month
                       GROUP BY mo.company_id, mo.month, p.partner_id
                  ) per_customer
                 GROUP BY company_id, month
            ),
            newcomers AS (
                SELECT mo.company_id, mo.month, count(*) AS new_count,
                       count(*) FILTER (WHERE rp.referred_by_id IS NOT NULL) AS referred
                  FROM months mo
                  JOIN firsts f ON f.company_id = mo.company_id
                   AND f.first_day >= mo.month AND f.first_day < mo.next_month
                  JOIN res_partner rp ON rp.id = f.partner_id
                 GROUP BY mo.company_id, mo.month
            )
            SELECT row_number() OVER (ORDER BY mo.company_id, mo.month) AS id,
                   mo.month, mo.company_id,
                   COALESCE(s.active_start, 0) AS active_start_count,
                   COALESCE(s.active_end, 0) AS active_end_count,
                   COALESCE(ch.churned, 0) AS churned_count,
                   CASE WHEN s.active_start > 0 THEN 100.0 * COALESCE(ch.churned, 0) / s.active_start
                        ELSE 0 END AS churn_rate,
                   COALESCE(r.buyers, 0) AS buyer_count,
                   COALESCE(r.repeaters, 0) AS repeat_buyer_count,
                   CASE WHEN r.buyers > 0 THEN 100.0 * r.repeaters / r.buyers ELSE 0 END AS repeat_rate,
                   COALESCE(n.new_count, 0) AS new_count,
                   COALESCE(n.referred, 0) AS referred_new_count,
                   CASE WHEN n.new_count > 0 THEN 100.0 * n.referred / n.new_count ELSE 0 END AS referral_rate
              FROM months mo
              LEFT JOIN stats s ON s.company_id = mo.company_id AND s.month = mo.month
              LEFT JOIN churn ch ON ch.company_id = mo.company_id AND ch.month = mo.month
              LEFT JOIN repeats r ON r.company_id = mo.company_id AND r.month = mo.month
              LEFT JOIN newcomers n ON n.company_id = mo.company_id AND n.month = mo.month
            """,
            purchases=self.env["rs.purchase.fact"]._rs_purchases_sql(
                SQL("NOT f.is_refund AND f.date IS NOT NULL")
            ),
        )

    @api.model
    def _rs_churn_rate(self, company, month):
        """The churn rate of one month of one company, as the report computes it, read in
        one pass over that month's purchases (the overview's card: the view computes every
        month of every company, seconds at a hundred thousand customers). ``month`` is the
        first day of the month. Returns ``(active at start, churned, rate in %)``."""
        self.env["rs.purchase.fact"].flush_model()
        self.env["res.company"].flush_model()
        window = company.rs_value_window_days
        next_month = month + relativedelta(months=1)
        start_from = month - timedelta(days=window)
        end_from = next_month - timedelta(days=window)
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE was_active),
                       count(*) FILTER (WHERE was_active AND NOT is_active)
                  FROM (SELECT bool_or(p.day > %(start_from)s AND p.day <= %(month)s) AS was_active,
                               bool_or(p.day >= %(end_from)s) AS is_active
                          FROM (%(purchases)s) p
                         GROUP BY p.partner_id) per_customer
                """,
                purchases=self.env["rs.purchase.fact"]._rs_purchases_sql(
                    SQL(
                        "f.company_id = %s AND NOT f.is_refund AND f.date > %s AND f.date < %s",
                        company.id,
                        start_from,
                        next_month,
                    )
                ),
                start_from=start_from,
                month=month,
                end_from=end_from,
                next_month=next_month,
                company=company.id,
            )
        )
        active, churned = self.env.cr.fetchone()
        return active, churned, 100.0 * churned / active if active else 0.0

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
