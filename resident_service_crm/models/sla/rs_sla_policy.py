from odoo import api, fields, models

from ..complaint.rs_complaint import COMPLAINT_CHANNELS
from ..value.rs_customer_tier import SERVICE_PRIORITIES

SLA_TARGETS = [("response", "First Response"), ("resolution", "Resolution")]
# The longest target, in working hours: a year of hours, far beyond any promise to a customer.
TARGET_HOURS_MAX = 8760


class RsSlaPolicy(models.Model):
    """A service level policy (服务时限): which complaints it covers and the working hours
    allowed for the first response (响应时限) and for the resolution (解决时限)."""

    _name = "rs.sla.policy"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Policies are tried in this order.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    category_ids = fields.Many2many(
        "rs.complaint.category",
        string="Categories",
        help="Only complaints of these categories (any when empty).",
    )
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
        string="Minimum Severity",
        help="Only complaints of at least this severity (any when empty).",
    )
    service_priority = fields.Selection(
        SERVICE_PRIORITIES,
        string="Minimum Tier Service Priority",
        help="Only customers whose tier has at least this service priority (any when empty).",
    )
    channel = fields.Selection(
        COMPLAINT_CHANNELS, help="Only complaints received on this channel (any when empty)."
    )
    team_ids = fields.Many2many(
        "rs.service.team",
        string="Teams",
        check_company=True,
        help="Only complaints of these teams (any when empty).",
    )
    response_hours = fields.Float(
        string="First Response Target (h)",
        rs_range=(0, TARGET_HOURS_MAX),
        help="Working hours, in the team's calendar, to the first message to the customer or "
        "the acknowledged stage; no target when zero.",
    )
    resolution_hours = fields.Float(
        string="Resolution Target (h)",
        rs_range=(0, TARGET_HOURS_MAX),
        help="Working hours, in the team's calendar, to a resolved stage; no target when zero.",
    )
    warning_percent = fields.Float(
        string="Warning At (%)",
        required=True,
        rs_range=(1, 100),
        default=80.0,
        help="Share of the target after which the line is at risk.",
    )

    _sql_constraints = [
        (
            "hours_positive",
            f"CHECK(response_hours BETWEEN 0 AND {TARGET_HOURS_MAX}"
            f" AND resolution_hours BETWEEN 0 AND {TARGET_HOURS_MAX})",
            "Targets lie between 0 and 8760 working hours.",
        ),
        (
            "warning_percent_range",
            "CHECK(warning_percent > 0 AND warning_percent <= 100)",
            "The warning threshold is a percent of the target, between 1 and 100.",
        ),
    ]

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        result = super().write(vals)
        if {"response_hours", "resolution_hours", "warning_percent"} & set(vals):
            self.action_recompute_open_lines()
        return result

    def action_recompute_open_lines(self):
        """Deadlines of the open lines of these policies follow their new targets."""
        # sudo: a manager changing a policy moves the deadlines of every complaint it covers
        lines = (
            self.env["rs.complaint.sla"]
            .sudo()
            .search([("policy_id", "in", self.ids), ("reached_date", "=", False)])
        )
        for policy in self:
            for target in ("response", "resolution"):
                lines.filtered(
                    lambda line, p=policy, t=target: line.policy_id == p and line.target == t
                ).write(
                    {"target_hours": policy[f"{target}_hours"], "warning_percent": policy.warning_percent}
                )
        lines._recompute_deadlines()
        lines.complaint_id._sla_sync_state()
        return True

    def _matches(self, complaint, tier_priority):
        """Whether this policy covers the complaint, given its customer's tier priority."""
        self.ensure_one()
        return (
            self.company_id == complaint.company_id
            and (not self.category_ids or complaint.category_id in self.category_ids)
            and (not self.priority or (complaint.priority or "0") >= self.priority)
            and (not self.service_priority or (tier_priority or "0") >= self.service_priority)
            and (not self.channel or complaint.channel == self.channel)
            and (not self.team_ids or complaint.team_id in self.team_ids)
        )

    @api.model
    def _match(self, complaints):
        """The policies of each complaint, ``{complaint_id: policies}``: the first that
        matches, or every match when the company applies all matching policies (each target
        then keeps its earliest deadline). One search for the batch, and the customers'
        tiers read per company."""
        if not complaints:
            return {}
        policies = self.search([("company_id", "in", complaints.company_id.ids)])
        policies.fetch(["company_id", "category_ids", "priority", "service_priority", "channel", "team_ids"])
        tier_priority = {}
        for company, company_complaints in complaints.grouped("company_id").items():
            partners = company_complaints.partner_id.with_company(company)
            partners.fetch(["rs_tier_id"])
            partners.rs_tier_id.fetch(["service_priority"])
            for partner in partners:
                tier_priority[company.id, partner.id] = partner.rs_tier_id.service_priority
        result = {}
        for complaint in complaints:
            priority = tier_priority.get((complaint.company_id.id, complaint.partner_id.id))
            matching = policies.filtered(lambda p, c=complaint, t=priority: p._matches(c, t))
            result[complaint.id] = matching if complaint.company_id.rs_sla_match_all else matching[:1]
        return result
