from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.resident_service_crm.tools import server_text
from odoo.addons.resident_service_crm.tools.server_write import server_open, server_write

from ...tools.package import refund_amount, session_share
from ...tools.stored_value import from_cents, largest_remainder, to_cents

ENTRY = "rs.package.entry"
STATES = [
    ("active", "Active"),
    ("used_up", "Used Up"),
    ("expired", "Expired"),
    ("refunded", "Refunded"),
]
REMINDER_PURPOSE = "marketing"


class RsPackage(models.Model):
    """A session package (次卡) a customer bought: created when its invoice is paid, never
    before, with the sessions of its program. Its sessions left (剩余次数) and its liability
    (the price paid not yet recognised) are the sums of its ledger, ``rs.package.entry``,
    which the server alone writes, the package locked."""

    _name = "rs.package"
    _description = "Customer Session Package"
    _inherit = ["mail.thread"]
    _order = "purchase_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    program_id = fields.Many2one(
        "rs.package.program", string="Session Package", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Buyer", required=True, readonly=True, index=True)
    sharing = fields.Selection(
        [("personal", "Personal"), ("household", "Shared by the Household")], required=True, readonly=True
    )
    household_id = fields.Many2one(
        "rs.household",
        string="Household",
        readonly=True,
        index="btree_not_null",
        help="The household whose members share the package: the buyer's when it was bought.",
    )
    member_limit = fields.Integer(
        string="Members Sharing at Most", readonly=True, help="Zero when any member may use it."
    )
    purchase_date = fields.Date(string="Bought On", required=True, readonly=True)
    expiry_date = fields.Date(string="Expires On", required=True, readonly=True, index=True)
    invoice_line_id = fields.Many2one("account.move.line", string="Invoice Line", readonly=True)
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice")
    price_paid = fields.Monetary(readonly=True, help="What the customer paid, without taxes.")
    sessions_total = fields.Integer(string="Sessions Bought", readonly=True)
    sessions_left = fields.Integer(
        string="Sessions Left", readonly=True, help="The sum of the ledger's sessions, kept by the server."
    )
    liability = fields.Monetary(
        string="Prepayment Left",
        readonly=True,
        help="What is left of the price paid, not yet recognised as revenue or breakage: the sum "
        "of the ledger's amounts.",
    )
    state = fields.Selection(STATES, required=True, readonly=True, default="active", index=True)
    entry_ids = fields.One2many(ENTRY, "package_id", string="Ledger", readonly=True)
    summary = fields.Char(
        string="Sessions Left by Type", compute="_compute_summary", help="Sessions left of each service type."
    )
    member_ids = fields.Many2many(
        "res.partner",
        compute="_compute_summary",
        string="Members Using It",
        help="The members whose visits used sessions of the package.",
    )
    reminder_state = fields.Selection(
        [("sent", "Sent"), ("skipped", "Not Permitted")], string="Expiry Reminder", readonly=True
    )
    reminder_date = fields.Date(string="Reminder Checked On", readonly=True)
    reminder_reason_message = fields.Json(string="Reminder Reason (as stored)", readonly=True)
    reminder_reason = fields.Char(
        compute=server_text.compute("reminder_reason_message"),
        help="Why the customer could not be reminded; tried again the next day until the package expires.",
    )

    # ------------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------------

    def _left_by_type(self):
        """{package id: {service type: sessions left}}, from the ledger."""
        # sudo: the ledger's sums, whatever the reader's rights on entries
        groups = (
            self.env[ENTRY]
            .sudo()
            ._read_group(
                [("package_id", "in", self.ids)], ["package_id", "service_type_id"], ["sessions:sum"]
            )
        )
        left = defaultdict(dict)
        for package, service_type, sessions in groups:
            left[package.id][service_type] = sessions
        return left

    def _members(self):
        """{package id: members with a session used and not given back}."""
        # sudo: as _left_by_type
        Entry = self.env[ENTRY].sudo()
        uses = Entry.search([("package_id", "in", self.ids), ("operation", "=", "use")])
        given = set(Entry.search([("use_id", "in", uses.ids)]).use_id.ids)
        members = defaultdict(lambda: self.env["res.partner"])
        for use in uses:
            if use.id not in given:
                members[use.package_id.id] |= use.member_id
        return members

    def _compute_summary(self):
        left = self._left_by_type()
        members = self._members()
        for package in self:
            package.summary = ", ".join(
                f"{service_type.name} {sessions}"
                for service_type, sessions in sorted(left[package.id].items(), key=lambda item: item[0].id)
            )
            package.member_ids = members[package.id]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """A package is created by the server when its invoice is paid, never by a client."""
        self._rs_check_input_list(vals_list)  # first: what users type (validation/base.py)
        if not server_open(self.env):
            raise UserError(self._refusal())
        return super().create(vals_list)

    def write(self, vals):
        """A package changes through its ledger and the server's actions only."""
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        if not server_open(self.env) and vals.keys() - {"message_main_attachment_id"}:
            raise UserError(self._refusal())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_package(self):
        raise UserError(self._refusal())

    def _refusal(self):
        return self.env._(
            "A session package is created when its invoice is paid and changes through visits, "
            "refunds and expiry only."
        )

    # ------------------------------------------------------------------
    # LEDGER
    # ------------------------------------------------------------------

    def _lock(self):
        """Lock the packages' rows until the end of the transaction: two visits using one
        package are written one after the other, each reading what the other left."""
        if self:
            self.env.execute_query(
                SQL(
                    "SELECT id FROM rs_package WHERE id IN %(ids)s ORDER BY id FOR UPDATE",
                    ids=tuple(self.ids),
                )
            )
            self.invalidate_recordset(["sessions_left", "liability", "state"])

    @api.model
    def _write_entries(self, vals_list):
        """Append the entries and bring each package's sessions left and liability to the
        sums of its ledger, in the same transaction."""
        # sudo: the suite's own bookkeeping; the ledger refuses every other writer
        entries = self.env[ENTRY].sudo().create(vals_list)
        entries.package_id._sync()
        return entries

    def _sync(self, state=None):
        """Bring the packages' stored sums to their ledger (the packages locked), and the
        state: ``state`` when given, else active while sessions are left, used up when none."""
        self.env[ENTRY].flush_model()
        rows = {
            package_id: (sessions, amount)
            for package_id, sessions, amount in self.env.execute_query(
                SQL(
                    """
                    SELECT package_id, SUM(sessions), SUM(amount)
                      FROM rs_package_entry
                     WHERE package_id IN %(ids)s
                     GROUP BY package_id
                    """,
                    ids=tuple(self.ids) or (0,),
                )
            )
        }
        with server_write():
            # sudo: the server writes the sums its ledger gives; nobody else may
            for package in self.sudo():
                sessions, amount = rows.get(package.id, (0, 0.0))
                new_state = state or ("active" if sessions > 0 else "used_up")
                package.write({"sessions_left": sessions, "liability": amount, "state": new_state})
        self.invalidate_recordset(["summary", "member_ids"])

    def _book(self, amount, debit, credit, label):
        """A posted journal entry moving ``amount`` from the ``credit`` account to the
        ``debit`` account, for the package's buyer; nothing when the amount is zero."""
        self.ensure_one()
        if self.currency_id.is_zero(amount):
            return self.env["account.move"]
        journal = self.program_id._journal()
        if not journal:
            raise UserError(
                self.env._("The company has no miscellaneous journal for the entries of session packages.")
            )
        partner = self.partner_id.commercial_partner_id.id
        # sudo: the server books what the package's sessions recognise, whoever uses them
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": fields.Date.context_today(self),
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": debit.id,
                                "debit": amount,
                                "credit": 0.0,
                                "name": label,
                                "partner_id": partner,
                            }
                        ),
                        Command.create(
                            {
                                "account_id": credit.id,
                                "debit": 0.0,
                                "credit": amount,
                                "name": label,
                                "partner_id": partner,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        return move

    # ------------------------------------------------------------------
    # COVERAGE
    # ------------------------------------------------------------------

    @api.model
    def _covering(self, visit):
        """The active packages that may pay ``visit``: of its company, not expired, with a
        session of its service type left, bought by its customer or, when shared, by a
        member of its customer's household."""
        # sudo: which packages cover a visit is read for whoever works the visit
        partner = visit.partner_id
        household = partner.rs_household_id or partner.commercial_partner_id.rs_household_id
        domain = [
            ("state", "=", "active"),
            ("company_id", "=", visit.company_id.id),
            ("expiry_date", ">=", fields.Date.context_today(self)),
        ]
        buyers = [("partner_id", "=", partner.commercial_partner_id.id)]
        if household:
            buyers = ["|", *buyers, "&", ("sharing", "=", "household"), ("household_id", "=", household.id)]
        packages = self.sudo().search(domain + buyers)
        left = packages._left_by_type()
        return packages.filtered(lambda package: left[package.id].get(visit.service_type_id, 0) > 0)

    def _check_member(self, visit):
        """Refuse a visit whose customer the package does not cover: not the buyer, not a
        member of the household sharing it, or a member beyond the package's limit."""
        self.ensure_one()
        partner = visit.partner_id
        if partner.commercial_partner_id == self.partner_id:
            return
        household = partner.rs_household_id or partner.commercial_partner_id.rs_household_id
        if self.sharing != "household" or not self.household_id or household != self.household_id:
            raise UserError(
                self.env._(
                    "%(customer)s is not a member of the household that shares package %(package)s: "
                    "its sessions cannot be used for this visit.",
                    customer=partner.display_name,
                    package=self.name,
                )
            )
        members = self._members()[self.id] | self.partner_id
        if self.member_limit and partner not in members and len(members) >= self.member_limit:
            raise UserError(
                self.env._(
                    "Package %(package)s is shared by at most %(limit)s members, who already use it: "
                    "%(members)s.",
                    package=self.name,
                    limit=self.member_limit,
                    members=", ".join(members.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _use_session(self, visit):
        """Use one session of this package for ``visit`` (done, of a covered type, for a
        covered member): the session's price per session moves from the liability to the
        revenue account, the last session taking what the rounding left. Once per visit."""
        self.ensure_one()
        package = self.sudo()
        package._lock()
        visit = visit.sudo()
        if visit.state != "done":
            raise UserError(self.env._("A session is used by a finished visit."))
        if package.state != "active" or package.expiry_date < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "Package %(package)s has no session to use: it is not active.", package=package.name
                )
            )
        if visit.company_id != package.company_id:
            raise UserError(self.env._("A package pays the visits of its own company."))
        package._check_member(visit)
        service_type = visit.service_type_id
        if package._left_by_type()[package.id].get(service_type, 0) <= 0:
            raise UserError(
                self.env._(
                    "Package %(package)s has no session of %(service)s left.",
                    package=package.name,
                    service=service_type.name,
                )
            )
        if (
            self.env[ENTRY]
            .sudo()
            .search_count([("service_record_id", "=", visit.id), ("operation", "=", "use")])
        ):
            raise UserError(self.env._("This visit has already used a session of a package."))
        digits = package.currency_id.decimal_places
        share = from_cents(
            session_share(
                to_cents(package.price_paid, digits),
                package.sessions_total,
                to_cents(package.liability, digits),
                package.sessions_left,
            ),
            digits,
        )
        program = package.program_id
        move = package._book(
            share,
            program.liability_account_id,
            program.revenue_account_id,
            self.env._("%(package)s: session used by %(visit)s", package=package.name, visit=visit.name),
        )
        entry = self._write_entries(
            [
                {
                    "package_id": package.id,
                    "service_type_id": service_type.id,
                    "operation": "use",
                    "sessions": -1,
                    "amount": -share,
                    "service_record_id": visit.id,
                    "member_id": visit.partner_id.id,
                    "move_id": move.id,
                    "source_model": "rs.service.record",
                    "source_id": visit.id,
                }
            ]
        )
        visit.message_post(
            body=self.env._(
                "A session of package %(package)s was used: %(left)s left.",
                package=package.name,
                left=package.sessions_left,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return entry

    def _give_back(self, visit):
        """Give back the session ``visit`` used, once: the entry that recognised it is
        reversed, the session is left again."""
        Entry = self.env[ENTRY].sudo()
        use = Entry.search([("service_record_id", "=", visit.id), ("operation", "=", "use")], limit=1)
        if not use:
            raise UserError(self.env._("This visit used no session of a package."))
        package = use.package_id
        package._lock()
        if Entry.search_count([("use_id", "=", use.id)]):
            raise UserError(self.env._("This session was given back already."))
        if package.state not in ("active", "used_up"):
            raise UserError(
                self.env._(
                    "Package %(package)s was refunded or has expired: its sessions are given back no more.",
                    package=package.name,
                )
            )
        program = package.program_id
        move = package._book(
            -use.amount,
            program.revenue_account_id,
            program.liability_account_id,
            self.env._(
                "%(package)s: session of %(visit)s given back", package=package.name, visit=visit.name
            ),
        )
        entry = self._write_entries(
            [
                {
                    "package_id": package.id,
                    "service_type_id": use.service_type_id.id,
                    "operation": "give_back",
                    "sessions": 1,
                    "amount": -use.amount,
                    "service_record_id": visit.id,
                    "member_id": use.member_id.id,
                    "use_id": use.id,
                    "move_id": move.id,
                    "source_model": ENTRY,
                    "source_id": use.id,
                }
            ]
        )
        visit.message_post(
            body=self.env._(
                "The session of package %(package)s this visit used was given back: %(left)s left.",
                package=package.name,
                left=package.sessions_left,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return entry

    def _close_entries(self, operation, source, move):
        """The entries that take every session left of the package (a refund, an expiry),
        one per service type, the liability left shared over them by their sessions."""
        self.ensure_one()
        left = {key: sessions for key, sessions in self._left_by_type()[self.id].items() if sessions > 0}
        types = sorted(left, key=lambda service_type: service_type.id)
        digits = self.currency_id.decimal_places
        parts = largest_remainder(to_cents(self.liability, digits), [left[key] for key in types])
        return [
            {
                "package_id": self.id,
                "service_type_id": service_type.id,
                "operation": operation,
                "sessions": -left[service_type],
                "amount": -from_cents(cents, digits),
                "move_id": move.id,
                "source_model": source._name,
                "source_id": source.id,
            }
            for service_type, cents in zip(types, parts, strict=True)
        ]

    def _refund_amount(self):
        """What refunding the unused sessions pays back now, at the company's rate."""
        self.ensure_one()
        package = self.sudo()
        if package.state != "active":
            return 0.0
        digits = package.currency_id.decimal_places
        left = package._left_by_type()[package.id]
        used = {line.service_type_id.id: line.sessions for line in package.program_id.line_ids}
        for service_type, sessions in left.items():
            used[service_type.id] = used.get(service_type.id, 0) - sessions
        return from_cents(
            refund_amount(
                package.company_id.rs_package_refund_rate,
                to_cents(package.price_paid, digits),
                to_cents(package.liability, digits),
                used,
                {
                    key.id: to_cents(key.product_id.lst_price, digits)
                    for key in package.program_id.line_ids.service_type_id
                },
            ),
            digits,
        )

    def _refund(self, journal):
        """Refund the unused sessions (退次卡) pro rata, by a credit note of the package's
        product and a payment from ``journal``; the company's setting chooses the rate,
        the price paid per session, or the list price per session for the sessions used
        (``tools/package.refund_amount``). What the refund does not pay back of the
        liability is revenue.
        Returns the credit note."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group("resident_service_crm_loyalty.group_cashier")):
            raise AccessError(self.env._("Only a cashier refunds session packages."))
        package = self.sudo()
        package._lock()
        if package.state != "active" or package.sessions_left <= 0:
            raise UserError(
                self.env._("Package %(package)s has no unused session to refund.", package=package.name)
            )
        amount = package._refund_amount()
        program = package.program_id
        credit_note = self.env["account.move"]
        if amount:
            with server_write():
                # sudo: the cashier's right to refund was checked; the server books it
                credit_note = (
                    self.env["account.move"]
                    .sudo()
                    .with_company(package.company_id)
                    .create(
                        {
                            "move_type": "out_refund",
                            "partner_id": package.partner_id.id,
                            "company_id": package.company_id.id,
                            "currency_id": package.currency_id.id,
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "product_id": program.product_id.id,
                                        "name": self.env._(
                                            "Refund of %(sessions)s unused sessions of package %(package)s",
                                            sessions=package.sessions_left,
                                            package=package.name,
                                        ),
                                        "quantity": 1,
                                        "price_unit": amount,
                                        "tax_ids": [Command.clear()],
                                        "account_id": program.liability_account_id.id,
                                    }
                                )
                            ],
                        }
                    )
                )
                credit_note.action_post()
            self.env["account.payment.register"].sudo().with_company(package.company_id).with_context(
                active_model="account.move", active_ids=credit_note.ids
            ).create({"journal_id": journal.id})._create_payments()
        kept = package.liability - amount
        retained = package._book(
            kept,
            program.liability_account_id,
            program.revenue_account_id,
            self.env._("%(package)s: price kept on refund", package=package.name),
        )
        source = credit_note or package
        vals_list = package._close_entries("refund", source, credit_note or retained)
        self._write_entries(vals_list)
        package._sync(state="refunded")
        package.message_post(
            body=self.env._(
                "Unused sessions refunded: %(amount)s.", amount=package.currency_id.format(amount)
            ),
            subtype_xmlid="mail.mt_note",
        )
        return credit_note

    def _expire(self):
        """What is left of each package past its last day expires: its sessions leave it,
        what is left of its price is breakage. Once per package (keyed by it)."""
        for package in self.sudo():
            package._lock()
            if package.state != "active" or package.sessions_left <= 0:
                continue
            program = package.program_id
            move = package._book(
                package.liability,
                program.liability_account_id,
                program.breakage_account_id,
                self.env._("%(package)s: unused sessions expired", package=package.name),
            )
            self._write_entries(package._close_entries("expire", package, move))
            package._sync(state="expired")

    @api.model
    def _cron_expire(self):
        """Every night: the packages past their last day (in the user's time zone) expire."""
        today = fields.Date.context_today(self)
        # sudo: the job keeps the ledger of every package
        self.sudo().search([("state", "=", "active"), ("expiry_date", "<", today)])._expire()
        return True

    @api.model
    def _cron_send_reminders(self):
        """Every day: the buyers of packages with sessions left that expire within their
        program's reminder days are reminded by e-mail, only with their consent to be
        contacted for marketing; a buyer who may not be contacted now is asked again the
        next day until the package expires."""
        today = fields.Date.context_today(self)
        # sudo: the job reads every customer's packages and writes what it did on them
        packages = (
            self.sudo()
            .search(
                [
                    ("state", "=", "active"),
                    ("sessions_left", ">", 0),
                    ("expiry_date", ">=", today),
                    ("program_id.reminder_days", ">", 0),
                    ("reminder_state", "!=", "sent"),
                    "|",
                    ("reminder_date", "=", False),
                    ("reminder_date", "<", today),
                ]
            )
            .filtered(
                lambda package: (
                    package.expiry_date <= today + relativedelta(days=package.program_id.reminder_days)
                )
            )
        )
        template = self.env.ref(
            "resident_service_crm_loyalty.mail_template_package_expiry", raise_if_not_found=False
        )
        for company in packages.company_id:
            batch = packages.filtered(lambda package, company=company: package.company_id == company)
            # the package's company sends the reminder: its consents decide
            permissions = batch.partner_id.with_company(company)._rs_contact_permission(
                REMINDER_PURPOSE, "email"
            )
            with server_write():
                for package in batch:
                    permission = permissions[package.partner_id.id]
                    if permission.allowed and template:
                        template.send_mail(package.id)
                    package.write(
                        {
                            "reminder_state": "sent" if permission.allowed else "skipped",
                            "reminder_date": today,
                            "reminder_reason_message": False
                            if permission.allowed
                            else server_text.message(permission.note),
                        }
                    )
        return True

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_rs_refund(self):
        """The counter's refund of the unused sessions: a cashier's wizard."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refund Unused Sessions"),
            "res_model": "rs.package.refund",
            "view_mode": "form",
            "target": "new",
            "context": {"default_package_id": self.id},
        }

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm_loyalty.rs_package_entry_action"
        )
        action["domain"] = [("package_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # CREATION
    # ------------------------------------------------------------------

    @api.model
    def _create_from_lines(self, lines):
        """The packages of paid invoice lines, once per line: the sessions of the line's
        program, the price credited to the liability, the validity from today."""
        Entry = self.env[ENTRY].sudo()
        done = set(
            Entry.search(
                [
                    ("source_model", "=", "account.move.line"),
                    ("source_id", "in", lines.ids),
                    ("operation", "=", "purchase"),
                ]
            ).mapped("source_id")
        )
        today = fields.Date.context_today(self)
        packages = self.browse()
        for line in lines.filtered(lambda line: line.id not in done):
            program = line.rs_package_program_id
            buyer = line.move_id.commercial_partner_id
            delta = (
                relativedelta(months=program.validity)
                if program.validity_unit == "months"
                else relativedelta(days=program.validity)
            )
            price = -line.balance
            with server_write():
                package = self.sudo().create(
                    {
                        "name": f"{program.name} / {line.move_id.name}",
                        "program_id": program.id,
                        "company_id": line.company_id.id,
                        "partner_id": buyer.id,
                        "sharing": program.sharing,
                        "household_id": program.sharing == "household" and buyer.rs_household_id.id,
                        "member_limit": program.member_limit,
                        "purchase_date": today,
                        "expiry_date": today + delta,
                        "invoice_line_id": line.id,
                        "price_paid": price,
                        "sessions_total": program.sessions_total,
                    }
                )
            types = program.line_ids.sorted("id")
            digits = package.currency_id.decimal_places
            parts = largest_remainder(to_cents(price, digits), types.mapped("sessions"))
            self._write_entries(
                [
                    {
                        "package_id": package.id,
                        "service_type_id": type_line.service_type_id.id,
                        "operation": "purchase",
                        "sessions": type_line.sessions,
                        "amount": from_cents(cents, digits),
                        "move_id": line.move_id.id,
                        "source_model": "account.move.line",
                        "source_id": line.id,
                        "source_line_id": type_line.id,
                    }
                    for type_line, cents in zip(types, parts, strict=True)
                ]
            )
            packages |= package
        return packages
