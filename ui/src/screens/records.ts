// The list of records (filtered by state) and the form that opens a new one,
// the applicant read from the identity card when there is one.

import { call, upload } from "../api";
import { type Attrs, errorBox, h, notice } from "../dom";
import { recordStates, stateLabel, t } from "../i18n";
import type { ApplicantView } from "../bindings/ApplicantView";
import { field, imageTypes, layout, opened } from "../shell";

export async function recordsScreen(): Promise<void> {
  const here = opened();
  const filter = new URLSearchParams(location.hash.split("?")[1] ?? "").get("state") ?? "";
  const rows = await call("records", { state: filter || null });
  const select = h(
    "select",
    {
      name: "state",
      onchange: (e: Event) => {
        location.hash = `#/records?state=${(e.target as HTMLSelectElement).value}`;
      },
    },
    h("option", { value: "" }, t("ui-all")),
    ...recordStates.map((s) => h("option", { value: s, selected: s === filter }, stateLabel(s))),
  );
  const table = h(
    "table",
    { class: "records" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...(["ui-code", "ui-applicant", "ui-procedure", "ui-state", "ui-received", "ui-pages"] as const).map((k) =>
          h("th", {}, t(k)),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          {},
          h("td", {}, h("a", { href: `#/record/${r.code}` }, r.code)),
          h("td", {}, r.applicant),
          h("td", {}, r.procedure),
          h("td", {}, h("span", { class: `state ${r.state}` }, stateLabel(r.state))),
          h("td", {}, r.received_at),
          h("td", {}, `${r.pages}${r.pages_pending ? ` (${r.pages_pending} ${t("ui-waiting-ocr")})` : ""}`),
        ),
      ),
    ),
  );
  if (!here()) return;
  layout(t("ui-records"), field("ui-state", select), table);
}

export async function newRecordScreen(): Promise<void> {
  const here = opened();
  const procedures = await call("procedures");
  const checklist = h("ul", { class: "checklist" });
  const procedure = h("select", { name: "procedure", required: true }) as HTMLSelectElement;
  for (const p of procedures) procedure.append(h("option", { value: p.code }, `${p.code} — ${p.name}`));
  const showChecklist = () => {
    const p = procedures.find((x) => x.code === procedure.value);
    checklist.replaceChildren(
      ...(p?.components ?? []).map((c) =>
        h(
          "li",
          {},
          h("b", {}, c.code),
          ` ${c.name} `,
          h("small", {}, c.required ? t("ui-required") : t("ui-optional")),
          c.needs_certification ? h("small", { class: "cert" }, ` · ${t("ui-needs-cert")}`) : null,
        ),
      ),
    );
  };
  procedure.addEventListener("change", showChecklist);
  showChecklist();
  const input = (name: string, attrs: Attrs = {}) => h("input", { name, ...attrs }) as HTMLInputElement;
  const name = input("name", { required: true });
  const personalId = input("personal_id", { inputmode: "numeric", pattern: "[0-9]{12}" });
  const phone = input("phone", { inputmode: "tel" });
  const address = input("address");
  const cardFile = input("card_file", { type: "file", accept: imageTypes, class: "visually-hidden", tabindex: -1 });
  const status = h("div");
  cardFile.addEventListener("change", () => {
    const file = cardFile.files?.[0];
    cardFile.value = "";
    if (file) void readCard(file);
  });
  /** A picked card image, or the card on the scanner's glass. */
  const readCard = async (file?: File) => {
    try {
      notice(status, "…");
      const a = await call("read_card", file ? { file: await upload(file) } : {});
      name.value = a.name;
      personalId.value = a.personal_id ?? "";
      address.value = a.address ?? "";
      notice(status, `${t("ui-read-card")}: ${a.name}`);
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  };
  const form = h(
    "form",
    {
      class: "new-record",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          const applicant: ApplicantView = {
            name: name.value,
            personal_id: personalId.value || null,
            phone: phone.value || null,
            address: address.value || null,
          };
          const r = await call("record_new", { procedure: procedure.value, applicant });
          location.hash = `#/record/${r.code}`;
        } catch (err) {
          status.replaceChildren(errorBox(err));
        }
      },
    },
    field("ui-procedure", procedure),
    h("h2", {}, t("ui-checklist")),
    checklist,
    h(
      "fieldset",
      {},
      h("legend", {}, t("ui-applicant")),
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", class: "read-card", onclick: () => readCard() }, t("ui-read-card")),
        h("button", { type: "button", class: "card-file", onclick: () => cardFile.click() }, t("ui-card-file")),
        cardFile,
      ),
      field("ui-name", name),
      field("ui-personal-id", personalId),
      field("ui-phone", phone),
      field("ui-address", address),
    ),
    h("button", { type: "submit" }, t("ui-create")),
    status,
  );
  if (!here()) return;
  layout(t("ui-new-record"), form);
  procedure.focus();
}
