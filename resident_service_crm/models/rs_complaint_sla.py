from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import sla_time
from .rs_sla_policy import SLA_TARGETS

SLA_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("warning", "At Risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
# the complaint shows its worst line
SLA_RANK = {"met": 1, "paused": 2, "running": 3, "warning": 4, "breached": 5}
MATCH_FIELDS = {"category_id", "priority", "channel", "team_id", "partner_id", "company_id"}


class RsComplaintSla(models.Model):
    """One service level target of a complaint: its deadline in working time, the time
    consumed, the pauses, and where it stands. A breached line never becomes met."""

    _name = "rs.complaint.sla"
    _description = "Complaint SLA Line"
    _order = "complaint_id, target desc, deadline"

    complaint_id = fields.Many2one("rs.complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="complaint_id.team_id", store=True)
    policy_id = fields.Many2one("rs.sla.policy", required=True, ondelete="cascade", index=True)
    target = fields.Selection(SLA_TARGETS, required=True)
    calendar_id = fields.Many2one("resource.calendar", string="Working Hours", index=True)
    start_date = fields.Datetime(string="Started On", required=True)
    target_hours = fields.Float(string="Target (h)")
    warning_percent = fields.Float(string="Warning At (%)")
    deadline = fields.Datetime(index=True)
    warning_date = fields.Datetime(string="At Risk From")
    reached_date = fields.Datetime(string="Reached On")
    breached_date = fields.Datetime(string="Breached On")
    consumed_hours = fields.Float(
        string="Consumed (h)", help="Working hours counted so far, out of pauses (at the last change)."
    )
    paused_since = fields.Datetime()
    pauses = fields.Json(help="Finished pauses, as [start, end] pairs.")
    state = fields.Selection(SLA_STATES, required=True, default="running", index=True)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    def _pause_pairs(self, with_open=True):
        pairs = [
            (fields.Datetime.to_datetime(a), fields.Datetime.to_datetime(b)) for a, b in self.pauses or []
        ]
        if with_open and self.paused_since:
            pairs.append((self.paused_since, None))
        return pairs

    def _intervals(self, now):
        """Working intervals per line, from one batch call per calendar."""
        result = {}
        by_calendar = defaultdict(lambda: self.browse())
        for line in self:
            by_calendar[line.calendar_id] |= line
        for calendar, lines in by_calendar.items():
            start = min(lines.mapped("start_date"))
            paused = sum(((b or now) - a for line in lines for a, b in line._pause_pairs()), timedelta())
            end = (
                max(max(lines.mapped("start_date")), now)
                + paused
                + timedelta(days=30 + max(lines.mapped("target_hours")))
            )
            if calendar:
                intervals = calendar._rs_work_intervals(start, end)[calendar.id]
            else:
                intervals = [(start, end)]
            for line in lines:
                result[line.id] = intervals
        return result

    def _recompute_deadlines(self, now=None):
        """Deadlines and warning points from the working calendar and the pauses."""
        now = now or fields.Datetime.now()
        lines = self.filtered(lambda line: not line.reached_date)
        intervals = lines._intervals(now)
        for line in lines:
            pauses = line._pause_pairs()
            line.write(
                {
                    "deadline": sla_time.deadline(
                        intervals[line.id], line.start_date, line.target_hours, pauses
                    )
                    or False,
                    "warning_date": sla_time.warning_point(
                        intervals[line.id], line.start_date, line.target_hours, line.warning_percent, pauses
                    )
                    or False,
                    "consumed_hours": sla_time.working_hours(
                        intervals[line.id], line.start_date, now, pauses
                    ),
                }
            )
        lines._refresh_state(now)

    def _refresh_state(self, now):
        for line in self:
            if line.state in ("met", "breached") and line.reached_date:
                continue
            if line.state == "breached" or (line.deadline and line.deadline <= now and not line.paused_since):
                state = "breached"
            elif line.paused_since:
                state = "paused"
            elif line.warning_date and line.warning_date <= now:
                state = "warning"
            else:
                state = "running"
            if state != line.state:
                values = {"state": state}
                if state == "breached" and not line.breached_date:
                    values["breached_date"] = line.deadline or now
                line.write(values)

    def _pause(self, now):
        lines = self.filtered(lambda line: not line.paused_since and not line.reached_date)
        lines.write({"paused_since": now})
        lines.filtered(lambda line: line.state != "breached").write({"state": "paused"})

    def _resume(self, now):
        lines = self.filtered("paused_since")
        for line in lines:
            pauses = [
                *(line.pauses or []),
                [fields.Datetime.to_string(line.paused_since), fields.Datetime.to_string(now)],
            ]
            line.write(
                {
                    "pauses": pauses,
                    "paused_since": False,
                    "state": "breached" if line.breached_date else "running",
                }
            )
        lines._recompute_deadlines(now)

    def _reach(self, now):
        """The target is reached now: met when on time, breached otherwise (and for good)."""
        lines = self.filtered(lambda line: not line.reached_date)
        lines._resume(now)
        intervals = lines._intervals(now)
        for line in lines:
            late = line.state == "breached" or (line.deadline and line.deadline < now)
            line.write(
                {
                    "reached_date": now,
                    "state": "breached" if late else "met",
                    "breached_date": line.breached_date or (late and line.deadline) or False,
                    "consumed_hours": sla_time.working_hours(
                        intervals[line.id], line.start_date, now, line._pause_pairs()
                    ),
                }
            )

    def _reopen(self, now):
        """A reopened complaint: the time it spent resolved does not count."""
        for line in self.filtered("reached_date"):
            pauses = [
                *(line.pauses or []),
                [fields.Datetime.to_string(line.reached_date), fields.Datetime.to_string(now)],
            ]
            line.write(
                {
                    "pauses": pauses,
                    "reached_date": False,
                    "state": "breached" if line.state == "breached" else "running",
                }
            )
        self._recompute_deadlines(now)

    @api.model
    def _recompute_for_calendars(self, calendars):
        """A calendar, its leaves or make-up days changed: open lines follow."""
        if not calendars:
            return
        lines = self.search([("calendar_id", "in", calendars.ids), ("reached_date", "=", False)])
        lines._recompute_deadlines()
        lines.complaint_id._rs_sla_sync_state()

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------
    @api.model
    def _cron_sla(self, batch_size=5000):
        """Move running lines to at risk or breached on time (one statement), then write
        the complaints' overall state through the ORM, grouped by value, so that automation
        rules see it. Idempotent; reports what remains when the batch is full."""
        now = fields.Datetime.now()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE rs_complaint_sla
                   SET state = CASE WHEN deadline <= %(now)s THEN 'breached' ELSE 'warning' END,
                       breached_date = CASE WHEN deadline <= %(now)s THEN deadline END,
                       write_date = %(now)s
                 WHERE reached_date IS NULL AND paused_since IS NULL
                   AND ((state IN ('running', 'warning') AND deadline <= %(now)s)
                        OR (state = 'running' AND warning_date <= %(now)s))
             RETURNING complaint_id
                """,
                now=now,
            )
        )
        complaint_ids = list({row[0] for row in self.env.cr.fetchall()})
        self.invalidate_model(["state", "breached_date", "write_date"])
        if complaint_ids:
            # the first breach, read by the time-based escalation rule
            self.env["rs.complaint"].flush_model(["sla_breached_date"])
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE rs_complaint c
                       SET sla_breached_date = s.first_breach
                      FROM (SELECT complaint_id, MIN(breached_date) AS first_breach
                              FROM rs_complaint_sla
                             WHERE complaint_id = ANY(%(ids)s) AND breached_date IS NOT NULL
                             GROUP BY complaint_id) s
                     WHERE c.id = s.complaint_id AND c.sla_breached_date IS DISTINCT FROM s.first_breach
                    """,
                    ids=complaint_ids,
                )
            )
            self.env["rs.complaint"].invalidate_model(["sla_breached_date"])
        return self.env["rs.complaint"]._rs_sla_sync_state(batch_size=batch_size)


