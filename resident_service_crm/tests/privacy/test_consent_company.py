"""Consent is given to one company (the controller of the data, under PIPL): a customer
shared by all companies answers each company separately, and each company contacts the
customer only with the consents given to it."""

import json
import os
from datetime import datetime

from psycopg2 import IntegrityError

from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.modules import get_module_path
from odoo.modules.migration import load_script
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from ..common import ResidentServiceCase

NOON_SHANGHAI = datetime(2026, 3, 2, 4, 0)  # UTC


@tagged("post_install", "-at_install")
class TestConsentCompany(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Anju West Services"})
        # a customer without a company: Odoo shares them between both companies
        cls.shared = cls.env["res.partner"].create(
            {
                "name": "Zhou Min",
                "rs_is_resident_customer": True,
                "email": "zhou.min@example.com",
                "mobile": "+86 139 0000 1111",
                "tz": "Asia/Shanghai",
            }
        )
        cls.Consent = cls.env["rs.consent"]

    def _ask(self, company, purpose="marketing", channel="sms"):
        partner = self.shared.with_company(company)
        return partner._rs_contact_permission(purpose, channel, NOON_SHANGHAI)[partner.id]

    def test_consent_to_one_company_does_not_let_another_contact(self):
        consent = self.Consent._record(self.shared, "marketing", "sms", "given")
        self.assertEqual(consent.company_id, self.company_a, "the current company by default")
        self.assertEqual(consent.event_ids.company_id, self.company_a, "the change log follows its consent")
        allowed = self._ask(self.company_a)
        self.assertEqual((allowed.allowed, allowed.reason), (True, "allowed"))
        refused = self._ask(self.company_b)
        self.assertEqual((refused.allowed, refused.reason), (False, "no_consent"))
        channel, permission = self.shared.with_company(self.company_b)._rs_best_channels(
            "marketing", ["sms"], NOON_SHANGHAI
        )[self.shared.id]
        self.assertEqual((channel, permission.reason), (False, "no_consent"))

    def test_one_consent_per_company_purpose_and_channel(self):
        in_a = self.Consent.create({"partner_id": self.shared.id, "purpose": "care", "channel": "email"})
        in_b = self.Consent.create(
            {
                "partner_id": self.shared.id,
                "company_id": self.company_b.id,
                "purpose": "care",
                "channel": "email",
                "state": "refused",
            }
        )
        self.assertEqual((in_a.company_id, in_b.company_id), (self.company_a, self.company_b))
        self.assertTrue(self._ask(self.company_a, "care", "email").allowed)
        self.assertEqual(self._ask(self.company_b, "care", "email").reason, "refused")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Consent.create(
                {
                    "partner_id": self.shared.id,
                    "company_id": self.company_b.id,
                    "purpose": "care",
                    "channel": "email",
                }
            )

    def test_a_company_customers_consents_are_in_that_company(self):
        customer_b = self.env["res.partner"].create(
            {"name": "Qin Hao", "rs_is_resident_customer": True, "company_id": self.company_b.id}
        )
        consent = self.Consent.create({"partner_id": customer_b.id, "purpose": "care", "channel": "sms"})
        self.assertEqual(consent.company_id, self.company_b, "the customer's company, not the current one")
        with self.assertRaises(UserError):
            consent.company_id = self.company_a

    def test_other_company_staff_do_not_see_the_consent(self):
        consent = self.Consent._record(self.shared, "marketing", "sms", "given")
        user_b = new_test_user(
            self.env,
            login="rs_consent_company_b",
            groups="base.group_user,resident_service_crm.group_manager",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        self.assertEqual(
            self.Consent.with_user(user_b).search([("partner_id", "=", self.shared.id)]), self.Consent
        )
        with self.assertRaises(AccessError):
            consent.with_user(user_b).read(["state"])
        self.assertEqual(
            self.Consent.with_user(self.users["manager"]).search([("partner_id", "=", self.shared.id)]),
            consent,
        )

    def test_customer_form_shows_the_current_companys_consents(self):
        in_a = self.Consent._record(self.shared, "care", "sms", "given")
        in_b = self.Consent._record(self.shared, "care", "sms", "refused", company=self.company_b)
        self.assertEqual(self.shared.rs_consent_ids, in_a | in_b)
        self.assertEqual(self.shared.rs_company_consent_ids, in_a)
        self.shared.invalidate_recordset()
        self.assertEqual(self.shared.with_company(self.company_b).rs_company_consent_ids, in_b)

    def test_merge_keeps_the_consents_of_both_companies(self):
        duplicate = self.env["res.partner"].create(
            {"name": "Zhou Min (old)", "rs_is_resident_customer": True}
        )
        in_a = self.Consent._record(self.shared, "marketing", "email", "given")
        in_b = self.Consent._record(duplicate, "marketing", "email", "refused", company=self.company_b)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.shared | duplicate).ids, dst_partner=self.shared)
        self.assertFalse(duplicate.exists())
        consents = self.Consent.search([("partner_id", "=", self.shared.id)])
        self.assertEqual(consents, in_a | in_b)
        self.assertEqual(
            {(c.company_id.name, c.state) for c in consents},
            {(self.company_a.name, "given"), ("Anju West Services", "refused")},
        )

    def test_privacy_export_lists_the_consents_of_every_company(self):
        self.Consent._record(self.shared, "survey", "email", "given")
        self.Consent._record(self.shared, "survey", "email", "withdrawn", company=self.company_b)
        data = json.loads(json.dumps(self.shared._rs_privacy_export(), default=str))
        rows = sorted((row["Company"], row["Status"]) for row in data["consents"]["rows"])
        self.assertEqual(rows, sorted([(self.company_a.name, "Given"), ("Anju West Services", "Withdrawn")]))
        history = sorted((row["Company"], row["Status"]) for row in data["consent_history"]["rows"])
        self.assertEqual(history, rows)

    def test_complaint_acknowledgement_asks_the_complaints_company(self):
        for channel in ("email", "sms"):
            self.Consent._record(self.shared, "service", channel, "refused", company=self.company_b)
        category = self.env.ref("resident_service_crm.complaint_category_service_quality")
        in_a, in_b = self.env["rs.complaint"].create(
            [
                {"subject": "Late", "partner_id": self.shared.id, "category_id": category.id},
                {
                    "subject": "Late again",
                    "partner_id": self.shared.id,
                    "category_id": category.id,
                    "company_id": self.company_b.id,
                },
            ]
        )
        self.assertTrue(in_a.acknowledged_date, "company A's service notices are not refused")
        self.assertFalse(in_b.acknowledged_date)
        self.assertIn("refused", in_b.acknowledgement_note)


