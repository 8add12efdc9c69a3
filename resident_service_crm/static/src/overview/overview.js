import { Component, onWillStart, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The Resident Services overview: KPI cards and small charts from `rs.overview`; each card
 * and each bar opens the list or report its number comes from.
 */
export class ResidentServicesOverview extends Component {
    static template = "resident_service_crm.Overview";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("rs.overview", "get_overview", []);
    }

    format(card) {
        if (card.value === null || card.value === undefined) {
            return "—";
        }
        if (card.kind === "percent") {
            return `${card.value.toFixed(1)} %`;
        }
        if (card.kind === "score") {
            return card.value.toFixed(1);
        }
        if (card.kind === "monetary") {
            return formatCurrency(card.value, this.state.data.currency_id, { digits: [16, 0] });
        }
        if (card.kind === "points") {
            return _t("%(points)s points", { points: formatFloat(card.value, { digits: [16, 0] }) });
        }
        return String(card.value);
    }

    open(action, extraDomain = [], name = null) {
        this.action.doAction({
            ...action,
            name: name || action.name,
            domain: [...action.domain, ...extraDomain],
        });
    }

    openCell(chart, row, column) {
        this.open(
            chart.action,
            [
                [chart.row_field, "=", row.id],
                [chart.column_field, "=", column.id],
            ],
            `${chart.title}: ${row.label} / ${column.label}`
        );
    }

    openBar(chart, bar) {
        const domain = bar.domain || [[chart.field, "=", bar.id]];
        this.open(chart.action, domain, `${chart.title}: ${bar.label}`);
    }

    barWidth(chart, bar) {
        const max = Math.max(...chart.bars.map((b) => Math.abs(b.value)), 1);
        return `${Math.round((100 * Math.abs(bar.value)) / max)}%`;
    }

    cellStyle(chart, value) {
        const max = Math.max(...chart.rows.flatMap((r) => r.values), 1);
        const alpha = value ? 0.12 + (0.6 * value) / max : 0;
        return `background-color: rgba(113, 75, 103, ${alpha.toFixed(2)});`;
    }

    get emptyText() {
        return _t("Nothing to show yet");
    }
}

registry.category("actions").add("rs_overview", ResidentServicesOverview);
