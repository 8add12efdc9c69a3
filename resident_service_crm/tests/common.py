from datetime import datetime

from odoo.tests.common import TransactionCase, new_test_user

ROLES = ("technician", "user_own", "user_all", "manager", "privacy_officer")


class ResidentServiceCase(TransactionCase):
    """Staff of every role, two customers (one of them the own-user's), a team and a
    service type; records created without tracking noise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"rs_case_{role}",
                name=f"RS {role}",
                groups=f"base.group_user,resident_service_crm.group_{role}",
            )
            for role in ROLES
        }
        cls.colleague = new_test_user(
            cls.env, login="rs_case_colleague", groups="base.group_user,resident_service_crm.group_user_own"
        )
        cls.team = cls.env["rs.service.team"].create(
            {
                "name": "East Team",
                "leader_id": cls.users["user_all"].id,
                "member_ids": [cls.users["user_own"].id],
            }
        )
        cls.other_team = cls.env["rs.service.team"].create(
            {"name": "West Team", "leader_id": cls.colleague.id}
        )
        cls.service_type = cls.env.ref("resident_service_crm.service_type_regular_cleaning")
        cls.repair_type = cls.env.ref("resident_service_crm.service_type_plumbing")
        cls.own_customer = cls.env["res.partner"].create(
            {"name": "Wang Fang", "is_resident_customer": True, "user_id": cls.users["user_own"].id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Alice Brown", "is_resident_customer": True, "user_id": cls.colleague.id}
        )

    @classmethod
    def _service(cls, partner, start=datetime(2026, 3, 2, 9, 0), **values):
        return cls.env["rs.service.record"].create(
            {
                "partner_id": partner.id,
                "service_type_id": cls.service_type.id,
                "scheduled_start": start,
                "scheduled_end": start.replace(hour=start.hour + 2),
                "user_id": False,
                **values,
            }
        )
