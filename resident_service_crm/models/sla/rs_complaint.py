from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools import sla_time
from .rs_complaint_sla import SLA_STATES

MATCH_FIELDS = {"category_id", "priority", "channel", "team_id", "partner_id", "company_id"}


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

    sla_hours_left = fields.Float(
        string="Working Hours Left",
        compute="_compute_sla_time_left",
        groups="resident_service_crm.group_user_own",
        help="Working hours left before the earliest deadline not reached yet, counted on the "
        "policy's working hours; below zero, the working hours it is late by.",
    )
    sla_time_left = fields.Char(
        string="Time Left", compute="_compute_sla_time_left", groups="resident_service_crm.group_user_own"
    )

    @api.depends_context("uid")
    def _compute_sla_time_left(self):
        now = fields.Datetime.now()
        lines = self.sla_line_ids.filtered(lambda line: not line.reached_date and line.deadline)
        # one call for the working intervals of each calendar, for all the cards at once
        intervals = lines._intervals(now) if lines else {}
        for complaint in self:
            line = min(
                (line for line in complaint.sla_line_ids if line in lines),
                key=lambda line: line.deadline,
                default=None,
            )
            if line is None:
                complaint.sla_hours_left = 0.0
                complaint.sla_time_left = False
                continue
            left = line.target_hours - sla_time.working_hours(
                intervals[line.id], line.start_date, now, line._pause_pairs()
            )
            hours = f"{abs(left):.1f}"
            complaint.sla_hours_left = left
            if line.paused_since:
                complaint.sla_time_left = self.env._("Paused: %(hours)s working hours left", hours=hours)
            elif left >= 0:
                complaint.sla_time_left = self.env._("%(hours)s working hours left", hours=hours)
            else:
                complaint.sla_time_left = self.env._("%(hours)s working hours late", hours=hours)

    @api.depends("sla_line_ids.deadline", "sla_line_ids.reached_date", "sla_line_ids.breached_date")
    def _compute_sla_deadline(self):
        for complaint in self:
            open_lines = complaint.sla_line_ids.filtered(lambda line: not line.reached_date and line.deadline)
            complaint.sla_deadline = min(open_lines.mapped("deadline"), default=False)
            complaint.sla_breached_date = min(
                complaint.sla_line_ids.filtered("breached_date").mapped("breached_date"), default=False
            )

    def _sla_before_write(self, vals):
        """Step of ``rs.complaint.write`` before the write: which complaints were resolved or
        closed before a change of stage."""
        return (
            {c.id: (c.stage_id.is_resolved or c.stage_id.is_closed) for c in self}
            if "stage_id" in vals
            else {}
        )

    def _sla_after_write(self, vals, before):
        """Step of ``rs.complaint.write`` after the write: the policy follows the fields it
        matches on, the lines follow the stage."""
        if MATCH_FIELDS & set(vals) and not self.env.context.get("rs_sla_no_apply"):
            self._sla_apply()
        if "stage_id" in vals:
            self._sla_on_stage(before)

    def _message_post_after_hook(self, message, msg_vals):
        """The first message to the customer is the first response."""
        result = super()._message_post_after_hook(message, msg_vals)
        # sudo: the SLA lines are the complaint's bookkeeping, which staff read and never
        # write; the reply of whoever may post on the complaint reaches its response target.
        lines = self.sla_line_ids.sudo()
        if (
            message.message_type in ("comment", "email_outgoing")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id != self.partner_id
            and not message.author_id.user_ids.share
            and lines
        ):
            lines.filtered(lambda line: line.target == "response")._reach(fields.Datetime.now())
            self._sla_sync_state()
        return result

    # ------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------
    def _sla_apply(self):
        """Lines for the targets of the matching policies; lines of policies that no longer
        match go, unless reached or breached. Policies are matched for the whole batch, the
        new lines created at once."""
        # sudo: SLA lines and policies are bookkeeping of the complaint, kept up to date
        # whoever edits it (staff read lines but never write them, policies are managers')
        Line = self.env["rs.complaint.sla"].sudo()
        now = fields.Datetime.now()
        complaints = self.filtered(lambda c: not c.is_closed and not c.stage_id.is_resolved)
        matches = self.env["rs.sla.policy"].sudo()._match(complaints)
        stale = Line.browse()
        vals_list, pausing = [], set()
        for complaint in complaints:
            policies = matches[complaint.id]
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
            stale |= Line.browse(
                [
                    line.id
                    for key, line in existing.items()
                    if key not in wanted and line.state not in ("met", "breached")
                ]
            )
            calendar = complaint.team_id.resource_calendar_id or complaint.company_id.resource_calendar_id
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
            if complaint.stage_id.pauses_sla:
                pausing.add(complaint.id)
        stale.unlink()
        new_lines = Line.create(vals_list) if vals_list else Line
        new_lines.filtered(lambda line: line.complaint_id.id in pausing)._pause(now)
        new_lines._recompute_deadlines(now)
        self._sla_sync_state()

    def _sla_on_stage(self, was_resolved):
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
        self._sla_sync_state()

    def _sla_sync_state(self, batch_size=None):
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
            complaints = self.browse(ids)
            if self.env.context.get("rs_sla_creating"):
                # The state of a complaint being created is part of its creation: stored
                # without a write, automation rules see it once, with the creation, and not
                # a second time as a change.
                self.env.cr.execute(
                    SQL("UPDATE rs_complaint SET sla_state = %s WHERE id = ANY(%s)", state or None, ids)
                )
                complaints.invalidate_recordset(["sla_state"])
                complaints.modified(["sla_state"])
                continue
            # sudo: the state is the complaint's bookkeeping, not a user's edit
            complaints.sudo().with_context(rs_sla_no_apply=True).write({"sla_state": state or False})
        if batch_size:
            self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)
        return remaining

    # ------------------------------------------------------------
    # ESCALATION (called by the shipped automation rules)
    # ------------------------------------------------------------
    def _sla_plan_warning_activity(self):
        for complaint in self.filtered("user_id"):
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(complaint),
                summary=self.env._(
                    "SLA at risk: reply before %(deadline)s", deadline=complaint.sla_deadline or ""
                ),
                user_id=complaint.user_id.id,
            )

    def _sla_escalation_users(self, role):
        if role == "leader":
            return self.team_id.leader_id
        group = self.env.ref("resident_service_crm.group_manager")
        return group.users.filtered(lambda u: self.company_id & u.company_ids)

    def _sla_notify_breach(self, role):
        """A note to the team leader, or to the Resident Services managers, naming the
        complaint whose service time limit (服务时限) was missed."""
        for complaint in self:
            users = complaint._sla_escalation_users(role)
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

    def _sla_notify_resolved(self):
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
