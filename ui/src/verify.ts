// The verification screen: a signed PDF picked from disk (a certified copy
// from this counter or from another agency) judged in Rust as `hoso verify`
// judges it — who signed, when and whether that time is proven, the trust
// path, revocation, the PAdES level, changes after signing.

import { call, upload } from "./api";
import { type Child, errorBox, h } from "./dom";
import { said, t } from "./i18n";
import type { Said } from "./bindings/Said";
import type { SignatureView } from "./bindings/SignatureView";

function row(label: string, ...value: Child[]): HTMLElement {
  return h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, ...value));
}

function signatureCard(s: SignatureView): HTMLElement {
  const lines = (items: Said[]) => (items.length ? h("ul", {}, ...items.map((i) => h("li", {}, said(i)))) : null);
  return h(
    "section",
    { class: `signature ${s.verdict}`, "data-verdict": s.verdict, "data-level": s.level },
    h("h2", {}, `${t("ui-signature")} ${s.index}: `, h("span", { class: "verdict" }, said(s.verdict_text))),
    h(
      "table",
      {},
      h(
        "tbody",
        {},
        row(t("ui-signer"), s.signer),
        row(t("ui-issuer"), s.issuer),
        row(t("ui-signing-time"), s.time),
        row(t("ui-time-stamp"), said(s.time_text)),
        row(t("ui-pades-level"), said(s.level_text)),
        row(
          t("ui-trust-path"),
          s.trust_path.length ? s.trust_path.join(" → ") : said(s.trust_problem ?? { vi: "—", en: "—" }),
        ),
        s.revocation.length ? row(t("ui-revocation"), lines(s.revocation)) : null,
        s.changes.length ? row(t("ui-changed-after-signing"), lines(s.changes)) : null,
      ),
    ),
  );
}

export function verifyScreen(layout: (title: string, ...content: Child[]) => void): void {
  const results = h("div", { class: "verify-results", "aria-live": "polite" });
  const file = h("input", { type: "file", name: "signed", accept: "application/pdf,.pdf" }) as HTMLInputElement;
  file.addEventListener("change", async () => {
    const picked = file.files?.[0];
    if (!picked) return;
    results.replaceChildren(h("p", { class: "muted" }, `${picked.name} …`));
    try {
      const signatures = await call("verify", { file: await upload(picked) });
      results.replaceChildren(
        h("p", { class: "file" }, picked.name),
        ...(signatures.length
          ? signatures.map(signatureCard)
          : [h("div", { class: "error", role: "alert" }, t("ui-no-signature"))]),
      );
    } catch (err) {
      results.replaceChildren(errorBox(err));
    }
  });
  layout(
    t("ui-verify"),
    h("p", {}, t("ui-verify-hint")),
    h("label", { class: "field" }, h("span", {}, t("ui-signed-file")), file),
    results,
  );
}
