"""A hostile client against the masking: the routes the web client, XML-RPC and the mail
client reach, called as the field technician and as the user of their own customers. Each
attack checks that nothing personal comes back and that nothing is written."""

import json
import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from ..journey_common import RoleJourneyCase

REAL = {
    "phone": "+86 21 6123 4567",
    "mobile": "+86 183 4567 8901",
    "email": "sun.mei@example.com",
    "street": "中山路88号3栋501",
    "street2": "Osmanthus Court Block B",
}
# Pieces of the real values that no masked answer may contain.
SECRETS = ("6123 4567", "61234567", "4567 8901", "45678901", "sun.mei", "中山路88号", "Osmanthus Court")


class MaskingAttackCase(RoleJourneyCase):
    """Sun Mei, a customer nobody here may see, with a household, portal access and a visit
    assigned to the technician next month; Zhou Bo, whose visit with the technician is now;
    Gao Wen, one of the account keeper's own customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        technician = cls.role_users["technician"]
        cls.household = cls.env["rs.household"].create(
            {"street": REAL["street"], "street2": REAL["street2"], "building": "3", "room": "501"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Sun Mei", "rs_is_resident_customer": True, "rs_household_id": cls.household.id, **REAL}
        )
        cls.portal_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": REAL["email"],
                    "partner_id": cls.customer.id,
                    "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
                }
            )
        )
        cls.visible = cls.env["res.partner"].create(
            {"name": "Zhou Bo", "rs_is_resident_customer": True, "mobile": "+86 183 9999 0000"}
        )
        cls.own = cls.env["res.partner"].create(
            {
                "name": "Gao Wen",
                "rs_is_resident_customer": True,
                "mobile": "+86 139 0571 0001",
                "user_id": cls.role_users["account_keeper"].id,
            }
        )
        service_type = cls.env.ref("resident_service_crm.service_type_regular_cleaning")
        now = fields.Datetime.now()
        cls.later_visit, cls.current_visit = cls.env["rs.service.record"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "service_type_id": service_type.id,
                    "user_id": technician.id,
                    "scheduled_start": now + timedelta(days=30),
                    "amount": 200,
                },
                {
                    "partner_id": cls.visible.id,
                    "service_type_id": service_type.id,
                    "user_id": technician.id,
                    "scheduled_start": now - timedelta(hours=1),
                },
            ]
        )

    def assertNothingPersonal(self, answer):
        text = json.dumps(answer, ensure_ascii=False, default=str)
        for secret in SECRETS:
            self.assertNotIn(secret, text)

    def assertMasked(self, answer):
        """Nothing personal, and the answer did show the masked values (the attack read
        what it aimed at)."""
        self.assertNothingPersonal(answer)
        self.assertIn("***", json.dumps(answer, ensure_ascii=False, default=str))


@tagged("post_install", "-at_install")
class TestTechnicianAttacks(MaskingAttackCase):
    def setUp(self):
        super().setUp()
        self.login_as("technician")

    def test_reads_of_every_kind(self):
        fnames = ["phone", "mobile", "email", "street", "street2", "email_formatted", "contact_address"]
        ids = [self.customer.id]
        self.assertMasked(self.call("res.partner", "read", ids, fnames))
        self.assertMasked(self.call("res.partner", "search_read", [("id", "in", ids)], fnames))
        spec = {fname: {} for fname in [*fnames, "contact_address_inline", "phone_sanitized"]}
        self.assertMasked(self.call("res.partner", "web_read", ids, specification=spec))
        # through the visit, as the visit's form reads its customer
        answer = self.call(
            "rs.service.record",
            "web_read",
            [self.later_visit.id],
            specification={"partner_id": {"fields": {"mobile": {}, "email": {}, "display_name": {}}}},
        )
        self.assertMasked(answer)
        # a visit of hers going on now, but assigned to someone else, opens nothing to him
        self.env["rs.service.record"].create(
            {
                "partner_id": self.customer.id,
                "service_type_id": self.later_visit.service_type_id.id,
                "user_id": self.role_users["service_desk"].id,
                "scheduled_start": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        self.assertMasked(self.call("res.partner", "read", ids, fnames))
        # the customer of the visit going on now is shown in full
        self.assertEqual(
            self.call("res.partner", "read", [self.visible.id], ["mobile"])[0]["mobile"], "+86 183 9999 0000"
        )

    def test_grouped_reads(self):
        for groupby in ("mobile", "email", "street", "phone_sanitized", "email_normalized"):
            with self.subTest(groupby=groupby):
                answer = self.call(
                    "res.partner",
                    "web_read_group",
                    [("id", "=", self.customer.id)],
                    fields=[],
                    groupby=[groupby],
                )
                self.assertMasked(answer)
                answer = self.call(
                    "res.partner", "read_group", [("id", "=", self.customer.id)], [], [groupby], lazy=False
                )
                self.assertMasked(answer)
                answer = self.call(
                    "res.partner",
                    "read_progress_bar",
                    [("id", "=", self.customer.id)],
                    group_by=groupby,
                    progress_bar={"field": "type", "colors": {"contact": "success"}},
                )
                self.assertNothingPersonal(answer)
        # aggregates of the values
        answer = self.call(
            "res.partner",
            "web_read_group",
            [("id", "=", self.customer.id)],
            fields=["mobile:array_agg", "email:count_distinct"],
            groupby=["type"],
        )
        self.assertNothingPersonal(answer)
        # the household's street, and the visit grouped by its customer's e-mail
        answer = self.call("rs.household", "web_read_group", [], fields=[], groupby=["street"])
        self.assertNothingPersonal(answer)
        answer = self.call("rs.service.record", "read_group", [], [], ["partner_id"], lazy=False)
        self.assertNothingPersonal(answer)

    def test_a_search_oracle_gives_no_answer(self):
        """Guessing Sun Mei's mobile one digit at a time: every guess gets the same answer,
        right or wrong; the same guess finds Zhou Bo, whose visit is now."""
        attacks = (
            ("res.partner", "mobile", "+86 183 ", ("id", "!=", self.visible.id)),
            ("res.partner", "phone_sanitized", "+86183", ("id", "!=", self.visible.id)),
            ("rs.service.record", "partner_id.mobile", "+86 183 ", ("id", "!=", self.current_visit.id)),
            ("res.users", "mobile", "+86 183 ", ("share", "=", True)),
        )
        for model, fname, known, others in attacks:
            counts = {
                digit: self.call(model, "search_count", [(fname, "=like", f"{known}{digit}%"), others])
                for digit in "0123456789"
            }
            # the real next digit is 4: it gets the answer every wrong digit gets
            self.assertEqual(set(counts.values()), {0}, (model, fname, counts))
        # a term that matches every masked value only tells that a number is set
        self.assertEqual(
            self.call(
                "res.partner", "search_count", [("id", "=", self.customer.id), ("mobile", "!=", False)]
            ),
            1,
        )
        self.assertEqual(
            self.call(
                "res.partner",
                "search_count",
                [("id", "=", self.customer.id), ("mobile", "not like", "+86 183 4%")],
            ),
            self.call(
                "res.partner",
                "search_count",
                [("id", "=", self.customer.id), ("mobile", "not like", "+86 183 5%")],
            ),
        )
        for fname, value in (
            ("phone_mobile_search", "18345678901"),
            ("email", "sun.mei"),
            ("street", "中山路"),
        ):
            self.assertFalse(
                self.call("res.partner", "search", [("id", "=", self.customer.id), (fname, "ilike", value)])
            )
        # the same search finds the customer whose visit is now
        self.assertEqual(
            self.call("res.partner", "search", [("mobile", "=like", "+86 183 9999%")]), self.visible.ids
        )
        # ordering by a masked field orders the masked customers alike whatever their values
        self.assertEqual(
            self.call(
                "res.partner", "search", [("id", "in", (self.customer | self.own).ids)], order="mobile, id"
            ),
            sorted((self.customer | self.own).ids),
        )
        self.assertEqual(
            self.call(
                "res.partner",
                "search",
                [("id", "in", (self.customer | self.own).ids)],
                order="mobile desc, id",
            ),
            sorted((self.customer | self.own).ids),
        )

    def test_name_search_and_mentions(self):
        self.assertFalse(self.call("res.partner", "name_search", "sun.mei@example"))
        for context in (
            {"show_email": True},
            {"show_address": True},
            {"show_address": True, "address_inline": True},
        ):
            with self.subTest(context=context):
                answer = self.call("res.partner", "name_search", "Sun Mei", context=context)
                self.assertEqual([row[0] for row in answer], self.customer.ids)
                self.assertMasked(answer)
                answer = self.call(
                    "rs.service.record", "read", [self.later_visit.id], ["partner_id"], context=context
                )
                self.assertMasked(answer)
        answer = self.call("res.partner", "get_mention_suggestions", "sun.mei")
        self.assertNotIn(self.customer.id, [p["id"] for p in answer.get("res.partner", [])])
        answer = self.call("res.partner", "get_mention_suggestions", "Sun Mei")
        self.assertIn(self.customer.id, [p["id"] for p in answer.get("res.partner", [])])
        self.assertMasked(answer)

    def test_the_household(self):
        answer = self.call(
            "rs.household",
            "web_read",
            self.household.ids,
            specification={"street": {}, "street2": {}, "display_name": {}, "name": {}},
        )
        self.assertMasked(answer)
        self.assertMasked(self.call("rs.household", "name_search", ""))
        self.assertFalse(self.call("rs.household", "search", [("street", "ilike", "中山路88")]))
        self.assertFalse(self.call("rs.household", "search", [("name", "ilike", "中山路88")]))
        answer = self.call(
            "rs.service.record",
            "web_read",
            [self.later_visit.id],
            specification={"household_id": {"fields": {"display_name": {}, "street": {}}}},
        )
        self.assertMasked(answer)
        self.assertMasked(self.call("res.partner", "read", [self.customer.id], ["rs_household_id"]))

    def test_the_portal_customer_as_a_user(self):
        fnames = ["login", "email", "phone", "mobile", "street", "email_formatted", "contact_address"]
        self.assertMasked(self.call("res.users", "read", self.portal_user.ids, fnames))
        self.assertFalse(self.call("res.users", "search", [("login", "=", REAL["email"])]))
        self.assertFalse(self.call("res.users", "search", [("email", "ilike", "sun.mei")]))
        self.assertNothingPersonal(
            self.call("res.users", "name_search", "Sun Mei", context={"show_email": True})
        )
        answer = self.call(
            "res.users", "web_read_group", [("share", "=", True)], fields=[], groupby=["login"]
        )
        self.assertNothingPersonal(answer)

    def test_export(self):
        self.role_users["technician"].groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        answer = self.call(
            "res.partner",
            "export_data",
            [self.customer.id],
            ["name", "mobile", "email", "street", "contact_address_inline"],
        )
        self.assertMasked(answer)
        answer = self.call(
            "res.users", "export_data", self.portal_user.ids, ["login", "email", "partner_id/mobile"]
        )
        self.assertMasked(answer)

    def test_xmlrpc(self):
        user = self.role_users["technician"]
        models_proxy = xmlrpc.client.ServerProxy(
            "http://localhost/xmlrpc/2/object", transport=self._xmlrpc_transport()
        )

        def execute(model, method, *args, **kwargs):
            return models_proxy.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
            )

        self.assertMasked(execute("res.partner", "read", [self.customer.id], ["mobile", "email", "street"]))
        self.assertMasked(
            execute(
                "res.partner",
                "read_group",
                [("id", "=", self.customer.id)],
                ["mobile"],
                ["mobile"],
                lazy=False,
            )
        )
        self.assertEqual(execute("res.partner", "search_count", [("mobile", "=like", "+86 183 4%")]), 0)

    def _xmlrpc_transport(self):
        """XML-RPC through the test's own opener, as url_open does."""
        case = self

        class Transport(xmlrpc.client.Transport):
            def request(self, host, handler, request_body, verbose=False):
                response = case.url_open(handler, data=request_body, headers={"Content-Type": "text/xml"})
                parser, unmarshaller = self.getparser()
                parser.feed(response.content)
                parser.close()
                return unmarshaller.close()

        return Transport()

    def test_the_mail_store(self):
        """Sun Mei's chatter and the visit's: followers, suggested recipients, the messages and
        the tracked changes of her phone and street, old and new."""
        self.login_as("manager")
        self.save(
            "res.partner", self.customer.id, {"phone": "+86 21 6999 8888", "street": "中山路88号3栋502"}
        )
        self.login_as("technician")
        tracked = self.customer.message_ids[0].sudo().tracking_value_ids
        self.assertIn("6123 4567", " ".join(tracked.mapped("old_value_char")))
        self.customer.message_subscribe(partner_ids=self.customer.ids)
        self.later_visit.message_subscribe(partner_ids=self.customer.ids)
        request = ["followers", "suggestedRecipients", "activities", "attachments"]
        for model, record in (("res.partner", self.customer), ("rs.service.record", self.later_visit)):
            with self.subTest(model=model):
                answer = self.json(
                    "/mail/thread/data", thread_model=model, thread_id=record.id, request_list=request
                )
                self.assertNothingPersonal(answer)
                answer = self.json("/mail/thread/messages", thread_model=model, thread_id=record.id)
                self.assertNothingPersonal(answer)
                text = json.dumps(answer, ensure_ascii=False)
                self.assertNotIn("6999 8888", text)
                self.assertNotIn("3栋502", text)
        # the follower and the recipient were there, masked
        answer = self.json(
            "/mail/thread/data", thread_model="res.partner", thread_id=self.customer.id, request_list=request
        )
        self.assertIn("s***@example.com", json.dumps(answer))

    def test_notes_quoting_the_customer(self):
        """The desk logs notes on the visits quoting their customers' details, as they were
        given on the phone: on Sun Mei's visit they come back masked, through the chatter and
        through reads of the messages; on Zhou Bo's, whose visit is now, in full."""
        note = (
            "Call her on 18345678901 or 021 6123 4567, mail sun.mei@example.com; "
            "the gate is at 中山路88号3栋501, Osmanthus Court Block B."
        )
        message = self.later_visit.message_post(body=note, subtype_xmlid="mail.mt_note")
        self.current_visit.message_post(body="Call him on 183 9999 0000.", subtype_xmlid="mail.mt_note")
        answer = self.json(
            "/mail/thread/messages", thread_model="rs.service.record", thread_id=self.later_visit.id
        )
        self.assertIn(message.id, [m["id"] for m in answer["data"]["mail.message"]])
        self.assertMasked(answer)
        self.assertMasked(self.call("mail.message", "read", message.ids, ["body", "preview"]))
        self.assertMasked(self.call("mail.message", "search_read", [("id", "=", message.id)], ["body"]))
        answer = self.json(
            "/mail/thread/messages", thread_model="rs.service.record", thread_id=self.current_visit.id
        )
        self.assertIn("183 9999 0000", json.dumps(answer, ensure_ascii=False))

    def test_mail_still_reaches_the_real_address(self):
        """Wang Qiang opens Sun Mei's chatter, then writes to her on his visit: the mail goes
        to her real address."""
        answer = self.json(
            "/mail/thread/data",
            thread_model="res.partner",
            thread_id=self.customer.id,
            request_list=["followers", "suggestedRecipients"],
        )
        self.assertNothingPersonal(answer)
        self.post_message(
            "rs.service.record", self.later_visit.id, "I will come at nine.", [self.customer.id]
        )
        message = self.later_visit.message_ids[0]
        self.assertIn("I will come at nine.", str(message.body))
        notification = message.notification_ids.filtered(lambda n: n.res_partner_id == self.customer)
        self.assertEqual(notification.notification_type, "email")
        mail = notification.mail_mail_id
        self.assertIn(self.customer, mail.recipient_ids)
        outgoing = mail._prepare_outgoing_list()
        self.assertIn(REAL["email"], " ".join(str(email["email_to"]) for email in outgoing))

    def test_form_onchanges(self):
        """The answers of a form's onchange: Sun Mei's form with its city changed, a new contact
        under her (Odoo copies her address into it), and the visit's form with its customer
        sent as the record the form holds."""
        spec = {
            fname: {}
            for fname in ("phone", "mobile", "email", "street", "street2", "contact_address", "display_name")
        }
        answer = self.call(
            "res.partner", "onchange", [self.customer.id], {"city": "Hangzhou"}, ["city"], spec
        )
        self.assertMasked(answer)
        answer = self.call(
            "res.partner",
            "onchange",
            [],
            {"parent_id": self.customer.id, "type": "contact", "name": "Neighbour"},
            ["parent_id"],
            {**spec, "parent_id": {"fields": {"display_name": {}, "street": {}}}},
            context={"show_address": True},
        )
        self.assertMasked(answer)
        partner_spec = {"fields": {**spec, "contact_address_inline": {}}}
        visit_spec = {
            "partner_id": partner_spec,
            "household_id": {"fields": {"display_name": {}, "street": {}}},
            "notes": {},
        }
        # the visit's form as it opens (every field answered), on his visit and on a new one,
        # its customer sent as an id or as the record the form holds
        for values in ({"partner_id": self.customer.id}, {"partner_id": {"id": self.customer.id}}):
            for ids in (self.later_visit.ids, []):
                with self.subTest(values=values, ids=ids):
                    answer = self.call("rs.service.record", "onchange", ids, values, [], visit_spec)
                    self.assertMasked(answer)
        # the customer of the visit going on now is shown in full
        answer = self.call(
            "rs.service.record", "onchange", [], {"partner_id": self.visible.id}, [], visit_spec
        )
        self.assertIn("9999 0000", json.dumps(answer))

    def test_blacklist_flags(self):
        """Sun Mei's address and number were blacklisted (a guess of them would be); Li Na's
        were not. Searching and reading the flags answers alike for both; the same search
        finds Zhou Bo, whose visit is now."""
        Partner = self.env["res.partner"]
        other = Partner.create(
            {
                "name": "Li Na",
                "rs_is_resident_customer": True,
                "email": "li.na@example.com",
                "mobile": "+86 183 1111 2222",
            }
        )
        self.env["mail.blacklist"]._add(REAL["email"])
        self.env["phone.blacklist"]._add([self.customer.phone_sanitized, self.visible.phone_sanitized])
        ids = sorted((self.customer | other).ids)
        for fname in ("is_blacklisted", "phone_sanitized_blacklisted"):
            with self.subTest(fname=fname):
                for operator, value in (("=", True), ("!=", False)):
                    self.assertFalse(
                        self.call("res.partner", "search", [("id", "in", ids), (fname, operator, value)])
                    )
                for operator, value in (("=", False), ("!=", True)):
                    self.assertEqual(
                        sorted(
                            self.call("res.partner", "search", [("id", "in", ids), (fname, operator, value)])
                        ),
                        ids,
                    )
                self.assertFalse(
                    self.call("res.users", "search", [("id", "in", self.portal_user.ids), (fname, "=", True)])
                )
        flags = ["is_blacklisted", "phone_sanitized_blacklisted", "phone_blacklisted", "mobile_blacklisted"]
        answer = self.call("res.partner", "read", ids, flags)
        self.assertEqual([row[f] for row in answer for f in flags], [False] * 2 * len(flags))
        answer = self.call("res.users", "read", self.portal_user.ids, flags)
        self.assertEqual([answer[0][f] for f in flags], [False] * len(flags))
        # Zhou Bo's number, shown to him, is blacklisted to him too
        self.assertEqual(
            self.call("res.partner", "search", [("phone_sanitized_blacklisted", "=", True)]), self.visible.ids
        )
        self.assertTrue(
            self.call("res.partner", "read", self.visible.ids, ["mobile_blacklisted"])[0][
                "mobile_blacklisted"
            ]
        )

    def test_duplicate_suspects(self):
        """Qian Li, masked, has Zhou Bo's number: Zhou Bo, whom he sees, does not list her as
        a duplicate suspect to him, nor does the filter find either."""
        twin = self.env["res.partner"].create(
            {"name": "Qian Li", "rs_is_resident_customer": True, "mobile": self.visible.mobile}
        )
        self.assertEqual(self.visible.rs_duplicate_ids, twin)  # as the desk sees them
        answer = self.call(
            "res.partner", "read", (self.visible | twin).ids, ["rs_duplicate_ids", "rs_duplicate_count"]
        )
        self.assertEqual(
            [(row["rs_duplicate_ids"], row["rs_duplicate_count"]) for row in answer], [([], 0)] * 2
        )
        domain = [("id", "in", (self.visible | twin).ids), ("rs_duplicate_suspect", "=", True)]
        self.assertFalse(self.call("res.partner", "search", domain))

    def test_the_technician_cannot_move_the_window(self):
        """A visit assigned to Wang Qiang: its customer, window, assignee, amount and invoice
        stay as the desk set them; its outcome is his to record."""
        visit = self.later_visit
        before = visit.read(
            ["partner_id", "scheduled_start", "scheduled_end", "user_id", "amount", "invoice_id", "state"]
        )
        now = fields.Datetime.to_string(fields.Datetime.now())
        for values in (
            {"scheduled_start": now},
            {"scheduled_end": now},
            {"partner_id": self.visible.id},
            {"user_id": self.role_users["service_desk"].id},
            {"amount": 1},
            {"invoice_id": False, "amount": 0},
            {"state": "in_progress"},
        ):
            with self.subTest(values=values), self.refused():
                self.save("rs.service.record", visit.id, values)
        # moving the visit of now onto another customer does not work either
        with self.refused():
            self.save("rs.service.record", self.current_visit.id, {"partner_id": self.customer.id})
        with self.refused():
            self.button("rs.service.record", visit.id, "action_cancel")
        visit.invalidate_recordset()
        self.assertEqual(
            visit.read(
                ["partner_id", "scheduled_start", "scheduled_end", "user_id", "amount", "invoice_id", "state"]
            ),
            before,
        )
        self.assertMasked(self.call("res.partner", "read", [self.customer.id], ["mobile"]))
        # the outcome is his
        self.save("rs.service.record", visit.id, {"outcome": "partly", "outcome_note": "Needs a new part"})
        self.assertEqual(visit.outcome, "partly")


