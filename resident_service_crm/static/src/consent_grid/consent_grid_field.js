import { Component, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A customer's consents as the grid the customer sees on the portal: one row a purpose,
 * one column a channel, each cell the current answer. Choosing an answer in a cell updates
 * that consent, or adds it when the customer was never asked; the server dates it, names who
 * recorded it and keeps the change in the consent's history when the form is saved.
 */
export class ConsentGridField extends Component {
    static template = "resident_service_crm.ConsentGridField";
    static components = { Dropdown, DropdownItem };
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ selections: null });
        onWillStart(async () => {
            const fields = await this.orm.call("rs.consent", "fields_get", [["purpose", "channel", "state"]], {
                attributes: ["selection"],
            });
            this.state.selections = {
                purposes: fields.purpose.selection,
                channels: fields.channel.selection,
                states: fields.state.selection,
            };
        });
    }

    get list() {
        return this.props.record.data[this.props.name];
    }

    get isReadonly() {
        return this.props.readonly;
    }

    consentOf(purpose, channel) {
        return this.list.records.find(
            (record) => record.data.purpose === purpose && record.data.channel === channel
        );
    }

    stateLabel(state) {
        const option = this.state.selections.states.find(([value]) => value === state);
        return option ? option[1] : _t("Not asked");
    }

    cellClass(consent) {
        const state = consent && consent.data.state;
        if (state === "given") {
            return "text-bg-success";
        }
        if (state === "refused" || state === "withdrawn") {
            return "text-bg-danger";
        }
        return "text-bg-light text-muted";
    }

    cellIcon(consent) {
        const state = consent && consent.data.state;
        if (state === "given") {
            return "fa-check";
        }
        if (state === "refused" || state === "withdrawn") {
            return "fa-times";
        }
        return "fa-minus";
    }

    async answer(purpose, channel, state) {
        const consent = this.consentOf(purpose, channel);
        if (consent) {
            if (consent.data.state !== state) {
                // how the answer was taken now (the form's default, e.g. a phone call)
                const source = this.list.context.default_source;
                await consent.update(source ? { state, source } : { state });
            }
            return;
        }
        await this.list.addNewRecord({
            context: { default_purpose: purpose, default_channel: channel, default_state: state },
            position: "bottom",
        });
    }
}

export const consentGridField = {
    component: ConsentGridField,
    displayName: _t("Consent grid"),
    supportedTypes: ["one2many"],
    relatedFields: [
        { name: "purpose", type: "selection", readonly: false },
        { name: "channel", type: "selection", readonly: false },
        { name: "state", type: "selection", readonly: false },
        { name: "source", type: "selection", readonly: false },
    ],
};

registry.category("fields").add("rs_consent_grid", consentGridField);
