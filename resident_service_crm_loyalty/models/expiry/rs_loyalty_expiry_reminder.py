from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.resident_service_crm.tools import server_text

from ...tools.expiry import EPSILON
from .loyalty_history import REMAINING

REMINDER_BATCH = 1000
REMINDER_PURPOSE = "marketing"


class RsLoyaltyExpiryReminder(models.Model):
    """One reminder per card and expiry date, sent once, only where the customer may be
    contacted for marketing on the channel."""

    _name = "rs.loyalty.expiry.reminder"
    _description = "Points Expiry Reminder"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "card_id"

    card_id = fields.Many2one(
        "loyalty.card",
        string="Card",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, string="Customer")
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    expiry_date = fields.Date(string="Expires On", required=True, readonly=True)
    points = fields.Float(
        readonly=True,
        help="The points of the card that expire on that date, when the reminder was sent.",
    )
    state = fields.Selection(
        [("sent", "Sent"), ("skipped", "Not Permitted")],
        string="Status",
        required=True,
        readonly=True,
        default="sent",
    )
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], readonly=True)
    reason_message = fields.Json(string="Reason (as stored)", readonly=True)
    reason = fields.Char(
        compute=server_text.compute("reason_message"),
        help="Why the customer could not be reminded; the reminder is tried again the next "
        "day until the points expire.",
    )
    checked_date = fields.Date(string="Last Checked", readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True)
    point_name = fields.Char(related="program_id.portal_point_name")

    _sql_constraints = [
        (
            "card_expiry_uniq",
            "UNIQUE(card_id, expiry_date)",
            "A card is reminded once of the points that expire on one date.",
        ),
    ]

    @api.model
    def _cron_send_reminders(self):
        done, remaining = self._send_reminders(REMINDER_BATCH)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _reminder_candidates(self, limit):
        """(card id, expiry date, points) of cards with points expiring within their
        program's reminder period and no reminder for that date yet."""
        self.env.flush_all()
        today = fields.Date.context_today(self)
        return self.env.execute_query(
            SQL(
                """
                SELECT l.card_id, l.rs_points_expiry_date, SUM(l.remaining), COUNT(*) OVER ()
                  FROM (
                        SELECT h.card_id, h.rs_points_expiry_date,
                               %(remaining)s AS remaining
                          FROM loyalty_history h
                          JOIN loyalty_card c ON c.id = h.card_id
                          JOIN loyalty_program p ON p.id = c.program_id
                         WHERE h.rs_points_lot
                           AND p.active
                           AND p.rs_points_reminder_days > 0
                           AND (p.rs_points_reminder_mail_template_id IS NOT NULL
                                OR p.rs_points_reminder_sms_template_id IS NOT NULL)
                           AND c.partner_id IS NOT NULL
                           AND h.rs_points_expiry_date >= %(today)s
                           AND h.rs_points_expiry_date <= %(today)s + p.rs_points_reminder_days
                       ) l
                 WHERE l.remaining >= %(epsilon)s
                   AND NOT EXISTS (
                        SELECT 1 FROM rs_loyalty_expiry_reminder r
                         WHERE r.card_id = l.card_id AND r.expiry_date = l.rs_points_expiry_date
                           AND (r.state = 'sent' OR r.checked_date >= %(today)s)
                   )
                 GROUP BY l.card_id, l.rs_points_expiry_date
                 ORDER BY l.rs_points_expiry_date, l.card_id
                 LIMIT %(limit)s
                """,
                today=today,
                epsilon=EPSILON,
                remaining=REMAINING,
                limit=limit,
            )
        )

    @api.model
    def _send_reminders(self, limit):
        """Remind up to ``limit`` cards. A customer who may not be contacted now is recorded
        as not permitted, with the reason, and asked again the next day until the points
        expire. Returns (reminders sent, cards still to consider today)."""
        rows = self._reminder_candidates(limit)
        if not rows:
            return 0, 0
        total = rows[0][3]
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        # sudo: the job reads cards and programs of every customer to remind them, and
        # writes reminders, which are written by the system only
        cards = self.env["loyalty.card"].sudo().browse([row[0] for row in rows])
        Reminder = self.sudo().with_context(mail_create_nolog=True)
        existing = {
            (reminder.card_id.id, reminder.expiry_date): reminder
            for reminder in Reminder.search([("card_id", "in", cards.ids), ("state", "=", "skipped")])
        }
        by_program = defaultdict(list)
        for card_id, expiry_date, points, _total in rows:
            card = cards.browse(card_id)
            by_program[card.program_id].append((card, expiry_date, round(points, 2)))
        sent = self.browse()
        for program, items in by_program.items():
            channels = []
            if program.rs_points_reminder_mail_template_id:
                channels.append("email")
            if program.rs_points_reminder_sms_template_id:
                channels.append("sms")
            partners = self.env["res.partner"].union(*(card.partner_id for card, _date, _points in items))
            # the program's company sends the reminder: its consents decide
            company = program.company_id or self.env.company
            best = partners.with_company(company)._rs_best_channels(REMINDER_PURPOSE, channels, now)
            to_create, to_send = [], Reminder.browse()
            for card, expiry_date, points in items:
                channel, permission = best[card.partner_id.id]
                vals = {
                    "card_id": card.id,
                    "expiry_date": expiry_date,
                    "points": points,
                    "checked_date": today,
                    "state": "sent" if channel else "skipped",
                    "channel": channel,
                    "reason_message": False if channel else server_text.message(permission.note),
                    "sent_date": now if channel else False,
                }
                reminder = existing.get((card.id, expiry_date))
                if reminder:
                    reminder.write(vals)
                    if channel:
                        to_send |= reminder
                else:
                    to_create.append(vals)
            created = Reminder.create(to_create)
            to_send |= created.filtered(lambda reminder: reminder.state == "sent")
            to_send._send(program)
            sent |= to_send
        return len(sent), max(total - len(rows), 0)

    def _send(self, program):
        by_email = self.filtered(lambda reminder: reminder.channel == "email")
        by_sms = self - by_email
        if by_email:
            program.rs_points_reminder_mail_template_id.send_mail_batch(by_email.ids)
        if by_sms:
            composer = self.env["sms.composer"].create(
                {
                    "composition_mode": "mass",
                    "res_model": self._name,
                    "res_ids": by_sms.ids,
                    "template_id": program.rs_points_reminder_sms_template_id.id,
                    "mass_keep_log": True,
                }
            )
            composer.action_send_sms()