@tagged("post_install", "-at_install")
class TestOwnCustomersUserAttacks(MaskingAttackCase):
    """The account keeper in the suite's views (context ``rs_mask_contacts``), where others'
    customers are masked to her."""

    def setUp(self):
        super().setUp()
        self.login_as("account_keeper")

    def suite(self, model, method, *args, **kwargs):
        return self.call(model, method, *args, context={"rs_mask_contacts": True}, **kwargs)

    def test_reads_groups_and_searches(self):
        self.assertMasked(
            self.suite("res.partner", "read", [self.customer.id], ["mobile", "email", "street"])
        )
        self.assertEqual(
            self.suite("res.partner", "read", [self.own.id], ["mobile"])[0]["mobile"], "+86 139 0571 0001"
        )
        self.assertMasked(
            self.suite(
                "res.partner",
                "web_read_group",
                [("id", "=", self.customer.id)],
                fields=[],
                groupby=["mobile"],
            )
        )
        for digit in "0123456789":
            self.assertEqual(
                self.suite("res.partner", "search_count", [("mobile", "=like", f"+86 183 {digit}%")]), 0
            )
        self.assertEqual(self.suite("res.partner", "search_count", [("mobile", "=like", "+86 139 0571%")]), 1)
        answer = self.call(
            "res.partner", "name_search", "Sun Mei", context={"rs_mask_contacts": True, "show_address": True}
        )
        self.assertMasked(answer)

    def test_a_guessed_address_finds_no_duplicate(self):
        """She enters a customer of her own with a guess of Sun Mei's address, then a wrong
        one: neither is a duplicate suspect of anyone, as far as she is shown."""
        answers = []
        for email in (REAL["email"], "sun.mei@example.net"):
            partner_id = self.create(
                "res.partner",
                {"name": f"Guess {email}", "rs_is_resident_customer": True, "email": email},
                context={"rs_mask_contacts": True},
            )
            answers.append(
                (
                    self.suite(
                        "res.partner", "read", [partner_id], ["rs_duplicate_ids", "rs_duplicate_count"]
                    ),
                    self.suite("res.partner", "search", [("rs_duplicate_suspect", "=", True)]),
                )
            )
        self.assertEqual([(a[0][0]["rs_duplicate_count"], a[1]) for a in answers], [(0, [])] * 2)
        self.assertIn(
            self.customer, self.env["res.partner"].search([("email", "=", REAL["email"])]).rs_duplicate_ids
        )

    def test_may_not_make_herself_the_salesperson(self):
        """Making herself Sun Mei's salesperson would make Sun Mei one of her own customers."""
        with self.refused():
            self.save(
                "res.partner",
                self.customer.id,
                {"user_id": self.current_user.id},
                context={"rs_mask_contacts": True},
            )
        self.assertFalse(self.customer.user_id)
        self.assertMasked(self.suite("res.partner", "read", [self.customer.id], ["mobile"]))
