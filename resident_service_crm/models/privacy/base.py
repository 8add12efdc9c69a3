"""Masking, enforced in one place for every model (个人信息脱敏).

The registry of personal data (``res.partner._rs_personal_data``) names the masked fields
of each model; every field related to one of them, on any model (a user's e-mail, a
follower's), is masked with it. A masked user then gets masked values wherever a client
reaches them:

- values: ``_read_format`` (read, web_read, search_read, a form's onchange, the mail store) and
  ``_export_rows`` (export); a display name that shows an address or an e-mail is masked
  where it is computed (a many2one's name is computed as superuser);
- SQL: ``_field_to_sql``, which every domain, ordering, grouping and aggregate of the ORM
  goes through, gives a masked row's value as ``****``, so a search on a masked field
  gives the same answer whatever the real value; Odoo fetches the real values to compute
  with (``_fetch_query`` reads as superuser), and its own searches as superuser (mail
  finding a partner by address) keep the real values;
- flags computed from masked values (``FLAG``: blacklisted) read False on a masked row, and
  their searches count it as not flagged (``_rs_flag_search_domain``).
"""

from collections import defaultdict
from dataclasses import dataclass

from odoo import api, models, tools
from odoo.api import NewId
from odoo.osv import expression
from odoo.tools import SQL

from ...tools.masking import MASK, phone_spellings
from ...tools.personal_data import DERIVED, FLAG, PHONE, SEARCH, masked, masked_derived


@dataclass(frozen=True)
class MaskedField:
    """How a field of a model is masked: its kind, and the field of the registry it shows
    (``path`` from the row to the record that holds it, empty for the row itself)."""

    kind: str
    path: str
    model: str
    field: str


