"""Consents belong to a company: before the column becomes required, the consents of
customers shared by all companies go to the company of the user who recorded them, else
to the first company; the changes log follows its consent; the old unique key goes."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE rs_consent AS c
           SET company_id = COALESCE(
                   (SELECT u.company_id FROM res_users u WHERE u.id = c.user_id),
                   (SELECT MIN(id) FROM res_company)
               )
         WHERE c.company_id IS NULL
        """
    )
    cr.execute(
        """
        UPDATE rs_consent_event AS e
           SET company_id = c.company_id
          FROM rs_consent c
         WHERE c.id = e.consent_id AND e.company_id IS DISTINCT FROM c.company_id
        """
    )
    cr.execute("ALTER TABLE rs_consent DROP CONSTRAINT IF EXISTS rs_consent_partner_purpose_channel_uniq")
    cr.execute("DELETE FROM ir_model_constraint WHERE name = 'rs_consent_partner_purpose_channel_uniq'")
