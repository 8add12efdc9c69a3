"""Each role against read, write, create and unlink on every model of the suite."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..common import ALLOWED, DENIED, ResidentServiceCase


@tagged("post_install", "-at_install")
class TestAccessRights(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_service = cls._service(cls.own_customer, team_id=cls.other_team.id)
        cls.team_service = cls._service(cls.other_customer, team_id=cls.team.id)
        cls.assigned_service = cls._service(cls.other_customer, user_id=cls.users["technician"].id)
        cls.foreign_service = cls._service(cls.other_customer, team_id=cls.other_team.id)
        cls.own_call = cls.env["rs.communication"].create(
            {"partner_id": cls.own_customer.id, "summary": "own"}
        )
        cls.foreign_call = cls.env["rs.communication"].create(
            {"partner_id": cls.other_customer.id, "summary": "foreign", "user_id": cls.colleague.id}
        )
        cls.household = cls.env["rs.household"].create({"name": "Lakeside 1-1-101"})

    def test_service_records(self):
        everyone_but_unlink = (ALLOWED, ALLOWED, DENIED)
        full = (ALLOWED, ALLOWED, ALLOWED)
        nothing = (DENIED, DENIED, DENIED)
        # own customer, or a team the user belongs to, or assigned to them
        self._assert_matrix(
            self.own_service,
            {
                "technician": nothing,
                "user_own": everyone_but_unlink,
                "user_all": everyone_but_unlink,
                "manager": full,
                "privacy_officer": everyone_but_unlink,
            },
        )
        self._assert_matrix(
            self.team_service,
            {"technician": nothing, "user_own": everyone_but_unlink, "user_all": everyone_but_unlink},
        )
        self._assert_matrix(
            self.assigned_service,
            {"technician": everyone_but_unlink, "user_own": nothing, "user_all": everyone_but_unlink},
        )
        self._assert_matrix(
            self.foreign_service, {"technician": nothing, "user_own": nothing, "manager": full}
        )
        values = {
            "partner_id": self.own_customer.id,
            "service_type_id": self.service_type.id,
            "scheduled_start": "2026-05-01 09:00:00",
        }
        self.assertEqual(
            {
                role: self._can_create(role, "rs.service.record", values)
                for role in ("technician", "user_own", "manager")
            },
            {"technician": DENIED, "user_own": ALLOWED, "manager": ALLOWED},
        )
        foreign = {**values, "partner_id": self.other_customer.id, "user_id": False}
        self.assertFalse(
            self._can_create("user_own", "rs.service.record", foreign), "not for someone else's customer"
        )

    def test_communications(self):
        writer = (ALLOWED, ALLOWED, DENIED)
        self._assert_matrix(
            self.own_call,
            {
                "technician": (DENIED, DENIED, DENIED),
                "user_own": writer,
                "user_all": writer,
                "manager": (ALLOWED, ALLOWED, ALLOWED),
                "privacy_officer": writer,
            },
        )
        self._assert_matrix(self.foreign_call, {"user_own": (DENIED, DENIED, DENIED), "user_all": writer})
        values = {"partner_id": self.own_customer.id, "summary": "call"}
        self.assertEqual(
            {role: self._can_create(role, "rs.communication", values) for role in ("technician", "user_own")},
            {"technician": DENIED, "user_own": ALLOWED},
        )

    def test_customers_are_edited_by_staff_not_by_technicians(self):
        """No record rule on res.partner: the suite's roles decide who edits customers."""
        for role, can_edit in {
            "technician": False,
            "user_own": True,
            "user_all": True,
            "manager": True,
        }.items():
            self.assertTrue(self._can(role, "read", self.own_customer), role)
            self.assertEqual(self._can(role, "write", self.own_customer), can_edit, role)

    def test_staff_schedule_next_steps_on_their_customers(self):
        entry = (
            self.env["rs.communication"]
            .with_user(self.users["user_own"])
            .create({"partner_id": self.own_customer.id, "summary": "call", "next_step_date": "2026-05-01"})
        )
        self.assertEqual(entry.activity_id.user_id, self.users["user_own"])

    def test_customer_history(self):
        self.env.flush_all()
        History = self.env["rs.customer.history"]
        for role, expected in {"user_own": 1, "user_all": 2}.items():
            visible = History.with_user(self.users[role]).search(
                [
                    ("res_model", "=", "rs.communication"),
                    ("res_id", "in", (self.own_call | self.foreign_call).ids),
                ]
            )
            self.assertEqual(len(visible), expected, role)
        with self.assertRaises(AccessError):
            History.with_user(self.users["technician"]).search([])

    def test_households(self):
        self._assert_matrix(
            self.household,
            {
                "technician": (ALLOWED, DENIED, DENIED),
                "user_own": (ALLOWED, ALLOWED, DENIED),
                "manager": (ALLOWED, ALLOWED, ALLOWED),
            },
        )
        self.assertEqual(
            {
                role: self._can_create(role, "rs.household", {"name": "New"})
                for role in ("technician", "user_own")
            },
            {"technician": DENIED, "user_own": ALLOWED},
        )

    def test_configuration_is_read_by_staff_and_kept_by_managers(self):
        records = {
            "rs.service.type": self.service_type,
            "rs.service.category": self.service_type.category_id,
            "rs.service.team": self.team,
            "rs.service.preference": self.env.ref("resident_service_crm.service_preference_pet"),
            "rs.community": self.env["rs.community"].create({"name": "Lakeside Garden"}),
        }
        for model, record in records.items():
            for role in ("technician", "user_own", "user_all", "privacy_officer"):
                self.assertEqual(
                    (
                        self._can(role, "read", record),
                        self._can(role, "write", record),
                        self._can(role, "unlink", record),
                    ),
                    (ALLOWED, DENIED, DENIED),
                    f"{role} on {model}",
                )
            self.assertTrue(self._can("manager", "write", record), model)
            self.assertTrue(self._can("manager", "unlink", record), model)

    def test_consents(self):
        consent = self.env["rs.consent"]._record(self.own_customer, "care", "sms", "given")
        writer = (ALLOWED, ALLOWED, DENIED)
        self._assert_matrix(
            consent,
            {
                "technician": (DENIED, DENIED, DENIED),
                "user_own": writer,
                "user_all": writer,
                "manager": (ALLOWED, ALLOWED, ALLOWED),
                "privacy_officer": writer,
            },
        )
        # the log of changes is append-only, for everyone
        for role in ("user_own", "manager", "privacy_officer"):
            self._assert_matrix(consent.event_ids, {role: (ALLOWED, DENIED, DENIED)})
        self._assert_matrix(consent.event_ids, {"technician": (DENIED, DENIED, DENIED)})
        # consents follow the customers' scope: a user of their own customers answers for theirs
        mine = {"partner_id": self.own_customer.id, "purpose": "care", "channel": "email"}
        theirs = {"partner_id": self.other_customer.id, "purpose": "care", "channel": "email"}
        self.assertEqual(
            {role: self._can_create(role, "rs.consent", mine) for role in ("technician", "user_own")},
            {"technician": DENIED, "user_own": ALLOWED},
        )
        self.assertEqual(
            {role: self._can_create(role, "rs.consent", theirs) for role in ("user_own", "user_all")},
            {"user_own": DENIED, "user_all": ALLOWED},
        )
        other = self.env["rs.consent"]._record(self.other_customer, "care", "sms", "given")
        self._assert_matrix(other, {"user_own": (DENIED, DENIED, DENIED), "user_all": writer})

    def test_care(self):
        rule = self.env.ref("resident_service_crm.care_rule_birthday")
        own_event = self.env["rs.care.event"].create(
            {
                "partner_id": self.own_customer.id,
                "rule_id": rule.id,
                "occurrence_date": "2026-03-10",
                "scheduled_date": "2026-03-10",
            }
        )
        foreign_event = self.env["rs.care.event"].create(
            {
                "partner_id": self.other_customer.id,
                "rule_id": rule.id,
                "occurrence_date": "2026-03-10",
                "scheduled_date": "2026-03-10",
                "user_id": self.colleague.id,
            }
        )
        staff = (ALLOWED, ALLOWED, DENIED)
        self._assert_matrix(
            own_event,
            {
                "technician": (DENIED, DENIED, DENIED),
                "user_own": staff,
                "user_all": staff,
                "manager": (ALLOWED, ALLOWED, ALLOWED),
            },
        )
        self._assert_matrix(foreign_event, {"user_own": (DENIED, DENIED, DENIED), "user_all": staff})
        for role in ("user_own", "user_all"):
            self.assertFalse(
                self._can_create(
                    role,
                    "rs.care.event",
                    {
                        "partner_id": self.own_customer.id,
                        "rule_id": rule.id,
                        "occurrence_date": "2026-04-01",
                        "scheduled_date": "2026-04-01",
                    },
                ),
                f"{role}: events come from the rules",
            )
        self._assert_matrix(
            rule,
            {
                "technician": (DENIED, DENIED, DENIED),
                "user_own": (ALLOWED, DENIED, DENIED),
                "manager": (ALLOWED, ALLOWED, ALLOWED),
            },
        )
        festival = self.env.ref("resident_service_crm.festival_spring")
        self._assert_matrix(
            festival,
            {
                "technician": (ALLOWED, DENIED, DENIED),
                "user_all": (ALLOWED, DENIED, DENIED),
                "manager": (ALLOWED, ALLOWED, ALLOWED),
            },
        )

    def test_other_company_records_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "Other Branch"})
        manager = self.users["manager"]
        manager.company_ids = [(4, other_company.id)]
        service = self._service(self.own_customer, company_id=other_company.id)
        # the manager works in the first company only: the other branch's record is hidden
        visible = (
            self.env["rs.service.record"]
            .with_user(manager)
            .with_context(allowed_company_ids=[self.company.id])
        )
        self.assertFalse(visible.search([("id", "=", service.id)]))
        both = visible.with_context(allowed_company_ids=[self.company.id, other_company.id])
        self.assertTrue(both.search([("id", "=", service.id)]))
