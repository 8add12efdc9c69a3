"""A hostile or careless client against the state the server owns: approvals, complaint steps,
tiers, scopes and logs. Every attack goes through JSON-RPC as the service desk, the user of
their own customers or the privacy officer; each refusal is asserted, and the record is read
back unchanged afterwards."""

from datetime import timedelta

from odoo import fields
from odoo.tools import is_html_empty

from ..journey_common import RoleJourneyCase

ACCESS = "odoo.exceptions.AccessError"
USER = "odoo.exceptions.UserError"


class ServerStateAttackCase(RoleJourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.role_users["service_desk"].company_id
        cls.company.rs_compensation_approval_limit = 200
        cls.manager = cls.role_users["manager"]
        cls.keeper = cls.role_users["account_keeper"]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Qian Lan", "rs_is_resident_customer": True, "email": "qian.lan@example.com"}
        )
        cls.own_customer = cls.env["res.partner"].create(
            {"name": "Fang Yu", "rs_is_resident_customer": True, "user_id": cls.keeper.id}
        )
        cls.complaint = cls.env["rs.complaint"].create(
            {"subject": "Window left open", "partner_id": cls.customer.id, "company_id": cls.company.id}
        )
        cls.closed = cls.env["rs.complaint"].create(
            {"subject": "Late arrival", "partner_id": cls.customer.id, "company_id": cls.company.id}
        )
        cls.closed.write(
            {
                "responsible_party": "staff",
                "root_cause_id": cls.env.ref("resident_service_crm.root_cause_scheduling").id,
                "resolution": "<p>Apologised and rescheduled.</p>",
                "stage_id": cls.env.ref("resident_service_crm.complaint_stage_closed").id,
            }
        )

    def _compensation(self, amount, **values):
        return self.env["rs.complaint.compensation"].create(
            {"complaint_id": self.complaint.id, "compensation_type": "gift", "amount": amount, **values}
        )

    # ------------------------------------------------------------------
    # approvals
    # ------------------------------------------------------------------
    def test_approval_cannot_be_written_or_created(self):
        """The service desk cannot approve above the limit by writing the state and the
        approver, nor create a compensation already approved or done."""
        self.login_as("service_desk")
        line = self._compensation(5000)
        with self.refused() as caught:
            self.save(
                "rs.complaint.compensation",
                line.id,
                {
                    "state": "approved",
                    "approved_by_id": self.manager.id,
                    "approved_date": "2026-01-01 00:00:00",
                },
            )
        self.assertIn("Status", caught.exception.message)
        line.invalidate_recordset()
        self.assertEqual((line.state, line.approved_by_id.id, line.approved_date), ("draft", False, False))
        for state in ("approved", "done"):
            before = self.env["rs.complaint.compensation"].search_count([])
            with self.refused():
                self.create(
                    "rs.complaint.compensation",
                    {
                        "complaint_id": self.complaint.id,
                        "compensation_type": "gift",
                        "amount": 5000,
                        "state": state,
                    },
                )
            self.assertEqual(self.env["rs.complaint.compensation"].search_count([]), before)
        # the action asks the manager instead
        self.button("rs.complaint.compensation", line.id, "action_approve")
        line.invalidate_recordset()
        self.assertEqual(line.state, "to_approve")
        self.assertFalse(line.approved_by_id)

    def test_amount_cannot_be_raised_after_approval(self):
        line = self._compensation(150)
        self.login_as("service_desk")
        self.assertTrue(self.button("rs.complaint.compensation", line.id, "action_approve"))
        line.invalidate_recordset()
        self.assertEqual((line.state, line.approved_by_id), ("approved", self.role_users["service_desk"]))
        for values in ({"amount": 5000}, {"compensation_type": "cash"}, {"complaint_id": self.closed.id}):
            with self.refused(USER):
                self.save("rs.complaint.compensation", line.id, values)
        line.invalidate_recordset()
        self.assertEqual(
            (line.amount, line.compensation_type, line.complaint_id), (150, "gift", self.complaint)
        )
        # a draft may still be changed, and then needs the approval its new amount calls for
        draft = self._compensation(100)
        self.save("rs.complaint.compensation", draft.id, {"amount": 900})
        self.button("rs.complaint.compensation", draft.id, "action_approve")
        draft.invalidate_recordset()
        self.assertEqual(draft.state, "to_approve")

    # ------------------------------------------------------------------
    # tiers and stages
    # ------------------------------------------------------------------
    def test_tier_stage_and_lock_change_only_through_the_action(self):
        tier = self.env["rs.customer.tier"].search([("company_id", "in", [self.company.id, False])], limit=1)
        stage = self.env["rs.lifecycle.stage"].search([], limit=1)
        self.assertTrue(tier and stage, "the demo has tiers and stages")
        history = self.env["rs.tier.history"].search_count([("partner_id", "=", self.customer.id)])
        for role in ("service_desk", "manager"):
            self.login_as(role)
            for values in ({"rs_tier_id": tier.id}, {"rs_stage_id": stage.id}, {"rs_tier_locked": True}):
                with self.refused() as caught:
                    self.save("res.partner", self.customer.id, values)
                self.assertIn("never typed in", caught.exception.message)
            with self.refused():
                self.create("res.partner", {"name": "Tier Forger", "rs_tier_id": tier.id})
        partner = self.customer.with_company(self.company)
        partner.invalidate_recordset()
        self.assertEqual(
            (partner.rs_tier_id, partner.rs_stage_id, partner.rs_tier_locked),
            (tier.browse(), stage.browse(), False),
        )
        self.assertEqual(
            self.env["rs.tier.history"].search_count([("partner_id", "=", self.customer.id)]), history
        )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Tier Forger")]))
        # the manager's action writes the tier and its history row
        self.login_as("manager")
        action = self.button("res.partner", self.customer.id, "action_rs_set_tier")
        wizard = self.create(
            "rs.tier.set.wizard",
            {"tier_id": tier.id, "reason": "Long-standing customer", "lock": True},
            context=action["context"],
        )
        self.button("rs.tier.set.wizard", wizard, "action_apply")
        partner.invalidate_recordset()
        self.assertEqual((partner.rs_tier_id, partner.rs_tier_locked), (tier, True))
        row = self.env["rs.tier.history"].search([("partner_id", "=", self.customer.id)], limit=1)
        self.assertEqual(
            (row.new_tier_id, row.user_id, row.reason), (tier, self.manager, "Long-standing customer")
        )

    # ------------------------------------------------------------------
    # complaints
    # ------------------------------------------------------------------
    def test_closed_complaint_keeps_its_closing_and_audit(self):
        before = self.closed.read(
            [
                "responsible_party",
                "root_cause_id",
                "resolution",
                "closed_date",
                "closed_by_id",
                "acknowledged_date",
            ]
        )[0]
        self.login_as("service_desk")
        for values in ({"responsible_party": False}, {"root_cause_id": False}, {"resolution": "<p><br></p>"}):
            with self.refused(USER) as caught:
                self.save("rs.complaint", self.closed.id, values)
            self.assertIn("cannot be closed yet", caught.exception.message)
        for values in (
            {"closed_date": "2020-01-01 00:00:00"},
            {"closed_by_id": self.manager.id},
            {"acknowledged_date": "2020-01-01 00:00:00"},
            {"acknowledged_by_id": self.manager.id},
            {"investigated_date": "2020-01-01 00:00:00"},
            {"responsibility_confirmed_by_id": self.manager.id},
            {"is_recurrent": True},
            {"sla_state": "met"},
        ):
            with self.refused():
                self.save("rs.complaint", self.closed.id, values)
        self.closed.invalidate_recordset()
        self.assertEqual(self.closed.read(list(before))[0], before)
        # a new complaint cannot be born acknowledged or closed by the client's word
        with self.refused():
            self.create(
                "rs.complaint",
                {
                    "subject": "Forged",
                    "partner_id": self.customer.id,
                    "acknowledged_date": "2020-01-01 00:00:00",
                },
            )
        # closing stamps who and when on the server
        self.save(
            "rs.complaint",
            self.complaint.id,
            {
                "responsible_party": "process",
                "root_cause_id": self.env.ref("resident_service_crm.root_cause_process").id,
                "resolution": "<p>Checklist updated.</p>",
            },
        )
        self.assertTrue(self.button("rs.complaint", self.complaint.id, "action_close"))
        self.complaint.invalidate_recordset()
        self.assertEqual(self.complaint.closed_by_id, self.role_users["service_desk"])
        self.assertAlmostEqual(self.complaint.closed_date, fields.Datetime.now(), delta=timedelta(minutes=5))

    # ------------------------------------------------------------------
    # scope
    # ------------------------------------------------------------------
    def test_own_customers_user_cannot_widen_their_scope(self):
        keeper = self.login_as("account_keeper")
        # the creator becomes the salesperson, whatever the client sends
        created = self.create(
            "res.partner", {"name": "Lu Ping", "rs_is_resident_customer": True, "user_id": self.manager.id}
        )
        self.assertEqual(self.env["res.partner"].browse(created).user_id, keeper)
        # and cannot take another's customer, nor can the service desk hand it out: changing a
        # salesperson is the manager's action
        with self.refused() as caught:
            self.save("res.partner", self.customer.id, {"user_id": keeper.id})
        self.assertIn("manager", caught.exception.message)
        self.login_as("service_desk")
        with self.refused():
            self.save("res.partner", self.customer.id, {"user_id": keeper.id})
        desk_customer = self.create("res.partner", {"name": "Ma Li", "user_id": keeper.id})
        self.assertEqual(
            self.env["res.partner"].browse(desk_customer).user_id, self.role_users["service_desk"]
        )
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.user_id)
        self.login_as("manager")
        self.save("res.partner", self.customer.id, {"user_id": keeper.id})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.user_id, keeper)
        self.save("res.partner", self.customer.id, {"user_id": False})
        self.login_as("account_keeper")
        # consents follow the customers' scope
        Consent = self.env["rs.consent"]
        theirs = Consent._record(self.customer, "marketing", "sms", "refused")
        mine = Consent._record(self.own_customer, "marketing", "sms", "given")
        found = self.call(
            "rs.consent",
            "search_read",
            [("partner_id", "in", [self.customer.id, self.own_customer.id])],
            ["partner_id"],
        )
        self.assertEqual([row["id"] for row in found], mine.ids)
        self.assertEqual(
            self.call("rs.consent.event", "search_count", [("partner_id", "=", self.customer.id)]), 0
        )
        with self.refused():
            self.save("rs.consent", theirs.id, {"state": "given"})
        with self.refused():
            self.create("rs.consent", {"partner_id": self.customer.id, "purpose": "care", "channel": "phone"})
        theirs.invalidate_recordset()
        self.assertEqual(theirs.state, "refused")
        # a consent's date and author, and its history, come from the server
        with self.refused():
            self.save("rs.consent", mine.id, {"date": "2020-01-01 00:00:00"})
        with self.refused():
            self.save("rs.consent", mine.id, {"user_id": self.manager.id})
        events = mine.event_ids
        with self.refused():
            self.create(
                "rs.consent.event",
                {
                    "consent_id": mine.id,
                    "partner_id": self.own_customer.id,
                    "purpose": "marketing",
                    "channel": "sms",
                    "state": "given",
                    "source": "paper",
                    "date": "2020-01-01 00:00:00",
                    "text_version": "v0",
                },
            )
        with self.refused():
            self.call("rs.consent.event", "write", events.ids, {"date": "2020-01-01 00:00:00"})
        self.save("rs.consent", mine.id, {"state": "withdrawn", "text_version": "v2"})
        mine.invalidate_recordset()
        latest = mine.event_ids.sorted("id")[-1]
        self.assertEqual((latest.state, latest.user_id, latest.text_version), ("withdrawn", keeper, "v2"))
        self.assertAlmostEqual(latest.date, fields.Datetime.now(), delta=timedelta(minutes=5))
        self.assertEqual(len(mine.event_ids), len(events) + 1)

    # ------------------------------------------------------------------
    # logs
    # ------------------------------------------------------------------
    def test_logs_survive_and_requests_move_through_their_actions(self):
        officer = self.login_as("privacy_officer")
        log = self.env["rs.contact.reveal.log"].create(
            {"user_id": self.keeper.id, "partner_id": self.customer.id, "field_name": "mobile"}
        )
        request_id = self.create(
            "rs.privacy.request", {"partner_id": self.customer.id, "request_type": "access"}
        )
        request = self.env["rs.privacy.request"].browse(request_id)
        with self.refused():
            self.create(
                "rs.privacy.request",
                {"partner_id": self.customer.id, "request_type": "access", "state": "done"},
            )
        for values in ({"state": "done"}, {"done_date": "2020-01-01"}, {"name": "PRQ/forged"}):
            with self.refused():
                self.save("rs.privacy.request", request_id, values)
        with self.refused(USER):
            self.save("rs.privacy.request", request_id, {"partner_id": self.own_customer.id})
        request.invalidate_recordset()
        self.assertEqual(
            (request.state, request.partner_id, request.done_date), ("new", self.customer, False)
        )
        # the log: nobody writes or deletes it
        with self.refused():
            self.call("rs.privacy.request.log", "write", request.log_ids.ids, {"detail": "nothing happened"})
        with self.refused():
            self.call("rs.privacy.request.log", "unlink", request.log_ids.ids)
        with self.refused():
            self.call("rs.contact.reveal.log", "unlink", log.ids)
        # the actions move the state and log it
        self.assertTrue(self.button("rs.privacy.request", request_id, "action_start"))
        self.assertTrue(self.button("rs.privacy.request", request_id, "action_done"))
        request.invalidate_recordset()
        self.assertEqual(
            (request.state, request.done_date),
            ("done", fields.Date.context_today(request.with_user(officer))),
        )
        self.assertEqual(request.log_ids.mapped("action"), ["received", "done"])
        self.assertEqual(set(request.log_ids.mapped("user_id")), {officer})
        # a customer whose details were revealed is not deleted with their reveals
        self.login_as("manager")
        with self.refused(USER) as caught:
            self.call("res.partner", "unlink", self.customer.ids)
        self.assertIn("archive the customer", caught.exception.message)
        self.assertTrue(log.exists() and self.customer.exists())

    # ------------------------------------------------------------------
    # what holds afterwards, in the whole database
    # ------------------------------------------------------------------
    def tearDown(self):
        # after every attack, in the whole database (demo included)
        self.assert_server_rules_hold()
        super().tearDown()

    def assert_server_rules_hold(self):
        """Every closed complaint keeps its responsible party, root cause and resolution; every
        approved compensation is within what its approver may approve."""
        closed = self.env["rs.complaint"].search([("is_closed", "=", True)])
        self.assertTrue(closed)
        for complaint in closed:
            self.assertTrue(
                complaint.responsible_party
                and complaint.root_cause_id
                and not is_html_empty(complaint.resolution),
                complaint.name,
            )
        approved = self.env["rs.complaint.compensation"].search(
            [("state", "in", ("approved", "to_post", "done"))]
        )
        for line in approved:
            approver = line.approved_by_id
            self.assertTrue(
                line.amount <= line.company_id.rs_compensation_approval_limit
                or approver.has_group("resident_service_crm.group_manager")
                or approver == line.company_id.rs_compensation_approver_id,
                f"{line.complaint_id.name}: {line.amount} approved by {approver.name}",
            )
