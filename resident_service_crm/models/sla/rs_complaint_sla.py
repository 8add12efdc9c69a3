from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools import sla_time
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
    state = fields.Selection(SLA_STATES, string="SLA Status", required=True, default="running", index=True)

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
        lines.complaint_id._sla_sync_state()

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------
    @api.model
    def _refresh_consumed(self, now):
        """The working hours consumed so far by every line not reached yet (a paused line
        up to its pause): one read, the working intervals of each calendar at once, and one
        statement writing the values that changed."""
        lines = self.search_fetch(
            [("reached_date", "=", False)],
            ["calendar_id", "start_date", "target_hours", "pauses", "paused_since", "consumed_hours"],
        )
        if not lines:
            return
        intervals = lines._intervals(now)
        ids, hours = [], []
        for line in lines:
            consumed = sla_time.working_hours(intervals[line.id], line.start_date, now, line._pause_pairs())
            if abs(consumed - line.consumed_hours) > 1e-6:
                ids.append(line.id)
                hours.append(consumed)
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE rs_complaint_sla s
                   SET consumed_hours = v.hours
                  FROM unnest(%(ids)s::int[], %(hours)s::float8[]) AS v(id, hours)
                 WHERE s.id = v.id
                """,
                ids=ids,
                hours=hours,
            )
        )
        self.invalidate_model(["consumed_hours"])

    @api.model
    def _cron_sla(self, batch_size=5000):
        """Bring the working time consumed by the running lines up to now, move them to at
        risk or breached on time (one statement each), then write the complaints' overall
        state through the ORM, grouped by value, so that automation rules see it.
        Idempotent; reports what remains when the batch is full."""
        now = fields.Datetime.now()
        self._refresh_consumed(now)
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
        rs_complaint_ids = list({row[0] for row in self.env.cr.fetchall()})
        self.invalidate_model(["state", "breached_date", "write_date"])
        if rs_complaint_ids:
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
                    ids=rs_complaint_ids,
                )
            )
            self.env["rs.complaint"].invalidate_model(["sla_breached_date"])
        return self.env["rs.complaint"]._sla_sync_state(batch_size=batch_size)
