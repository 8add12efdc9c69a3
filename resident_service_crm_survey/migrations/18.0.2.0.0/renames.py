"""The field resident_service_crm_survey adds to the suite's own complaints, renamed in
18.0.2.0.0: nothing on the suite's own models carries the ``rs_`` prefix. (model, name
before, name after)"""

RENAMES = [
    ("rs.complaint", "rs_survey_result_ids", "survey_result_ids"),
]
