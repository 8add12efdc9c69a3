from collections import defaultdict
from datetime import timedelta
from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...tools import service_rules
from ...tools.input_checks import DESCRIPTION_MAX, amount_check, length_check

# What a field technician records on a visit assigned to them; everything else (its customer,
# its window, its assignee, its amount and invoice) scopes what they may see, or is money.
TECHNICIAN_FIELDS = {"arrival_time", "finish_time", "outcome", "outcome_note", "notes"}
SERVICE_STATES = [
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# How a finished visit is paid. Paid on the spot, the visit is a purchase of its own; to be
# invoiced, the invoice that covers it is the purchase, once posted.
PAYMENT_MODES = [
    ("to_invoice", "To Be Invoiced"),
    ("on_spot", "Paid on the Spot"),
]
SPOT_PAYMENT_METHODS = [
    ("cash", "In Cash"),
    ("wechat", "WeChat Pay"),
    ("alipay", "Alipay"),
    ("card", "Card Terminal"),
]
# Written by the payment action only (``_pay_on_spot``): they are money received.
PAYMENT_FIELDS = {
    "payment_mode",
    "payment_method",
    "amount_received",
    "amount_received_untaxed",
    "payment_date",
    "payment_user_id",
    "account_payment_id",
}
# The map a technician opens to find the customer, unless the parameter
# resident_service_crm.map_url (Settings) names another; {address} is the customer's address.
MAP_URL_DEFAULT = "https://uri.amap.com/search?keyword={address}"
# What a visit's purchase fact reads: a change refreshes it.
FACT_FIELDS = PAYMENT_FIELDS | {"state", "partner_id", "company_id", "service_type_id", "invoice_id"}


class RsServiceRecord(models.Model):
    _name = "rs.service.record"
    _description = "Service Record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "scheduled_start desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    household_id = fields.Many2one(
        "rs.household",
        string="Household",
        compute="_compute_household_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    community_id = fields.Many2one(related="household_id.community_id", store=True, index="btree_not_null")
    service_type_id = fields.Many2one(
        "rs.service.type", string="Service Type", required=True, index=True, tracking=True, check_company=True
    )
    category_id = fields.Many2one(related="service_type_id.category_id", store=True)
    scheduled_start = fields.Datetime(
        string="Window Start",
        required=True,
        tracking=True,
        help="Start of the arrival window promised.",
        rs_dates="window",
    )
    scheduled_end = fields.Datetime(
        string="Window End",
        compute="_compute_scheduled_end",
        store=True,
        readonly=False,
        precompute=True,
        help="End of the arrival window promised.",
        rs_dates="window",
    )
    arrival_time = fields.Datetime(string="Arrived At", tracking=True, copy=False)
    finish_time = fields.Datetime(string="Finished At", tracking=True, copy=False)
    duration_hours = fields.Float(
        string="Time on Site (Hours)", compute="_compute_duration_hours", store=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned Staff",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one(
        "rs.service.team", string="Service Team", index=True, tracking=True, check_company=True
    )
    state = fields.Selection(
        SERVICE_STATES,
        string="Status",
        required=True,
        default="scheduled",
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,  # kanban columns in working order, from scheduled to cancelled
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(currency_field="currency_id", rs_amount=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Order Line", index="btree_not_null", copy=False
    )
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", store=True, string="Sale Order")
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        domain="[('move_type', '=', 'out_invoice'), ('partner_id', 'child_of', partner_id)]",
        index="btree_not_null",
        copy=False,
    )
    payment_mode = fields.Selection(
        PAYMENT_MODES,
        string="Payment",
        required=True,
        default="to_invoice",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
        help="Paid on the spot, the finished visit counts as a purchase; to be invoiced, its invoice "
        "counts once posted.",
    )
    payment_method = fields.Selection(SPOT_PAYMENT_METHODS, string="Paid By", readonly=True, copy=False)
    amount_received = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    amount_received_untaxed = fields.Monetary(
        string="Received, Untaxed",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What was received without the taxes of the service type's product (the money received "
        "includes them): what the visit counts as a purchase, like an invoice's untaxed amount.",
    )
    payment_date = fields.Date(string="Paid On", readonly=True, copy=False)
    payment_user_id = fields.Many2one("res.users", string="Payment Recorded By", readonly=True, copy=False)
    account_payment_id = fields.Many2one(
        "account.payment",
        string="Accounting Payment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The payment entered in accounting for the money received, when the settings name a journal.",
    )
    outcome = fields.Selection(
        [("resolved", "Resolved"), ("partly", "Partly Resolved"), ("unresolved", "Not Resolved")],
        tracking=True,
        copy=False,
    )
    outcome_note = fields.Text(string="Outcome Details", copy=False, rs_max_length=DESCRIPTION_MAX)
    repeat_of_id = fields.Many2one(
        "rs.service.record",
        string="Repeat Visit Of",
        index="btree_not_null",
        copy=False,
        domain="[('partner_id', '=', partner_id), ('id', '!=', id)]",
        help="The earlier visit this one returns for; that visit no longer counts as fixed the first time.",
    )
    repeat_visit_ids = fields.One2many("rs.service.record", "repeat_of_id", string="Repeat Visits")
    is_first_time_fix = fields.Boolean(
        string="First-Time Fix",
        compute="_compute_is_first_time_fix",
        store=True,
        help="Done, resolved, and no repeat visit was needed.",
    )
    punctuality = fields.Selection(
        [("on_time", "On Time"), ("early", "Early"), ("late", "Late")],
        compute="_compute_punctuality",
        store=True,
        help="Arrival against the promised window, with the company's grace on both sides.",
    )
    late_minutes = fields.Float(compute="_compute_punctuality", store=True, aggregator="avg")
    notes = fields.Html(rs_max_length=DESCRIPTION_MAX)
    # what the technician needs at the door: the customer's notes and preferences (注意事项),
    # a number to call and the way there; the number and the address follow the customer's
    # masking (shown around the visits assigned to the technician only)
    partner_service_note = fields.Text(related="partner_id.rs_service_note", string="Customer's Notes")
    partner_preference_ids = fields.Many2many(
        related="partner_id.rs_service_preference_ids", string="Service Preferences"
    )
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_map_url = fields.Char(
        string="Map",
        compute="_compute_partner_map_url",
        help="The customer's address on the map of the settings; empty while the address is masked to you.",
    )
    color = fields.Integer(related="service_type_id.color")

    _sql_constraints = [
        amount_check("amount", "The amount of a service is too large."),
        length_check("notes", DESCRIPTION_MAX, "The notes of a service are too long."),
        length_check("outcome_note", DESCRIPTION_MAX, "The outcome details of a service are too long."),
        (
            "window_order",
            "CHECK(scheduled_end IS NULL OR scheduled_end >= scheduled_start)",
            "The end of the arrival window cannot be before its start.",
        ),
        (
            "visit_order",
            "CHECK(finish_time IS NULL OR arrival_time IS NULL OR finish_time >= arrival_time)",
            "A visit cannot finish before the staff arrived.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "The amount of a service cannot be negative."),
        (
            "amount_received_positive",
            "CHECK(amount_received IS NULL OR amount_received >= 0)",
            "The amount received cannot be negative.",
        ),
    ]

    def init(self):
        # the purchase facts of visits paid on the spot, when this table comes after theirs
        if "rs.purchase.fact" in self.env:
            self.env["rs.purchase.fact"]._fill_at_init()

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_household_id(self):
        for record in self:
            record.household_id = (
                record.partner_id.rs_household_id or record.partner_id.commercial_partner_id.rs_household_id
            )

    @api.depends("name", "partner_id", "service_type_id")
    def _compute_display_name(self):
        """Who and what first, as a calendar entry or a card is read: "王德福 · 日常保洁
        (SRV/2026/00215)"."""
        for visit in self:
            parts = [part for part in (visit.partner_id.name, visit.service_type_id.name) if part]
            visit.display_name = f"{' · '.join(parts)} ({visit.name})" if parts else visit.name

    def action_open_map(self):
        """The customer's address on the map, in a new tab; refused while it is masked."""
        self.ensure_one()
        if not self.partner_map_url:
            raise UserError(self.env._("The customer's address is not shown to you now, or there is none."))
        return {"type": "ir.actions.act_url", "url": self.partner_map_url, "target": "new"}

    @api.depends("partner_id.street", "partner_id.street2", "partner_id.city", "partner_id.state_id")
    @api.depends_context("uid", "rs_mask_contacts")
    def _compute_partner_map_url(self):
        """The customer's address on the map, in the order an address is written in China
        (province, city, street); nothing while the address is masked to the user."""
        # sudo: the parameter is the map's address, not a secret
        template = (
            self.env["ir.config_parameter"].sudo().get_param("resident_service_crm.map_url")
            or MAP_URL_DEFAULT
        )
        masked = self.partner_id._rs_masked_ids()
        for visit in self:
            partner = visit.partner_id
            parts = (partner.state_id.name, partner.city, partner.street, partner.street2)
            address = " ".join(part for part in parts if part)
            usable = address and partner.id not in masked and "{address}" in template
            visit.partner_map_url = template.replace("{address}", quote(address)) if usable else False

    @api.depends("scheduled_start", "service_type_id")
    def _compute_scheduled_end(self):
        for record in self:
            if record.scheduled_start and not record.scheduled_end:
                hours = record.service_type_id.default_duration or 2.0
                record.scheduled_end = record.scheduled_start + timedelta(hours=hours)

    @api.depends("arrival_time", "finish_time")
    def _compute_duration_hours(self):
        for record in self:
            if record.arrival_time and record.finish_time:
                record.duration_hours = (record.finish_time - record.arrival_time).total_seconds() / 3600
            else:
                record.duration_hours = 0.0

    @api.depends("state", "outcome", "repeat_visit_ids.state", "service_type_id.track_first_time_fix")
    def _compute_is_first_time_fix(self):
        for record in self:
            repeats = record.repeat_visit_ids.filtered(lambda visit: visit.state != "cancelled")
            record.is_first_time_fix = record.service_type_id.track_first_time_fix and (
                service_rules.is_first_time_fix(record.state, record.outcome, repeats)
            )

    @api.depends(
        "arrival_time", "scheduled_start", "scheduled_end", "company_id.rs_punctuality_grace_minutes"
    )
    def _compute_punctuality(self):
        for record in self:
            status, late = service_rules.punctuality(
                record.scheduled_start,
                record.scheduled_end,
                record.arrival_time,
                record.company_id.rs_punctuality_grace_minutes,
            )
            record.punctuality = status
            record.late_minutes = late

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        if not self.env.su and any(vals.keys() & (PAYMENT_FIELDS - {"payment_mode"}) for vals in vals_list):
            raise AccessError(self.env._("A payment is recorded with the visit's Paid on the Spot button."))
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("rs.service.record") or self.env._("New")
        records = super().create(vals_list)
        records.filtered(lambda r: not r.repeat_of_id)._link_repeat_visits()
        records.partner_id.filtered(lambda p: not p.rs_is_resident_customer).rs_is_resident_customer = True
        records.filtered(lambda r: r.payment_mode == "on_spot")._refresh_purchase_facts()
        return records

    def write(self, vals):
        """The one override of ``write``; what users type is checked first, then its steps,
        in this order:

        1. a field technician writes only the outcome of their visits: the visit's customer
           and window decide whose contact details they see (see the privacy feature), so
           they may not move them. Their buttons (start, done) write the state themselves;
        2. the payment fields are money received: only the payment action writes them;
        3. Odoo writes;
        4. value: the purchase facts of the visits and of the invoices that cover them follow
           (``_refresh_purchase_facts``).
        """
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        if not self.env.su and vals.keys() - TECHNICIAN_FIELDS and self._is_technician():
            raise AccessError(
                self.env._(
                    "As a field technician you record the outcome of your visits (arrival, finish, "
                    "outcome and notes); ask the service desk to change anything else."
                )
            )
        if not self.env.su and vals.keys() & PAYMENT_FIELDS:
            raise AccessError(self.env._("A payment is recorded with the visit's Paid on the Spot button."))
        # only visits paid on the spot (before or after) and invoices they leave or join have facts to follow
        refresh = bool(vals.keys() & FACT_FIELDS)
        if refresh:
            spot_before = self.filtered(lambda record: record.payment_mode == "on_spot")
            old_invoices = self.sudo().invoice_id if "invoice_id" in vals else self.env["account.move"]
        res = super().write(vals)
        if refresh:
            spot = spot_before | self.filtered(lambda record: record.payment_mode == "on_spot")
            if spot:
                spot._refresh_purchase_facts(old_invoices)
        return res

    def unlink(self):
        """A visit paid on the spot takes its purchase fact with it (the database cascades);
        the invoices that covered it count in full again."""
        invoices = self.filtered(lambda record: record.payment_mode == "on_spot").sudo()
        invoices = invoices.invoice_id | invoices.sale_line_id.invoice_lines.move_id
        res = super().unlink()
        if invoices:
            # sudo: the facts are the value engine's bookkeeping, kept whoever deletes the visit
            self.env["rs.purchase.fact"].sudo()._refresh_moves(invoices.ids)
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------
    def action_start(self):
        if any(record.state != "scheduled" for record in self):
            raise UserError(self.env._("Only scheduled services can be started."))
        self.check_access("write")
        now = fields.Datetime.now()
        for record in self:
            # sudo: the state is the button's to write, for whoever may work the visit
            record.sudo().write({"state": "in_progress", "arrival_time": record.arrival_time or now})
        return True

    def action_done(self):
        if any(record.state not in ("scheduled", "in_progress") for record in self):
            raise UserError(self.env._("Only scheduled or ongoing services can be marked done."))
        self.check_access("write")
        now = fields.Datetime.now()
        for record in self:
            arrival = record.arrival_time or now
            # sudo: as in action_start
            record.sudo().write(
                {
                    "state": "done",
                    "arrival_time": arrival,
                    "finish_time": record.finish_time or max(now, arrival),
                    "outcome": record.outcome or "resolved",
                }
            )
        return True

    def action_rs_pay_on_spot(self):
        """The visit's "Paid on the Spot" button: asks how much was received and how."""
        self.ensure_one()
        self.check_access("write")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.rs_service_payment_wizard_action"
        )
        action["context"] = {
            "default_service_id": self.id,
            "default_amount": self.amount,
        }
        return action

    def action_cancel(self):
        if any(record.state == "done" for record in self):
            raise UserError(self.env._("A finished service cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_reset(self):
        self.filtered(lambda record: record.state == "cancelled").write({"state": "scheduled"})
        return True

    def _is_technician(self):
        """A field technician and nothing wider."""
        user = self.env.user
        return user.has_group("resident_service_crm.group_technician") and not user.has_group(
            "resident_service_crm.group_user_own"
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------
    def _link_repeat_visits(self):
        """Link each new visit to the finished visit of the same customer and service type
        it repeats, inside the company's repeat-visit window (one search for the batch)."""
        records = self.filtered(
            lambda r: (
                r.scheduled_start
                and r.service_type_id.track_first_time_fix
                and r.company_id.rs_revisit_days > 0
            )
        )
        if not records:
            return
        window = max(records.company_id.mapped("rs_revisit_days"))
        earlier = self.search_fetch(
            [
                ("partner_id", "in", records.partner_id.ids),
                ("service_type_id", "in", records.service_type_id.ids),
                ("state", "=", "done"),
                ("finish_time", ">=", min(records.mapped("scheduled_start")) - timedelta(days=window)),
                ("id", "not in", records.ids),
            ],
            ["partner_id", "service_type_id", "finish_time"],
        )
        candidates = defaultdict(list)
        for visit in earlier:
            candidates[visit.partner_id.id, visit.service_type_id.id].append((visit.finish_time, visit.id))
        for record in records:
            repeat_of = service_rules.repeat_visit_of(
                candidates[record.partner_id.id, record.service_type_id.id],
                record.scheduled_start,
                record.company_id.rs_revisit_days,
            )
            if repeat_of:
                record.repeat_of_id = repeat_of

    def _pay_on_spot(self, method, amount, date=None):
        """Record that these visits were paid at the door: how, and how much (each visit
        ``amount``, or its own amount when ``amount`` is None), on ``date`` or the day each
        visit finished. A visit not finished yet is finished: paying is the end of the
        visit. Where the company names a journal for payments on the spot, a posted payment
        is entered in accounting for the money. Each visit becomes a purchase of its own; an
        invoice that later covers it does not count it again."""
        if any(record.state == "cancelled" for record in self):
            raise UserError(self.env._("A cancelled visit cannot be paid."))
        if any(record.payment_mode == "on_spot" for record in self):
            raise UserError(self.env._("This visit's payment on the spot is recorded already."))
        # the methods of the field: the addons add theirs (a stored-value card)
        if dict(self._fields["payment_method"]._description_selection(self.env)).get(method) is None:
            raise UserError(self.env._("Choose how the customer paid."))
        if (amount is not None and amount <= 0) or (amount is None and any(r.amount <= 0 for r in self)):
            raise UserError(self.env._("Nothing was received: a free visit is not paid on the spot."))
        self.check_access("write")
        self.filtered(lambda record: record.state != "done").action_done()
        for record in self:
            received = record.amount if amount is None else amount
            # paid on the day the visit finished, in the user's time zone
            day = date or fields.Date.context_today(record, record.finish_time)
            # sudo: the payment fields are this action's to write, for whoever may work the visit
            record.sudo().write(
                {
                    "payment_mode": "on_spot",
                    "payment_method": method,
                    "amount_received": received,
                    "amount_received_untaxed": record._untaxed(received),
                    "payment_date": day,
                    "payment_user_id": self.env.uid,
                }
            )
            record.message_post(
                body=self.env._(
                    "Paid on the spot: %(amount)s by %(method)s.",
                    amount=record.currency_id.format(received),
                    method=dict(self._fields["payment_method"]._description_selection(self.env))[method],
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._create_account_payments()
        return True

    def _untaxed(self, received):
        """What ``received``, money the customer paid for this visit and so taxes included,
        is without the customer taxes of the service type's product, as the customer's fiscal
        position maps them (the money itself when there are none)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        product = self.service_type_id.product_id
        taxes = product.taxes_id._filter_taxes_by_company(company)
        if not taxes:
            return received
        partner = self.partner_id.commercial_partner_id
        position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        taxes = position.map_tax(taxes)
        details = taxes._get_tax_details(
            received,
            1.0,
            precision_rounding=self.currency_id.rounding,
            product=product,
            special_mode="total_included",
        )
        return self.currency_id.round(details["total_excluded"])

    def _create_account_payments(self):
        """A posted customer payment per visit paid on the spot, in the journal the company
        names for them (none when it names none)."""
        for record in self:
            journal = record.company_id.rs_spot_payment_journal_id
            if not journal or not record.amount_received or record.account_payment_id:
                continue
            # sudo: the payment is the accounting record of the money this visit received,
            # entered by the visit's payment action for whoever worked the visit
            payment = (
                self.env["account.payment"]
                .sudo()
                .with_company(record.company_id)
                .create(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": record.partner_id.commercial_partner_id.id,
                        "amount": record.amount_received,
                        "date": record.payment_date,
                        "journal_id": journal.id,
                        "memo": f"{record.name} ({record.payment_method})",
                    }
                )
            )
            payment.action_post()
            record.sudo().account_payment_id = payment

    def _refresh_purchase_facts(self, other_invoices=None):
        """The purchase facts of these visits, and of the invoices that cover them (or did),
        follow what the visits say now."""
        if not self and not other_invoices:
            return
        # sudo: the facts are the value engine's bookkeeping, kept whoever works the visit
        Fact = self.env["rs.purchase.fact"].sudo()
        Fact._refresh_services(self.ids)
        invoices = self.sudo().invoice_id | (other_invoices or self.env["account.move"]).sudo()
        invoices |= self.sudo().sale_line_id.invoice_lines.move_id
        if invoices:
            Fact._refresh_moves(invoices.ids)

    @api.model
    def _create_from_sale_lines(self, lines):
        """Schedule one service per confirmed sale order line whose product is a service type's."""
        types = self.env["rs.service.type"].search([("product_id", "in", lines.product_id.ids)])
        type_by_product = {service_type.product_id.id: service_type for service_type in types}
        already = set(self.search([("sale_line_id", "in", lines.ids)]).sale_line_id.ids)
        vals_list = []
        for line in lines:
            service_type = type_by_product.get(line.product_id.id)
            if not service_type or line.id in already:
                continue
            order = line.order_id
            start = order.commitment_date or fields.Datetime.now()
            vals_list.append(
                {
                    "partner_id": order.partner_shipping_id.id or order.partner_id.id,
                    "service_type_id": service_type.id,
                    "scheduled_start": start,
                    "scheduled_end": start + timedelta(hours=service_type.default_duration or 2.0),
                    "sale_line_id": line.id,
                    "amount": line.price_subtotal,
                    "company_id": order.company_id.id,
                    "user_id": False,
                }
            )
        return self.create(vals_list)
