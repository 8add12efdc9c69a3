from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# the stored figures of a month, in the order of the rates statement
FIGURES = (
    "active_start_count",
    "active_end_count",
    "churned_count",
    "churn_rate",
    "buyer_count",
    "repeat_buyer_count",
    "repeat_rate",
    "new_count",
    "referred_new_count",
    "referral_rate",
)


class RsCustomerRateReport(models.Model):
    """Customer rates by month and company, read from the purchases the value engine counts
    (``rs.purchase.fact``: posted invoices and visits paid on the spot, each sale once;
    monthly figures stored by the nightly job, which rewrites the current and the previous
    month; *Backfill Past Months* writes every month since the company's first purchase):
    active customers (a purchase in the value window before the date), churn rate
    (客户流失率: active at the month's start and not at its end / active at its start),
    repeat purchase rate (重复购买率: two purchases or more / one or more in the window) and
    referral rate (推荐率: new customers with a referrer / new customers)."""

    _name = "rs.customer.rate.report"
    _description = "Customer Rates by Month"
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
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

    _sql_constraints = [
        ("company_month_unique", "UNIQUE(company_id, month)", "A company has one row of rates per month.")
    ]

    @api.model
    def _rates_sql(self, company, first_month, last_month):
        """The rates of ``company`` for the months from ``first_month`` to ``last_month``
        (first days of months), as rows of this table, in one statement over its purchases."""
        return SQL(
            """
            WITH purchases AS (
                SELECT p.company_id, p.partner_id, p.day FROM (%(purchases)s) p
            ),
            months AS (
                SELECT c.id AS company_id, c.rs_value_window_days AS win_days, g.month::date AS month,
                       (g.month + interval '1 month')::date AS next_month
                  FROM res_company c
                 CROSS JOIN LATERAL generate_series(%(first_month)s::date, %(last_month)s::date,
                                                    interval '1 month') g(month)
                 WHERE c.id = %(company)s
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
                       count(*) FILTER (WHERE rp.rs_referred_by_id IS NOT NULL) AS referred
                  FROM months mo
                  JOIN firsts f ON f.company_id = mo.company_id
                   AND f.first_day >= mo.month AND f.first_day < mo.next_month
                  JOIN res_partner rp ON rp.id = f.partner_id
                 GROUP BY mo.company_id, mo.month
            )
            SELECT mo.month, mo.company_id,
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
            purchases=self.env["rs.purchase.fact"]._purchases_sql(
                SQL(
                    "f.company_id = %s AND NOT f.is_refund AND f.date IS NOT NULL AND f.date < %s",
                    company.id,
                    last_month + relativedelta(months=1),
                )
            ),
            company=company.id,
            first_month=first_month,
            last_month=last_month,
        )

    @api.model
    def _store_months(self, company, first_month=None, last_month=None):
        """Write the rates of ``company`` for these months (default: from the month of its
        first purchase to the current one), replacing what was stored. Returns how many
        months were written."""
        today = fields.Date.context_today(self)
        last_month = last_month or today.replace(day=1)
        if first_month is None:
            self.env.cr.execute(
                SQL(
                    "SELECT min(p.day) FROM (%s) p",
                    self.env["rs.purchase.fact"]._purchases_sql(
                        SQL("f.company_id = %s AND NOT f.is_refund AND f.date IS NOT NULL", company.id)
                    ),
                )
            )
            first_day = self.env.cr.fetchone()[0]
            if not first_day:
                return 0
            first_month = first_day.replace(day=1)
        if first_month > last_month:
            return 0
        for model in ("rs.purchase.fact", "res.company", "res.partner"):
            self.env[model].flush_model()
        columns = list(FIGURES)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO rs_customer_rate_report (month, company_id, %(columns)s,
                                                     create_uid, write_uid, create_date, write_date)
                SELECT r.month, r.company_id, %(values)s, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM (%(rates)s) r
                    ON CONFLICT (company_id, month) DO UPDATE SET %(assignments)s,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                values=SQL(", ").join(SQL("r.%s", SQL.identifier(name)) for name in columns),
                assignments=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name)) for name in columns
                ),
                rates=self._rates_sql(company, first_month, last_month),
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount

    @api.model
    def _store_recent_months(self, company, today=None):
        """The nightly job's part: the previous month (its end is now known) and this one."""
        month = (today or fields.Date.context_today(self)).replace(day=1)
        return self._store_months(company, month - relativedelta(months=1), month)

    def action_rs_backfill(self):
        """*Backfill Past Months*: write the rates of every month since the first purchase of
        each of the user's companies (after an import of past invoices, or on installation)."""
        if not self.env.user.has_group("resident_service_crm.group_manager"):
            raise UserError(self.env._("Only a Resident Services manager may backfill the customer rates."))
        # sudo: the rates are the company's figures, computed from every customer's purchases,
        # including those the manager's own rules would hide; they write only this report
        Report = self.sudo()
        months = sum(Report._store_months(company) for company in self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s months of customer rates written.", count=months),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _churn_rate(self, company, month):
        """The churn rate of one month of one company, as the report computes it, read in
        one pass over that month's purchases: a check of the stored figures. ``month`` is the
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
                purchases=self.env["rs.purchase.fact"]._purchases_sql(
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
