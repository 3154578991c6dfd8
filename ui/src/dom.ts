// The DOM helpers every screen uses: elements from tags, attributes and
// children, and the boxes that show what went right or wrong.

export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element; text children are escaped by the DOM. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

export function message(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorBox(err: unknown): HTMLElement {
  return h("div", { class: "error", role: "alert" }, message(err));
}

export function notice(el: HTMLElement, text: string, kind: "ok" | "error" = "ok"): void {
  el.replaceChildren(h("div", { class: kind === "ok" ? "ok" : "error", role: "status" }, text));
}