class RsComplaint(models.Model):
    _inherit = "rs.complaint"

    sla_line_ids = fields.One2many("rs.complaint.sla", "complaint_id", string="SLA")
    sla_state = fields.Selection(
        SLA_STATES,
        string="SLA State",
        readonly=True,
        copy=False,
        index=True,
        help="The worst state of the complaint's service level lines.",
    )
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla_deadline",
        store=True,
        help="The earliest deadline of the targets not reached yet.",
    )
    sla_breached_date = fields.Datetime(
        string="SLA Breached On",
        compute="_compute_sla_deadline",
        store=True,
        help="When the first target was missed.",
    )

    @api.depends("sla_line_ids.deadline", "sla_line_ids.reached_date", "sla_line_ids.breached_date")
    def _compute_sla_deadline(self):
        for complaint in self:
            open_lines = complaint.sla_line_ids.filtered(lambda line: not line.reached_date and line.deadline)
            complaint.sla_deadline = min(open_lines.mapped("deadline"), default=False)
            complaint.sla_breached_date = min(
                complaint.sla_line_ids.filtered("breached_date").mapped("breached_date"), default=False
            )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._rs_sla_apply()
        return complaints

    def write(self, vals):
        before = (
            {c.id: (c.stage_id.is_resolved or c.stage_id.is_closed) for c in self}
            if "stage_id" in vals
            else {}
        )
        result = super().write(vals)
        if MATCH_FIELDS & set(vals) and not self.env.context.get("rs_sla_no_apply"):
            self._rs_sla_apply()
        if "stage_id" in vals:
            self._rs_sla_on_stage(before)
        return result

    def _message_post_after_hook(self, message, msg_vals):
        """The first message to the customer is the first response."""
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            message.message_type in ("comment", "email_outgoing")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id != self.partner_id
            and not message.author_id.user_ids.share
            and self.sla_line_ids
        ):
            self.sla_line_ids.filtered(lambda line: line.target == "response")._reach(fields.Datetime.now())
            self._rs_sla_sync_state()
        return result

    # ------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------
    def _rs_sla_apply(self):
        """Lines for the targets of the matching policies; lines of policies that no longer
        match go, unless reached or breached."""
        # sudo: SLA lines and policies are bookkeeping of the complaint, kept up to date
        # whoever edits it (staff read lines but never write them, policies are managers')
        Line = self.env["rs.complaint.sla"].sudo()
        now = fields.Datetime.now()
        new_lines = Line.browse()
        for complaint in self.filtered(lambda c: not c.is_closed and not c.stage_id.is_resolved):
            policies = self.env["rs.sla.policy"].sudo()._match(complaint)
            wanted = {
                (policy.id, target)
                for policy in policies
                for target, hours in (
                    ("response", policy.response_hours),
                    ("resolution", policy.resolution_hours),
                )
                if hours
            }
            existing = {(line.policy_id.id, line.target): line for line in complaint.sla_line_ids.sudo()}
            stale = Line.browse(
                [
                    line.id
                    for key, line in existing.items()
                    if key not in wanted and line.state not in ("met", "breached")
                ]
            )
            stale.unlink()
            calendar = complaint.team_id.resource_calendar_id or complaint.company_id.resource_calendar_id
            vals_list = []
            for policy_id, target in sorted(wanted - set(existing)):
                policy = policies.browse(policy_id)
                if target == "response" and complaint.stage_id.is_acknowledged:
                    continue
                vals_list.append(
                    {
                        "complaint_id": complaint.id,
                        "policy_id": policy.id,
                        "target": target,
                        "calendar_id": calendar.id,
                        "start_date": complaint.date or now,
                        "target_hours": policy[f"{target}_hours"],
                        "warning_percent": policy.warning_percent,
                    }
                )
            if vals_list:
                new_lines |= Line.create(vals_list)
            if complaint.stage_id.pauses_sla:
                new_lines.filtered(lambda line, c=complaint: line.complaint_id == c)._pause(now)
        new_lines._recompute_deadlines(now)
        self._rs_sla_sync_state()

    def _rs_sla_on_stage(self, was_resolved):
        now = fields.Datetime.now()
        for complaint in self:
            stage = complaint.stage_id
            lines = complaint.sla_line_ids.sudo()
            resolved = stage.is_resolved or stage.is_closed
            if was_resolved.get(complaint.id) and not resolved:
                lines.filtered(lambda line: line.target == "resolution")._reopen(now)
            reached = lines.filtered(
                lambda line, resolved=resolved, ack=stage.is_acknowledged: (
                    not line.reached_date and (resolved or (line.target == "response" and ack))
                )
            )
            reached._reach(now)
            running = lines - reached
            if stage.pauses_sla:
                running._pause(now)
            else:
                running._resume(now)
        self._rs_sla_sync_state()

    def _rs_sla_sync_state(self, batch_size=None):
        """Write the overall state (the worst line) where it changed, grouped by value:
        on these complaints, or on every complaint with lines when called on none."""
        self.env["rs.complaint.sla"].flush_model()
        self.flush_model(["sla_state"])
        ranks = SQL(
            "CASE s.state WHEN 'met' THEN 1 WHEN 'paused' THEN 2 WHEN 'running' THEN 3 "
            "WHEN 'warning' THEN 4 WHEN 'breached' THEN 5 END"
        )
        where = SQL("c.id = ANY(%s)", list(self.ids)) if self else SQL("c.is_closed IS NOT TRUE")
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id, w.state
                  FROM rs_complaint c
                  LEFT JOIN LATERAL (
                        SELECT s.state FROM rs_complaint_sla s
                         WHERE s.complaint_id = c.id ORDER BY %(ranks)s DESC LIMIT 1
                  ) w ON TRUE
                 WHERE %(where)s AND c.sla_state IS DISTINCT FROM w.state
                   AND (w.state IS NOT NULL OR c.sla_state IS NOT NULL)
                 ORDER BY c.id
                """,
                ranks=ranks,
                where=where,
            )
        )
        rows = self.env.cr.fetchall()
        remaining = 0
        if batch_size and len(rows) > batch_size:
            remaining = len(rows) - batch_size
            rows = rows[:batch_size]
        by_state = defaultdict(list)
        for complaint_id, state in rows:
            by_state[state].append(complaint_id)
        for state, ids in by_state.items():
            self.browse(ids).sudo().with_context(rs_sla_no_apply=True).write({"sla_state": state or False})
        if batch_size:
            self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)
        return remaining

    # ------------------------------------------------------------
    # ESCALATION (called by the shipped automation rules)
    # ------------------------------------------------------------
    def _rs_sla_plan_warning_activity(self):
        for complaint in self.filtered("user_id"):
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(complaint),
                summary=self.env._(
                    "SLA at risk: reply before %(deadline)s", deadline=complaint.sla_deadline or ""
                ),
                user_id=complaint.user_id.id,
            )

    def _rs_sla_escalation_users(self, role):
        if role == "leader":
            return self.team_id.leader_id
        group = self.env.ref("resident_service_crm.group_manager")
        return group.users.filtered(lambda u: self.company_id & u.company_ids)

    def _rs_sla_notify_breach(self, role):
        """A note to the team leader, or to the Resident Services managers, naming the
        complaint whose service time limit (服务时限) was missed."""
        for complaint in self:
            users = complaint._rs_sla_escalation_users(role)
            if not users:
                continue
            body = (
                self.env._(
                    "Service time limit missed on %(complaint)s: please take it in hand.",
                    complaint=complaint.name,
                )
                if role == "leader"
                else self.env._(
                    "Escalation: %(complaint)s is still past its service time limit.",
                    complaint=complaint.name,
                )
            )
            complaint.message_post(
                body=body,
                partner_ids=users.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _rs_sla_notify_resolved(self):
        """Tell the customer the complaint is resolved (the caller asked the contact permission)."""
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "Dear customer, your complaint %(complaint)s has been resolved. Reply to this "
                    "message if anything is still wrong.",
                    complaint=complaint.name,
                ),
                partner_ids=complaint.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
