"""Contact details masked for field technicians and, in the suite's views, for users of
their own customers; shown around an assigned visit or by an explicit, logged reveal."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..common import ResidentServiceCase

FULL = {
    "phone": "+86 138 1234 5678",
    "mobile": "+86 139 1234 5678",
    "email": "wang.fang@example.com",
    "street": "中山路88号3栋501",
}
MASKED = {
    "phone": "+86 138****5678",
    "mobile": "+86 139****5678",
    "email": "w***@example.com",
    "street": "中山****",
}
FIELDS = list(FULL)


@tagged("post_install", "-at_install")
class TestPrivacyMasking(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = cls.users["technician"]
        cls.technician.tz = "Asia/Shanghai"
        (cls.own_customer | cls.other_customer).write(dict(FULL))
        # 09:00 to 11:00 in Shanghai on 2 March 2026.
        cls.visit = cls._service(
            cls.other_customer, start=datetime(2026, 3, 2, 1, 0), user_id=cls.technician.id
        )

    def _as(self, role, context=None):
        return self.other_customer.with_user(self.users[role]).with_context(**(context or {}))

    def _values(self, rows):
        return {fname: rows[0][fname] for fname in FIELDS}

    @freeze_time("2026-02-20 10:00:00")
    def test_technician_sees_masked_values_in_every_read(self):
        partner = self._as("technician")
        self.assertEqual(self._values(partner.read(FIELDS)), MASKED)
        self.assertEqual(self._values(partner.web_read({f: {} for f in FIELDS})), MASKED)
        self.assertEqual(self._values(partner.search_read([("id", "=", partner.id)], FIELDS)), MASKED)
        records = partner.web_search_read([("id", "=", partner.id)], {f: {} for f in FIELDS})["records"]
        self.assertEqual(self._values(records), MASKED)
        self.assertTrue(partner.rs_contact_masked)
        # the address Odoo composes from the street is masked too
        self.assertNotIn("中山路88号", partner.read(["contact_address"])[0]["contact_address"])
        # Odoo itself still uses the real values for mail, SMS and invoices
        self.assertEqual(partner.phone, FULL["phone"])
        self.assertEqual(partner.email_formatted, '"Alice Brown" <wang.fang@example.com>')

    @freeze_time("2026-02-20 10:00:00")
    def test_technician_exports_masked_values(self):
        self.technician.groups_id += self.env.ref("base.group_allow_export")
        partner = self._as("technician")
        rows = partner.export_data(["name", *FIELDS])["datas"]
        self.assertEqual(rows, [["Alice Brown", *MASKED.values()]])
        # through a related record too
        visit = self.visit.with_user(self.technician)
        rows = visit.export_data(["partner_id/phone", "partner_id/email"])["datas"]
        self.assertEqual(rows, [[MASKED["phone"], MASKED["email"]]])

    def test_technician_sees_full_values_around_an_assigned_visit(self):
        partner = self._as("technician")
        cases = [
            ("2026-02-28 15:59:00", MASKED),  # 23:59 in Shanghai, two days before
            ("2026-02-28 16:01:00", FULL),  # the day before the visit, local time
            ("2026-03-02 02:00:00", FULL),  # during the visit
            ("2026-03-02 03:01:00", MASKED),  # after its window
        ]
        for moment, expected in cases:
            with self.subTest(moment=moment), freeze_time(moment):
                partner.invalidate_recordset()
                self.assertEqual(self._values(partner.read(FIELDS)), expected)
        # a cancelled visit opens nothing; another technician's visit neither
        with freeze_time("2026-03-02 02:00:00"):
            self.visit.state = "cancelled"
            self.assertEqual(self._values(partner.read(FIELDS)), MASKED)

    def test_own_user_sees_others_customers_masked_in_the_suite(self):
        suite = {"rs_mask_contacts": True}
        self.assertEqual(self._values(self._as("user_own", suite).read(FIELDS)), MASKED)
        own = self.own_customer.with_user(self.users["user_own"]).with_context(**suite)
        self.assertEqual(self._values(own.read(FIELDS)), FULL)
        # outside the suite's views (contacts, invoices), Odoo's own behaviour
        self.assertEqual(self._values(self._as("user_own").read(FIELDS)), FULL)

    def test_wider_roles_see_everything(self):
        for role in ("user_all", "manager", "privacy_officer"):
            with self.subTest(role=role):
                partner = self._as(role, {"rs_mask_contacts": True})
                self.assertEqual(self._values(partner.read(FIELDS)), FULL)
                self.assertFalse(partner.rs_contact_masked)

    def test_reveal_is_logged(self):
        partner = self._as("user_own", {"rs_mask_contacts": True})
        action = partner.action_rs_reveal_contact()
        shown = self.env["rs.contact.reveal"].browse(action["res_id"]).with_user(self.users["user_own"])
        self.assertEqual({f: shown[f] for f in FIELDS}, FULL)
        logs = self.env["rs.contact.reveal.log"].search([("partner_id", "=", partner.id)])
        self.assertEqual(
            sorted((log.user_id, log.field_name) for log in logs),
            sorted((self.users["user_own"], f) for f in FIELDS),
        )
        # nothing to reveal when nothing is masked
        own = self.own_customer.with_user(self.users["user_own"]).with_context(rs_mask_contacts=True)
        with self.assertRaises(UserError):
            own.action_rs_reveal_contact()

    @freeze_time("2026-02-20 10:00:00")
    def test_technician_reveal_needs_the_setting(self):
        partner = self._as("technician")
        with self.assertRaises(AccessError):
            partner.action_rs_reveal_contact()
        self.assertFalse(self.env["rs.contact.reveal.log"].search([("partner_id", "=", partner.id)]))
        self.env.company.rs_reveal_technician = True
        partner.action_rs_reveal_contact()
        self.assertEqual(
            self.env["rs.contact.reveal.log"].search_count([("user_id", "=", self.technician.id)]), 4
        )

    def test_masked_value_sent_back_keeps_the_real_one(self):
        partner = self._as("user_own", {"rs_mask_contacts": True})
        partner.write({"phone": MASKED["phone"], "email": MASKED["email"], "city": "上海"})
        self.assertEqual(
            (self.other_customer.phone, self.other_customer.email), (FULL["phone"], FULL["email"])
        )
        self.assertEqual(self.other_customer.city, "上海")
        partner.write({"phone": "13900000000"})
        self.assertEqual(self.other_customer.phone, "+86 139 0000 0000")

    def test_old_reveals_are_removed_after_the_retention_period(self):
        self.env.company.rs_reveal_log_days = 30
        self._as("user_own", {"rs_mask_contacts": True}).action_rs_reveal_contact()
        logs = self.env["rs.contact.reveal.log"].search([("partner_id", "=", self.other_customer.id)])
        old = logs[:2]
        self.env.cr.execute(
            SQL(
                "UPDATE rs_contact_reveal_log SET create_date = %s WHERE id IN %s",
                datetime.now() - timedelta(days=31),
                tuple(old.ids),
            )
        )
        Log = self.env["rs.contact.reveal.log"]
        Log._cron_purge()
        Log._cron_purge()
        self.assertEqual(Log.search([("partner_id", "=", self.other_customer.id)]), logs - old)

    def test_access_to_the_reveal_log(self):
        self._as("user_own", {"rs_mask_contacts": True}).action_rs_reveal_contact()
        log = self.env["rs.contact.reveal.log"].search([("partner_id", "=", self.other_customer.id)], limit=1)
        expected = {
            "technician": "----",
            "user_own": "----",
            "user_all": "----",
            "manager": "r---",
            "privacy_officer": "r---",
        }
        got = {}
        for role in expected:
            env = log.env(user=self.users[role])
            allowed = ""
            for operation in ("read", "write", "create", "unlink"):
                try:
                    with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"), self.cr.savepoint():
                        if operation == "create":
                            env[log._name].create(
                                {
                                    "user_id": env.uid,
                                    "partner_id": self.own_customer.id,
                                    "field_name": "phone",
                                }
                            )
                        elif operation == "read":
                            log.with_env(env).read(["field_name"])
                        elif operation == "write":
                            log.with_env(env).write({"field_name": "email"})
                        else:
                            log.with_env(env).unlink()
                    allowed += operation[0]
                except AccessError:
                    allowed += "-"
            got[role] = allowed
        self.assertEqual(got, expected)
