from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

# Blocks the anonymisation of an inactive customer; each a condition on ``p`` (res_partner)
# for ``company`` and ``cutoff``. Addons add theirs in ``_retention_blockers``.
BASE_BLOCKERS = (
    # a purchase since the cutoff
    "EXISTS (SELECT 1 FROM rs_purchase_fact f WHERE f.partner_id = p.id AND f.company_id = %(company)s"
    " AND f.date >= %(cutoff)s)",
    # a visit since the cutoff, or still to come
    "EXISTS (SELECT 1 FROM rs_service_record s WHERE s.partner_id = p.id AND s.company_id = %(company)s"
    " AND s.scheduled_start >= %(cutoff)s)",
    # an open complaint
    "EXISTS (SELECT 1 FROM rs_complaint c WHERE c.partner_id = p.id AND c.company_id = %(company)s"
    " AND c.is_closed IS NOT TRUE)",
    # an open personal data request
    "EXISTS (SELECT 1 FROM rs_privacy_request r WHERE r.partner_id = p.id"
    " AND r.state IN ('new', 'in_progress'))",
    # on a review not decided yet, or kept since the cutoff
    "EXISTS (SELECT 1 FROM rs_privacy_retention_line l WHERE l.partner_id = p.id"
    " AND l.company_id = %(company)s"
    " AND (l.decision = 'proposed' OR (l.decision = 'kept' AND l.decided_date >= %(cutoff)s)))",
)


class RsPrivacyRetentionReview(models.Model):
    """The monthly list of customers inactive for longer than the company keeps personal data
    (PIPL's storage limitation, 存储期限最小化): no purchase, visit, open complaint, open
    request or balance on a card within the period. The privacy officer confirms each one,
    whose data then goes through the erasure, or keeps them with a reason."""

    _name = "rs.privacy.retention.review"
    _description = "Retention Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "review_date desc, id desc"

    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    review_date = fields.Date(string="Proposed On", required=True, readonly=True)
    cutoff_date = fields.Date(
        string="Inactive Since", required=True, readonly=True, help="No activity on or after this day."
    )
    line_ids = fields.One2many("rs.privacy.retention.line", "review_id", string="Customers", readonly=True)
    line_count = fields.Integer(string="Customers Proposed", compute="_compute_counts", store=True)
    open_count = fields.Integer(string="To Decide", compute="_compute_counts", store=True)

    _sql_constraints = [
        ("company_date_uniq", "unique(company_id, review_date)", "A company has one retention review a day."),
    ]

    @api.depends("review_date")
    @api.depends_context("lang")
    def _compute_name(self):
        # said in the reader's language and date format, whoever ran the job
        for review in self:
            review.name = self.env._(
                "Retention review %(date)s", date=format_date(self.env, review.review_date)
            )

    def _search_name(self, operator, value):
        # a review a day per company: few rows, matched on the name as the reader reads it
        if operator not in ("ilike", "not ilike", "=", "!="):
            raise UserError(self.env._("Unsupported search on the review's name."))
        reviews = self.search_fetch([], ["review_date"])
        positive = operator in ("ilike", "=")
        if operator in ("ilike", "not ilike"):
            matched = reviews.filtered(lambda r: (value or "").lower() in r.name.lower())
        else:
            matched = reviews.filtered(lambda r: r.name == value)
        return [("id", "in" if positive else "not in", matched.ids)]

    @api.depends("line_ids.decision")
    def _compute_counts(self):
        for review in self:
            review.line_count = len(review.line_ids)
            review.open_count = len(review.line_ids.filtered(lambda line: line.decision == "proposed"))

    def action_open_lines(self):
        """The review's customers, where the officer keeps or anonymises each one."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.rs_privacy_retention_line_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"search_default_to_decide": 1}
        return action

    @api.model
    def _retention_blockers(self):
        """SQL conditions on ``p`` that keep a customer out of the review; see BASE_BLOCKERS."""
        return list(BASE_BLOCKERS)

    @api.model
    def _inactive_customers(self, company, cutoff):
        """[(partner id, last activity date)] of the company's resident customers with no
        activity on or after ``cutoff``, in one statement."""
        self.env.flush_all()
        params = {"company": company.id, "cutoff": cutoff}
        blockers = SQL(" OR ").join(SQL(condition, **params) for condition in self._retention_blockers())
        return self.env.execute_query(
            SQL(
                """
                SELECT p.id,
                       GREATEST(p.create_date::date,
                                (SELECT max(f.date) FROM rs_purchase_fact f
                                  WHERE f.partner_id = p.id AND f.company_id = %(company)s),
                                (SELECT max(s.scheduled_start)::date FROM rs_service_record s
                                  WHERE s.partner_id = p.id AND s.company_id = %(company)s))
                  FROM res_partner p
                 WHERE p.rs_is_resident_customer
                   AND p.active
                   AND p.rs_erased IS NOT TRUE
                   AND (p.company_id = %(company)s OR p.company_id IS NULL)
                   AND p.create_date < %(cutoff)s
                   AND NOT (%(blockers)s)
                 ORDER BY p.id
                """,
                company=company.id,
                cutoff=cutoff,
                blockers=blockers,
            )
        )

    @api.model
    def _cron_propose(self, today=None):
        """For each company keeping data for a limited period: list the customers inactive
        since then, in a review with a to-do for the privacy officer. A customer waiting for a
        decision, or kept since the cutoff, is not proposed again; a second run the same day
        proposes nothing more."""
        today = today or fields.Date.context_today(self)
        reviews = self.browse()
        for company in self.env["res.company"].search([("rs_retention_months", ">", 0)]):
            if self.search_count([("company_id", "=", company.id), ("review_date", "=", today)]):
                continue
            cutoff = today - relativedelta(months=company.rs_retention_months)
            rows = self._inactive_customers(company, cutoff)
            if not rows:
                continue
            review = self.create(
                {
                    "company_id": company.id,
                    "review_date": today,
                    "cutoff_date": cutoff,
                    "line_ids": [
                        fields.Command.create(
                            {"partner_id": partner_id, "company_id": company.id, "last_activity_date": last}
                        )
                        for partner_id, last in rows
                    ],
                }
            )
            officer = self.env["rs.privacy.request"]._default_handler(company)
            if officer:
                review.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Decide on %(count)s inactive customers", count=len(rows)),
                    user_id=officer.id,
                )
            reviews |= review
        return reviews
