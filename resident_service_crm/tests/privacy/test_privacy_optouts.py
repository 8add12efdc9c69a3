"""An erased customer's opt-out still blocks their address and number without showing them:
the blacklist rows go, a keyed digest stays, and the opt-out comes back to Odoo's blacklist
as soon as the address or number is stored on a contact again."""

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ...tools.personal_data import OPTOUT_EMAIL, OPTOUT_PHONE, optout_digest
from ..common import ResidentServiceCase

EMAIL = "Lin.Meihua@Example.com"
MOBILE = "+86 139 0571 6284"


@tagged("post_install", "-at_install")
class TestOptoutDigest(ResidentServiceCase):
    def test_digest_recognises_without_showing(self):
        first = optout_digest("key-1", OPTOUT_EMAIL, "lin.meihua@example.com")
        self.assertEqual(first, optout_digest("key-1", OPTOUT_EMAIL, "lin.meihua@example.com"))
        self.assertEqual(len(first), 64)
        self.assertNotIn("lin", first)
        # another key, kind or value gives another digest
        self.assertNotEqual(first, optout_digest("key-2", OPTOUT_EMAIL, "lin.meihua@example.com"))
        self.assertNotEqual(first, optout_digest("key-1", OPTOUT_PHONE, "lin.meihua@example.com"))
        self.assertNotEqual(first, optout_digest("key-1", OPTOUT_EMAIL, "lin.meihua@example.org"))
        for kind, value in (("fax", "x"), (OPTOUT_EMAIL, ""), (OPTOUT_PHONE, None)):
            with self.assertRaises(ValueError):
                optout_digest("key-1", kind, value)
        with self.assertRaises(ValueError):
            optout_digest("", OPTOUT_EMAIL, "a@b.c")


@tagged("post_install", "-at_install")
class TestErasedCustomersOptouts(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.users["privacy_officer"]
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Lin Meihua",
                "rs_is_resident_customer": True,
                "email": EMAIL,
                "mobile": MOBILE,
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.env["mail.blacklist"]._add(EMAIL, message="Unsubscribed from the newsletter")
        cls.env["phone.blacklist"]._add([cls.customer.phone_sanitized])
        cls.number = cls.customer.phone_sanitized
        cls.assertTrue(cls, cls.number)

    def _erase(self):
        request = (
            self.env["rs.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.customer.id, "request_type": "erasure"})
        )
        request.action_erase()
        return request

    def _rows_showing_the_address(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT (SELECT count(*) FROM mail_blacklist WHERE email ILIKE %s)"
                " + (SELECT count(*) FROM phone_blacklist WHERE number LIKE %s)",
                "%lin.meihua%",
                "%05716284%",
            )
        )
        return self.env.cr.fetchone()[0]

    def test_erasure_keeps_the_optout_as_a_digest(self):
        self.assertTrue(self.customer.is_blacklisted)
        self.assertTrue(self.customer.phone_sanitized_blacklisted)
        self.assertEqual(self._rows_showing_the_address(), 2)
        request = self._erase()
        self.assertEqual(self._rows_showing_the_address(), 0, "no blacklist row shows the address")
        optouts = self.env["rs.privacy.optout"].search([])
        self.assertEqual(sorted(optouts.mapped("kind")), [OPTOUT_EMAIL, OPTOUT_PHONE])
        for optout in optouts:
            self.assertNotIn("meihua", optout.digest)
            self.assertNotIn("5716284", optout.digest)
        self.assertIn("Opt-out of an Erased Customer: 2", " ".join(request.log_ids.mapped("detail")))
        # the officer reads how many are kept; a service desk user cannot
        self.assertEqual(self.env["rs.privacy.optout"].with_user(self.officer).search_count([]), 2)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["rs.privacy.optout"].with_user(self.users["user_all"]).search_count([])

    def test_optout_comes_back_with_the_address(self):
        self._erase()
        self.assertFalse(self.customer.is_blacklisted)
        self.assertEqual(self._rows_showing_the_address(), 0)
        # the same person comes back, typed another way by the service desk
        back = (
            self.env["res.partner"]
            .with_user(self.users["user_all"])
            .create(
                {
                    "name": "Lin M.",
                    "email": "lin.meihua@example.com",
                    "mobile": "139 0571 6284",
                    "country_id": self.env.ref("base.cn").id,
                }
            )
        )
        self.assertTrue(back.is_blacklisted, "the e-mail opt-out holds for the address typed again")
        self.assertTrue(back.phone_sanitized_blacklisted, "so does the text-message opt-out")
        self.assertFalse(self.env["rs.privacy.optout"].search([]), "the digests went back to the blacklists")
        self.assertEqual(self._rows_showing_the_address(), 2)

    def test_optout_comes_back_when_an_address_is_written(self):
        self._erase()
        other = self.env["res.partner"].create({"name": "Zhou Lan", "email": "zhou.lan@example.com"})
        self.assertFalse(other.is_blacklisted, "another address is not blocked")
        self.assertEqual(self.env["rs.privacy.optout"].search_count([]), 2)
        other.with_user(self.users["user_all"]).write({"email": "LIN.MEIHUA@example.com"})
        self.assertTrue(other.is_blacklisted)
        self.assertEqual(self.env["rs.privacy.optout"].search([]).mapped("kind"), [OPTOUT_PHONE])

    def test_keeping_the_same_optout_twice_adds_nothing(self):
        Optout = self.env["rs.privacy.optout"]
        self.assertEqual(Optout._keep(OPTOUT_EMAIL, ["a.b@example.com", "c.d@example.com"]), 2)
        self.assertEqual(Optout._keep(OPTOUT_EMAIL, ["a.b@example.com"]), 0)
        self.assertEqual(Optout.search_count([]), 2)

    def test_a_client_cannot_write_optouts(self):
        Optout = self.env["rs.privacy.optout"].with_user(self.officer)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Optout.create({"kind": OPTOUT_EMAIL, "digest": "0" * 64})
