"""Data quality (数据质量): phone numbers checked on entry, duplicate suspects found by
phone and e-mail and merged or dismissed, a completeness score, stale profiles, and the
dashboard that lists them."""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestDataQuality(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "country_id": cls.env.ref("base.cn").id,
                "rs_validate_phone": True,
                "rs_phone_format": "INTERNATIONAL",
                "rs_completeness_threshold": 60,
            }
        )
        cls.Partner = cls.env["res.partner"].with_context(default_rs_is_resident_customer=True)

    def _customer(self, name, **values):
        return self.Partner.create({"name": name, **values})

    # ------------------------------------------------------------------
    # phone validation
    # ------------------------------------------------------------------
    def test_valid_numbers_are_formatted_as_the_company_writes_them(self):
        customer = self._customer("Zhou Mei", mobile="13800138000", phone="0571-8815 3302")
        self.assertEqual((customer.mobile, customer.phone), ("+86 138 0013 8000", "+86 571 8815 3302"))
        self.assertEqual(customer.phone_sanitized, "+8613800138000")
        customer.write({"mobile": "139 0000 1111"})
        self.assertEqual(customer.mobile, "+86 139 0000 1111")
        self.assertFalse(customer.rs_phone_invalid)

        self.company.rs_phone_format = "NATIONAL"
        national = self._customer("Li Na", mobile="+8613800138001", phone="+1 416 555 0137")
        self.assertEqual((national.mobile, national.phone), ("138 0013 8001", "+1 416-555-0137"))
        self.company.rs_phone_format = "E164"
        self.assertEqual(self._customer("Sun Hao", mobile="138-0013-8002").mobile, "+8613800138002")

    def test_the_customer_country_comes_before_the_company_country(self):
        customer = self._customer(
            "Emily Carter", mobile="416 555 0137", country_id=self.env.ref("base.ca").id
        )
        self.assertEqual(customer.mobile, "+1 416-555-0137")
        customer.write({"country_id": self.env.ref("base.cn").id, "mobile": "13800138000"})
        self.assertEqual(customer.mobile, "+86 138 0013 8000")

    def test_invalid_numbers_are_refused_with_the_field_and_value(self):
        with self.assertRaises(ValidationError) as caught:
            self._customer("Zhou Mei", mobile="12345")
        message = str(caught.exception)
        self.assertIn("Mobile 12345 of Zhou Mei is not a valid phone number", message)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Zhou Mei")]))

        customer = self._customer("Zhou Mei", mobile="13800138000")
        with self.assertRaises(ValidationError) as caught:
            customer.write({"phone": "0571-88"})
        self.assertIn("Phone 0571-88 of Zhou Mei", str(caught.exception))
        self.assertFalse(customer.phone)
        # contacts who are not resident customers are Odoo's business, not checked here
        relative = self.env["res.partner"].create({"name": "Zhou Lei", "mobile": "12345"})
        self.assertEqual(relative.mobile, "12345")

    def test_setting_off_lets_numbers_through_and_flags_them(self):
        self.company.rs_validate_phone = False
        customer = self._customer("Zhou Mei", mobile="12345")
        self.assertEqual(customer.mobile, "12345")
        self.assertTrue(customer.rs_phone_invalid)
        self.assertIn(customer, self.env["res.partner"].search([("rs_phone_invalid", "=", True)]))
        self.company.rs_validate_phone = True
        customer.write({"mobile": "13800138000"})
        self.assertFalse(customer.rs_phone_invalid)

    def test_imports_follow_the_same_rule(self):
        fields = ["name", "rs_is_resident_customer", "mobile"]
        with mute_logger("odoo.sql_db"):
            result = self.env["res.partner"].load(fields, [["Import One", "1", "12345"]])
        self.assertFalse(result["ids"])
        self.assertIn(
            "Mobile 12345 of Import One is not a valid phone number", result["messages"][0]["message"]
        )
        result = self.env["res.partner"].load(fields, [["Import Two", "1", "13800138000"]])
        self.assertEqual(self.env["res.partner"].browse(result["ids"]).mobile, "+86 138 0013 8000")

    def test_form_entry_is_checked_too(self):
        form = Form(self.Partner)
        form.name = "Form Customer"
        form.mobile = "13800138000"
        self.assertEqual(form.save().mobile, "+86 138 0013 8000")

    # ------------------------------------------------------------------
    # duplicate suspects
    # ------------------------------------------------------------------
    def test_duplicates_by_phone_and_by_email(self):
        first = self._customer("Chen Xiuying", mobile="13656781234")
        second = self._customer("Chen Xiuyin", phone="+86 136 5678 1234")
        third = self._customer("Wang Fang", email="Wang.Fang@Example.com")
        fourth = self._customer("Wang Fang (web)", email='"Fang" <wang.fang@example.com>')
        self._customer("Alone", mobile="13900000000", email="alone@example.com")
        # neither a relative who is not a customer nor an archived customer counts
        self.env["res.partner"].create({"name": "Li Hui", "mobile": "13656781234"})
        self._customer("Old Record", mobile="13656781234", active=False)

        self.assertEqual(first.rs_duplicate_ids, second)
        self.assertEqual(second.rs_duplicate_ids, first)
        self.assertEqual(third.rs_duplicate_ids, fourth)
        self.assertEqual((first.rs_duplicate_count, third.rs_duplicate_count), (1, 1))
        suspects = self.env["res.partner"].search(
            [("rs_duplicate_suspect", "=", True), ("id", "in", (first | second | third | fourth).ids)]
        )
        self.assertEqual(suspects, first | second | third | fourth)
        all_suspects = self.env["res.partner"].search([("rs_duplicate_suspect", "=", True)])
        self.assertFalse(all_suspects.filtered(lambda p: p.name == "Alone"))
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("rs_duplicate_suspect", "=", False), ("id", "in", (first | third).ids)]
            ),
            0,
        )

    def test_no_duplicates_across_companies(self):
        other = self.env["res.company"].create(
            {"name": "Other Services Co.", "country_id": self.env.ref("base.cn").id}
        )
        mine = self._customer("Zhou Mei", mobile="13800138000", company_id=self.company.id)
        theirs = self._customer("Zhou Mei", mobile="13800138000", company_id=other.id)
        self.assertFalse(mine.rs_duplicate_ids)
        self.assertFalse(theirs.rs_duplicate_ids)
        shared = self._customer("Zhou Mei (shared)", mobile="13800138000", company_id=False)
        (mine | theirs).invalidate_recordset()  # as the next screen the user opens does
        self.assertEqual(mine.rs_duplicate_ids, shared)
        self.assertEqual(theirs.rs_duplicate_ids, shared)
        self.assertEqual(shared.rs_duplicate_ids, mine | theirs)

    def test_not_a_duplicate(self):
        mother = self._customer("Pan Shuhua", mobile="13800138000")
        daughter = self._customer("Pan Xiaohong", mobile="13800138000")
        cousin = self._customer("Pan Xiao", email="pan@example.com", mobile="13800138000")
        self.assertEqual(daughter.rs_duplicate_ids, mother | cousin)

        daughter.action_rs_dismiss_duplicates()
        dismissals = self.env["rs.duplicate.dismissal"].search(
            [("partner_id", "in", (mother | daughter).ids)]
        )
        self.assertEqual(len(dismissals), 2)
        self.assertTrue(all(d.partner_id.id < d.other_partner_id.id for d in dismissals), "lower id first")
        (mother | daughter | cousin).invalidate_recordset()
        self.assertFalse(daughter.rs_duplicate_ids)
        self.assertEqual(mother.rs_duplicate_ids, cousin)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["rs.duplicate.dismissal"].create(
                {"partner_id": mother.id, "other_partner_id": daughter.id}
            )

        # deleting the line lists them again
        dismissals.filtered(lambda d: mother in (d.partner_id | d.other_partner_id)).unlink()
        daughter.invalidate_recordset()
        self.assertEqual(daughter.rs_duplicate_ids, mother)

    def test_duplicate_query_count_does_not_grow_with_customers(self):
        def customers(count, prefix):
            partners = self.Partner.create(
                [{"name": f"{prefix} {i}", "mobile": f"+86 139 0000 {i // 2:04d}"} for i in range(count)]
            )
            self.env.invalidate_all()
            return self.env["res.partner"].browse(partners.ids)

        few, many = customers(5, "Few"), customers(50, "Many")
        self.env.flush_all()
        with self.assertQueryCount(1):
            few.mapped("rs_duplicate_count")
        with self.assertQueryCount(1):
            counts = many.mapped("rs_duplicate_count")
        # two "Many" customers per number, and the five "Few" ones share the first three numbers
        self.assertEqual(counts[:8], [3, 3, 3, 3, 2, 2, 1, 1])
        self.assertEqual(counts[-1], 1)

    # ------------------------------------------------------------------
    # merge
    # ------------------------------------------------------------------
    def test_merge_action_opens_the_wizard_and_keeps_the_suite_rows(self):
        kept = self._customer(
            "Chen Xiuying",
            mobile="13656781234",
            email="chen@example.com",
            street="文三路318号",
            city="杭州市",
        )
        duplicate = self._customer("Chen Xiuyin", mobile="13656781234", email="chen@example.com")
        neighbour = self._customer("Zhang Wei", mobile="13900000000")
        other = self._customer("Zhang Wei (2)", mobile="13900000000")
        self.env["rs.duplicate.dismissal"].create(
            {"partner_id": duplicate.id, "other_partner_id": neighbour.id}
        )
        self.env["rs.consent"].create(
            {"partner_id": duplicate.id, "purpose": "care", "channel": "phone", "state": "given"}
        )

        action = duplicate.action_rs_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        self.assertEqual(action["context"]["active_ids"], [kept.id, duplicate.id])
        wizard = Form(self.env[action["res_model"]].with_context(action["context"])).save()
        self.assertEqual(wizard.partner_ids, kept | duplicate)
        self.assertIn(wizard.dst_partner_id, kept | duplicate)
        wizard.dst_partner_id = kept
        wizard.action_merge()

        self.assertFalse(duplicate.exists())
        self.assertEqual(
            self.env["rs.consent"].search([("partner_id", "=", kept.id)]).mapped("purpose"), ["care"]
        )
        moved = self.env["rs.duplicate.dismissal"].search([("partner_id", "in", (kept | neighbour).ids)])
        self.assertEqual(
            [(d.partner_id, d.other_partner_id) for d in moved],
            [(kept, neighbour)] if kept.id < neighbour.id else [(neighbour, kept)],
        )
        self.assertEqual(neighbour.rs_duplicate_ids, other)

        with self.assertRaisesRegex(UserError, "no duplicate suspect"):
            kept.action_rs_merge_duplicates()

    # ------------------------------------------------------------------
    # completeness and staleness
    # ------------------------------------------------------------------
    def test_completeness_of_known_profiles(self):
        household = self.env["rs.household"].create({"name": "Lakeside 2-1-301"})
        full = self._customer(
            "Li Jianguo",
            mobile="13656789999",
            email="lijianguo@example.com",
            street="文三路318号",
            city="杭州市",
            rs_birthday=date(1969, 4, 3),
            rs_household_id=household.id,
            rs_service_preference_ids=[
                Command.link(self.env.ref("resident_service_crm.service_preference_pet").id)
            ],
            rs_preferred_channel="wechat",
            rs_consent_ids=[Command.create({"purpose": "care", "channel": "phone", "state": "refused"})],
        )
        self.assertEqual((full.rs_completeness, full.rs_completeness_band), (100, "good"))
        self.assertFalse(full.rs_completeness_missing)
        self.assertFalse(full.rs_incomplete)

        thin = self._customer("Chen Xiuying", mobile="13656781234")
        self.assertEqual((thin.rs_completeness, thin.rs_completeness_band), (20, "poor"))
        self.assertEqual(
            thin.rs_completeness_missing,
            "e-mail, street and city, birthday, household, service preferences, preferred channel, consent",
        )
        self.assertTrue(thin.rs_incomplete)
        # recomputed when the profile is filled in, not on read
        thin.write(
            {
                "street": "文三路318号",
                "city": "杭州市",
                "rs_is_lunar_birthday": True,
                "rs_lunar_birth_month": 8,
                "rs_lunar_birth_day": 15,
            }
        )
        self.assertEqual(thin.rs_completeness, 45)
        self.env["rs.consent"].create({"partner_id": thin.id, "purpose": "care", "channel": "phone"})
        self.assertEqual((thin.rs_completeness, thin.rs_completeness_band), (60, "fair"))
        self.assertFalse(thin.rs_incomplete)
        self.company.rs_completeness_threshold = 80
        incomplete = self.env["res.partner"].search(
            [("rs_incomplete", "=", True), ("id", "in", (full | thin).ids)]
        )
        self.assertEqual(incomplete, thin)
        complete = self.env["res.partner"].search(
            [("rs_incomplete", "=", False), ("id", "in", (full | thin).ids)]
        )
        self.assertEqual(complete, full)

    def test_stale_profile_filter(self):
        self.company.rs_profile_stale_months = 12
        old = self._customer("Wang Defu", rs_profile_verified_date=date(2025, 1, 10))
        fresh = self._customer("Zhao Guilan", rs_profile_verified_date=date(2025, 9, 1))
        never = self._customer("Zhou Mei")
        with freeze_time("2026-03-02 02:00:00"):
            self.env["res.partner"]._cron_rs_flag_stale_profiles()
        stale = self.env["res.partner"].search(
            [("rs_is_profile_stale", "=", True), ("id", "in", (old | fresh | never).ids)]
        )
        self.assertEqual(stale, old | never)
        with freeze_time("2026-03-02 02:00:00"):
            old.action_rs_mark_profile_verified()
        self.assertEqual((old.rs_profile_verified_date, old.rs_is_profile_stale), (date(2026, 3, 2), False))

    # ------------------------------------------------------------------
    # dashboard, masking, access
    # ------------------------------------------------------------------
    def test_dashboard_and_overview_cards(self):
        self._customer("Chen Xiuying", mobile="13656781234")
        self._customer("Chen Xiuyin", mobile="13656781234")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm.res_partner_action_data_quality"
        )
        self.assertEqual(
            (action["res_model"], action["domain"]),
            ("res.partner", "[('rs_is_resident_customer', '=', True)]"),
        )
        search = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        for name in ("rs_incomplete", "rs_duplicate_suspect", "rs_phone_invalid", "stale_profile"):
            self.assertIn(f'name="{name}"', search)
        customers = [("rs_is_resident_customer", "=", True)]
        groups = self.env["res.partner"]._read_group(customers, ["rs_completeness_band"], ["__count"])
        self.assertEqual(
            sum(count for _band, count in groups), self.env["res.partner"].search_count(customers)
        )
        self.assertEqual({band for band, _count in groups} - {"poor", "fair", "good"}, set())

        cards = {
            card["key"]: card
            for card in self.env["rs.overview"].with_user(self.users["user_all"]).get_overview()["cards"]
        }
        for key in ("incomplete_profiles", "duplicate_suspects"):
            card = cards[key]
            with self.subTest(card=key):
                self.assertEqual(
                    self.env["res.partner"].search_count(card["action"]["domain"]), card["value"]
                )
        self.assertGreaterEqual(cards["duplicate_suspects"]["value"], 2)
        own_cards = self.env["rs.overview"].with_user(self.users["user_own"]).get_overview()["cards"]
        self.assertNotIn("duplicate_suspects", {card["key"] for card in own_cards})

    def test_demo_shows_duplicates_and_an_incomplete_profile(self):
        def ref(name):
            return self.env.ref(f"resident_service_crm.{name}")

        self.assertEqual(ref("partner_chen_xiuying_dup").rs_duplicate_ids, ref("partner_chen_xiuying"))
        self.assertEqual(ref("partner_emily_carter_dup").rs_duplicate_ids, ref("partner_emily_carter"))
        self.assertEqual(
            (ref("partner_chen_xiuying_dup").rs_completeness, ref("partner_chen_xiuying_dup").rs_incomplete),
            (20, True),
        )

    def test_suspects_leave_out_customers_masked_to_the_user(self):
        """A pair of suspects tells that two customers share a number or an address: to a
        technician, and to a user of her own customers in the suite's views, no pair with a
        customer masked to them is listed, whatever the values; wider roles see them all."""
        first = self._customer("Chen Xiuying", mobile="13656781234", email="chen@example.com")
        self.own_customer.write({"mobile": "13656781234"})
        self.other_customer.write({"mobile": "13656781234", "email": "alice@example.com"})
        Partner = self.env["res.partner"]

        def suspects(role, partner, context=None):
            return partner.with_user(self.users[role]).with_context(**(context or {})).rs_duplicate_ids

        self.assertEqual(suspects("technician", first), Partner)
        technician = Partner.with_user(self.users["technician"])
        self.assertFalse(technician.search([("id", "=", first.id), ("rs_duplicate_suspect", "=", True)]))
        # the desk's user opens the suspects from the customer's form, outside the suite's masking
        action = first.with_user(self.users["user_own"]).action_rs_view_duplicates()
        self.assertEqual(Partner.search(action["domain"]), first | self.own_customer | self.other_customer)
        self.assertEqual(suspects("user_own", first, action["context"]), Partner)
        self.assertEqual(suspects("user_own", self.own_customer, action["context"]), Partner)
        self.assertEqual(
            suspects("user_all", first, action["context"]), self.own_customer | self.other_customer
        )
        # her own customers sharing a number are suspects to her, shown in full
        second = self._customer("Wang Fang (2)", mobile="13656781234", user_id=self.users["user_own"].id)
        self.env.invalidate_all()  # a new request
        found = suspects("user_own", self.own_customer, action["context"])
        self.assertEqual(found, second)
        self.assertEqual(found.read(["mobile"])[0]["mobile"], "+86 136 5678 1234")

    def test_dismissal_access(self):
        first = self._customer("Pan Shuhua", mobile="13800138000", user_id=self.users["user_own"].id)
        second = self._customer("Pan Xiaohong", mobile="13800138000")
        dismissal = self.env["rs.duplicate.dismissal"].create(
            {"partner_id": first.id, "other_partner_id": second.id}
        )
        expected = {
            "technician": "----",
            "user_own": "r-c-",
            "user_all": "r-c-",
            "manager": "rwcu",
            "privacy_officer": "r-c-",
        }
        got = {}
        for role, user in self.users.items():
            rights = ""
            for operation in ("read", "write", "create", "unlink"):
                records = self.env["rs.duplicate.dismissal"] if operation == "create" else dismissal
                try:
                    records.with_user(user).check_access(operation)
                    rights += operation[0]
                except AccessError:
                    rights += "-"
            got[role] = rights
        self.assertEqual(got, expected)