class Base(models.AbstractModel):
    _inherit = "base"

    # ------------------------------------------------------------------
    # WHAT IS MASKED
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _rs_mask_plan(self):
        """{field: MaskedField} of this model: its own fields in the registry, and every
        field related to a masked field of another model."""
        kinds = self.env["res.partner"]._rs_masked_field_kinds()
        plan = {}
        for fname in self._fields:
            spec = self._rs_mask_spec(fname, kinds)
            if spec:
                plan[fname] = spec
        return plan

    def _rs_mask_spec(self, fname, kinds):
        """The MaskedField of one field, following its ``related`` chain to the registry."""
        kind = kinds.get(self._name, {}).get(fname)
        if kind:
            return MaskedField(kind, "", self._name, fname)
        field = self._fields[fname]
        if not field.related:
            return None
        *path, last = field.related.split(".")
        model = self
        for part in path:
            if part not in model._fields or not model._fields[part].comodel_name:
                return None
            model = self.env[model._fields[part].comodel_name]
        if last not in model._fields or (model._name == self._name and last == fname):
            return None
        target = model._rs_mask_spec(last, kinds)
        if not target:
            return None
        return MaskedField(
            target.kind, ".".join(p for p in (*path, target.path) if p), target.model, target.field
        )

    def _rs_masked_row_ids(self):
        """Ids of the rows of ``self`` masked to the current user: those none of whose
        customers the user may see. A new row (a form's onchange) is masked as the record it
        edits, or, when it edits none, as the customers it is about
        (``_rs_new_row_customers``): its values are computed from theirs."""
        Partner = self.env["res.partner"]
        if not self._ids or not Partner._rs_masking_role():
            return set()
        stored = {rid: rid for rid in self._ids if isinstance(rid, int)}
        stored.update({rid: rid.origin for rid in self._ids if isinstance(rid, NewId) and rid.origin})
        hidden = self._rs_masked_stored_ids(sorted(set(stored.values()))) if stored else set()
        result = {rid for rid, origin in stored.items() if origin in hidden}
        for rid in self._ids:
            if isinstance(rid, NewId) and not rid.origin:
                customers = sorted(set(self.browse([rid])._rs_new_row_customers().ids))
                if customers and len(Partner._rs_masked_stored_ids(customers)) == len(customers):
                    result.add(rid)
        return result

    @api.model
    def _rs_masked_stored_ids(self, ids):
        """The ids among ``ids`` (rows in the database) masked to the current user."""
        # sudo: which rows are masked is decided on every row, whatever the user may read
        visible = (
            self.sudo()
            .with_context(active_test=False)
            ._search([("id", "in", ids), ("id", "in", self._rs_visible_rows_sql())])
        )
        return set(ids) - set(visible)

    def _rs_new_row_customers(self):
        """The customers a new row is about, along the registry's path from a row to them."""
        entry = self.env["res.partner"]._rs_personal_entries().get(self._name)
        if not entry or entry.customer == "id":
            return self.env["res.partner"]
        # sudo: the row's customers decide its masking, whatever the user may read
        return self.sudo().mapped(entry.customer)

    def _rs_visible_rows_sql(self):
        """SQL selecting the rows of this model that show at least one customer the current
        user may see, along the registry's path from a row to its customers."""
        Partner = self.env["res.partner"]
        entry = Partner._rs_personal_entries()[self._name]
        # sudo: which rows are masked is decided on every row, whatever the user may read
        partners = (
            Partner.sudo()
            .with_context(active_test=False)
            ._search([("id", "in", Partner._rs_visible_rows_sql())])
        )
        query = self.sudo().with_context(active_test=False)._search([(entry.customer, "in", partners)])
        return SQL("(%s)", query.subselect())

    def _rs_mask_sources(self):
        """The fields of this model's own registry entry masked on their own (a phone, an
        e-mail, a street), whose values the derived texts show."""
        return [
            fname
            for fname, spec in self._rs_mask_plan().items()
            if not spec.path and spec.kind not in (DERIVED, SEARCH, FLAG)
        ]

    def _rs_masked_owner_values(self, fnames, ids):
        """{id: {field: masked value}} of the rows among ``ids`` masked to the current user,
        for fields of this model's own registry entry."""
        masked_ids = self.browse(ids)._rs_masked_row_ids()
        if not masked_ids:
            return {}
        plan = self._rs_mask_plan()
        sources = self._rs_mask_sources()
        result = {}
        # sudo: the real values, to mask them
        for record in self.browse([rid for rid in dict.fromkeys(ids) if rid in masked_ids]).sudo():
            region = record._rs_mask_region()
            hidden = {fname: masked(plan[fname].kind, record[fname], region) for fname in sources}
            pairs = record._rs_mask_pairs() if any(plan[f].kind == DERIVED for f in fnames) else []
            values = {}
            for fname in fnames:
                if fname in hidden:
                    values[fname] = hidden[fname]
                elif plan[fname].kind == DERIVED:
                    values[fname] = masked_derived(record[fname], pairs)
                else:
                    values[fname] = masked(plan[fname].kind, record[fname], region)
            result[record.id] = values
        return result

    def _rs_mask_region(self):
        """The country whose numbering plan reads this row's phone numbers."""
        country = self["country_id"] if "country_id" in self._fields else self.env["res.country"]
        return (country or self.env.company.country_id).code

    def _rs_masked_values_of(self, fnames):
        """{id: {field: masked value}} of the rows of ``self`` for ``fnames`` (fields of this
        model's plan), whichever record of the registry each field shows."""
        plan = self._rs_mask_plan()
        by_owner = defaultdict(list)
        for fname in fnames:
            by_owner[plan[fname].path, plan[fname].model].append(fname)
        result = defaultdict(dict)
        for (path, model), names in by_owner.items():
            if not path:
                for rid, values in self._rs_masked_owner_values(names, self._ids).items():
                    result[rid].update(values)
                continue
            # sudo: the record whose value is shown, to decide and mask it
            owners = {record.id: record.mapped(path) for record in self.sudo()}
            owner_ids = list(dict.fromkeys(oid for owner in owners.values() for oid in owner._ids))
            hidden = self.env[model]._rs_masked_owner_values([plan[n].field for n in names], owner_ids)
            for rid, owner in owners.items():
                if len(owner) == 1 and owner.id in hidden:
                    result[rid].update({n: hidden[owner.id][plan[n].field] for n in names})
        return result

    def _rs_mask_pairs(self):
        """[(real value, masked value)] of this row's masked fields, to mask a text that
        shows them (a display name, a message about the row); a new row's own values and
        those of the record it edits, which a text computed in a form may still show."""
        self.ensure_one()
        plan = self._rs_mask_plan()
        pairs = {}
        # sudo: the real values, to mask them
        for real in (self.sudo(), self.sudo()._origin):
            if real:
                region = real._rs_mask_region()
                for s in self._rs_mask_sources():
                    hidden = masked(plan[s].kind, real[s], region)
                    pairs.setdefault(real[s], hidden)
                    if plan[s].kind == PHONE:
                        # a text may write the number otherwise (18345678901)
                        for spelling in phone_spellings(real[s], region):
                            pairs.setdefault(spelling, hidden)
        return list(pairs.items())

    def _rs_mask_derived_names(self, fname):
        """Mask, as just computed on ``self``, a text that shows masked fields (a display
        name with the address or the e-mail)."""
        masked_ids = self._rs_masked_row_ids()
        for record in self.browse([rid for rid in self._ids if rid in masked_ids]):
            record[fname] = masked_derived(record[fname], record._rs_mask_pairs())

    # ------------------------------------------------------------------
    # VALUES A CLIENT READS
    # ------------------------------------------------------------------

    def _read_format(self, fnames, load="_classic_read"):
        # read, web_read, search_read, web_search_read and the mail store all come here
        result = super()._read_format(fnames, load)
        plan = self._rs_mask_plan()
        touched = [f for f in fnames if f in plan and plan[f].kind != SEARCH and f != "display_name"]
        if touched and result and self.env["res.partner"]._rs_masking_role():
            hidden = self.browse([vals["id"] for vals in result])._rs_masked_values_of(touched)
            for vals in result:
                for fname, value in hidden.get(vals["id"], {}).items():
                    if vals.get(fname):
                        vals[fname] = value
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        plan = self._rs_mask_plan()
        positions = [
            i
            for i, path in enumerate(fields)
            if len(path) == 1
            and path[0] in plan
            and plan[path[0]].kind != SEARCH
            and path[0] != "display_name"
        ]
        if not positions or not self.env["res.partner"]._rs_masking_role():
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # One call for all the records, as Odoo's export keeps state for the whole call (its
        # cache of properties, the external ids); an extra ".id" column tells each record's
        # own row from the rows of its sub-records, and is dropped before returning.
        rows = super()._export_rows([*fields, [".id"]], _is_toplevel_call=_is_toplevel_call)
        names = [fields[i][0] for i in positions]
        hidden = self._rs_masked_values_of(names)
        for row in rows:
            record_id = row.pop()
            values = record_id and hidden.get(int(record_id))
            if values:
                for i, name in zip(positions, names, strict=True):
                    if row[i] and name in values:
                        row[i] = values[name] if isinstance(values[name], bool) else values[name] or ""
        return rows

    # ------------------------------------------------------------------
    # SEARCHING, ORDERING, GROUPING
    # ------------------------------------------------------------------

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        spec = self._rs_mask_plan().get(fname) if not self.env.su else None
        if (
            not spec
            or spec.kind in (SEARCH, FLAG)
            or fname == "display_name"
            or not self.env["res.partner"]._rs_masking_role()
        ):
            return super()._field_to_sql(alias, fname, query, flush)
        field = self._fields[fname]
        if field.related and not field.store and query is not None:
            # Odoo joins the related record as superuser; the user's masking holds there too
            model, target, target_alias = self._traverse_related_sql(alias, field, query)
            return model.with_env(self.env)._field_to_sql(target_alias, target.name, query, flush)
        sql = super()._field_to_sql(alias, fname, query, flush)
        if spec.path:
            visible = self._rs_visible_rows_by_path_sql(spec)
        else:
            visible = self._rs_visible_rows_sql()
        if spec.kind == DERIVED:
            plan = self._rs_mask_plan()
            hidden = sql
            for source, source_spec in plan.items():
                if (
                    source_spec.path
                    or source_spec.kind in (DERIVED, SEARCH, FLAG)
                    or not self._fields[source].store
                ):
                    continue
                column = SQL.identifier(alias, source)
                hidden = SQL("REPLACE(%s, COALESCE(NULLIF(%s, ''), chr(1)), %s)", hidden, column, MASK)
        else:
            hidden = SQL("%s", MASK)
        return SQL(
            "(CASE WHEN %s IN %s OR %s IS NULL OR %s = '' THEN %s ELSE %s END)",
            SQL.identifier(alias, "id"),
            visible,
            sql,
            sql,
            sql,
            hidden,
        )

    def _rs_flag_search_domain(self, domain, operator, value):
        """The domain of a search on a flag computed from masked values (``FLAG``: the
        blacklist's), as the flag reads to the current user: a masked row is never flagged,
        whatever its hidden value, so that blacklisting a guessed address or number and
        searching tells nothing."""
        if (
            self.env.su
            or self._name not in self.env["res.partner"]._rs_personal_entries()
            or not self.env["res.partner"]._rs_masking_role()
        ):
            return domain
        flagged = (operator == "=") == bool(value)
        if flagged:
            return expression.AND([domain, [("id", "in", self._rs_visible_rows_sql())]])
        return expression.OR([domain, [("id", "not in", self._rs_visible_rows_sql())]])

    def _rs_visible_rows_by_path_sql(self, spec):
        """SQL selecting the rows of this model whose value of a stored related field comes
        from a record the user may see."""
        owner = self.env[spec.model]
        # sudo: which rows are masked is decided on every row, whatever the user may read
        targets = (
            owner.sudo().with_context(active_test=False)._search([("id", "in", owner._rs_visible_rows_sql())])
        )
        query = self.sudo().with_context(active_test=False)._search([(spec.path, "in", targets)])
        return SQL("(%s)", query.subselect())

    def _fetch_query(self, query, fields):
        # Odoo computes with the real values: the cache holds them, whoever reads
        if not self.env.su and self._rs_mask_plan() and self.env["res.partner"]._rs_masking_role():
            return super(Base, self.sudo())._fetch_query(query, fields).with_env(self.env)
        return super()._fetch_query(query, fields)
