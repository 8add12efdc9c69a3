"""From this version on, approvals are written by the approval action only. A compensation
that a client marked approved beyond what its approver may approve, and that is not carried
out yet, goes back to the approval queue, with a note in its chatter; one carried out already
is left as it is and gets the note, so that a manager sees it. Reveal logs are kept with their
customer from now on: the ORM turns their foreign key into ``ON DELETE RESTRICT`` itself."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    manager = env.ref("resident_service_crm.group_manager")
    cr.execute(
        """
        SELECT line.id
          FROM rs_complaint_compensation AS line
          JOIN res_company AS company ON company.id = line.company_id
         WHERE line.state IN ('approved', 'to_post', 'done')
           AND line.amount > COALESCE(company.rs_compensation_approval_limit, 0)
           AND line.approved_by_id IS DISTINCT FROM company.rs_compensation_approver_id
           AND NOT EXISTS (
                   SELECT 1
                     FROM res_groups_users_rel AS rel
                    WHERE rel.uid = line.approved_by_id
                      AND rel.gid = %s
               )
        """,
        (manager.id,),
    )
    lines = env["rs.complaint.compensation"].browse([row[0] for row in cr.fetchall()])
    waiting = lines.filtered(lambda line: line.state == "approved")
    if waiting:
        waiting.write({"state": "to_approve", "approved_by_id": False, "approved_date": False})
        waiting._request_approval()
    for line in lines:
        line.message_post(
            body=env._(
                "This compensation was marked approved beyond its approver's limit before the "
                "approval became the server's own step; it needs a manager's approval."
            ),
            message_type="notification",
        )