@tagged("post_install", "-at_install")
class TestPortalConsentCompany(HttpCase):
    def test_portal_page_shows_and_changes_the_current_companys_consents(self):
        user = new_test_user(
            self.env, login="rs_portal_zhou", password="rs_portal_zhou", groups="base.group_portal"
        )
        partner = user.partner_id
        company = self.env.company
        other = self.env["res.company"].create({"name": "Anju West Services"})
        Consent = self.env["rs.consent"]
        Consent._record(partner, "marketing", "sms", "given", source="paper", company=other)
        Consent._record(partner, "care", "sms", "given", source="paper", company=company)
        self.authenticate("rs_portal_zhou", "rs_portal_zhou")

        page = self.url_open("/my/consents").text.replace('checked="checked"', "checked")
        self.assertIn(company.name, page)
        self.assertIn('name="consent_care_sms" checked', page)
        self.assertNotIn('name="consent_marketing_sms" checked', page, "given to the other company")

        self.url_open(
            "/my/consents",
            data={"csrf_token": http.Request.csrf_token(self), "consent_care_email": "on"},
        )
        answers = {(c.company_id, c.purpose, c.channel): c.state for c in partner.rs_consent_ids}
        self.assertEqual(
            answers,
            {
                (other, "marketing", "sms"): "given",
                (company, "care", "sms"): "withdrawn",
                (company, "care", "email"): "given",
            },
        )


@tagged("post_install", "-at_install")
class TestConsentCompanyMigration(ResidentServiceCase):
    def _migrate(self):
        path = os.path.join(
            get_module_path("resident_service_crm"), "migrations", "18.0.1.1.0", "pre-migrate.py"
        )
        # as Odoo's migration manager loads a version's script
        load_script(path, "rs_consent_company_pre_migrate").migrate(self.env.cr, "18.0.1.0.0")

    def test_consents_of_shared_customers_go_to_the_recorders_company(self):
        """A database of the previous version: consents of customers without a company had
        no company; they go to the company of the user who recorded them, else the first."""
        company_b = self.env["res.company"].create({"name": "Anju West Services"})
        recorder = new_test_user(
            self.env,
            login="rs_consent_recorder_b",
            groups="base.group_user,resident_service_crm.group_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        shared = self.env["res.partner"].create({"name": "Zhou Min", "rs_is_resident_customer": True})
        by_b = self.env["rs.consent"]._record(shared, "care", "sms", "given", company=company_b)
        by_nobody = self.env["rs.consent"]._record(shared, "care", "email", "given")
        by_b.user_id = recorder
        by_nobody.user_id = False
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE rs_consent ALTER COLUMN company_id DROP NOT NULL")
        # the history's company was not required either (it followed its consent's then)
        self.env.cr.execute("ALTER TABLE rs_consent_event ALTER COLUMN company_id DROP NOT NULL")
        self.env.cr.execute(
            "UPDATE rs_consent SET company_id = NULL WHERE id IN %s", [(by_b.id, by_nobody.id)]
        )
        self.env.cr.execute(
            "UPDATE rs_consent_event SET company_id = NULL WHERE consent_id IN %s", [(by_b.id, by_nobody.id)]
        )
        self._migrate()
        self._migrate()  # idempotent
        self.env.invalidate_all()
        first = self.env["res.company"].search([], order="id", limit=1)
        self.assertEqual((by_b.company_id, by_nobody.company_id), (company_b, first))
        self.assertEqual(by_b.event_ids.company_id, company_b)
        self.assertEqual(by_nobody.event_ids.company_id, first)
