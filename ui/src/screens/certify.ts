// The supervisor's certification queue: records whose copies wait for a
// certified copy, certified in a batch with the token's PIN.

import { call } from "../api";
import { errorBox, h, notice } from "../dom";
import { t } from "../i18n";
import type { TokenView } from "../bindings/TokenView";
import { field, layout, opened, refreshWhileBusy } from "../shell";
import { showPage } from "./pages";

export async function certifyScreen(): Promise<void> {
  const here = opened();
  const status = h("div", { class: "status" });
  const [queue, tokens] = await Promise.all([
    call("certification_queue"),
    call("tokens").catch((err) => {
      status.replaceChildren(errorBox(err));
      return [] as TokenView[];
    }),
  ]);
  if (!location.hash.startsWith("#/certify")) return;
  const certificate = h(
    "select",
    { name: "certificate" },
    ...tokens.map((c) => h("option", { value: c.fingerprint }, `${c.subject} — ${c.token} (${c.not_after})`)),
  ) as HTMLSelectElement;
  const pin = h("input", {
    name: "pin",
    type: "password",
    autocomplete: "off",
    inputmode: "numeric",
  }) as HTMLInputElement;
  const title = h("input", { name: "title", value: "" }) as HTMLInputElement;
  const boxes = queue.map(
    (r) => h("input", { type: "checkbox", name: "record", value: r.code, checked: true }) as HTMLInputElement,
  );
  const form = h(
    "form",
    {
      class: "certify",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const codes = boxes.filter((b) => b.checked).map((b) => b.value);
        try {
          const task = await call("certify", {
            codes,
            pin: pin.value,
            certificate: certificate.value || null,
            title: title.value || null,
          });
          pin.value = "";
          notice(status, `${t("ui-certification")}: ${codes.join(", ")} (#${task.id})`);
          refreshWhileBusy(certifyScreen);
        } catch (err) {
          status.replaceChildren(errorBox(err));
        }
      },
    },
    queue.length
      ? h(
          "table",
          { class: "queue" },
          h(
            "tbody",
            {},
            ...queue.map((r, i) =>
              h(
                "tr",
                {},
                h("td", {}, boxes[i]),
                h("td", {}, h("a", { href: `#/record/${r.code}` }, r.code)),
                h("td", {}, r.applicant),
                h("td", {}, r.procedure),
                h("td", {}, h("button", { type: "button", onclick: () => previewRecord(r.code) }, t("ui-view"))),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, t("ui-nothing-waiting")),
    field("ui-certificate", certificate),
    field("ui-title", title),
    field("ui-pin", pin),
    h("button", { type: "submit", disabled: !queue.length }, t("ui-certify-selected")),
  );
  if (!here()) return;
  layout(t("ui-certify-queue"), form, status);
}

export async function previewRecord(code: string): Promise<void> {
  const r = await call("record", { code });
  const c =
    r.components.find((x) => x.needs_certification && x.pages.length) ?? r.components.find((x) => x.pages.length);
  if (c) await showPage(code, c.pages[0].id, c.ordinal);
}
