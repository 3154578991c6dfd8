// The window speaks one language at a time: Vietnamese by default, English
// on request, the choice remembered. Its texts are the message catalogue the
// CLI and the desktop use (assets/i18n/*.ftl, Project Fluent), rendered by
// Mozilla's @fluent/bundle; tsc checks every id and its arguments against
// bindings/Messages.ts, which the Rust side makes from the same files.

import { FluentBundle, FluentResource } from "@fluent/bundle";
import vi from "../../assets/i18n/vi.ftl?raw";
import en from "../../assets/i18n/en.ftl?raw";
import type { MessageArgs, MessageId } from "./bindings/Messages";
import type { RecordState } from "./bindings/RecordState";
import type { Said } from "./bindings/Said";

function bundle(locale: string, source: string): FluentBundle {
  const b = new FluentBundle(locale, { useIsolating: false });
  b.addResource(new FluentResource(source));
  return b;
}

const bundles = [bundle("vi", vi), bundle("en", en)] as const;

let lang: 0 | 1 = localStorage.getItem("hoso.lang") === "en" ? 1 : 0;

/** A message that takes no arguments: a label. */
export type Label = { [K in MessageId]: MessageArgs[K] extends Record<string, never> ? K : never }[MessageId];

/** The message `id` in the window's language (the id itself if the catalogue lacks it). */
export function t<K extends MessageId>(
  id: K,
  ...args: MessageArgs[K] extends Record<string, never> ? [] : [MessageArgs[K]]
): string {
  const b = bundles[lang];
  const pattern = b.getMessage(id)?.value;
  return pattern ? b.formatPattern(pattern, args[0]) : id;
}

/** A text the Rust side said in both languages, in the window's. */
export function said(s: Said): string {
  return lang === 1 ? s.en : s.vi;
}

export function toggleLanguage(): void {
  lang = lang === 0 ? 1 : 0;
  localStorage.setItem("hoso.lang", lang === 1 ? "en" : "vi");
  document.documentElement.lang = lang === 1 ? "en" : "vi";
}

export function isEnglish(): boolean {
  return lang === 1;
}

/** The name of a record state (tsc refuses a state the catalogue lacks). */
export function stateLabel(state: RecordState): string {
  return t(`state-${state}`);
}

/** Every record state, in the order of a record's life (tsc refuses one left out). */
const states: Record<RecordState, number> = {
  draft: 0,
  scanning: 1,
  processing: 2,
  review: 3,
  certification: 4,
  sealed: 5,
  queued: 6,
  synced: 7,
  rejected: 8,
};

export const recordStates = (Object.keys(states) as RecordState[]).sort((a, b) => states[a] - states[b]);

const issues: Record<string, Extract<MessageId, `issue-${string}`>> = {
  blank: "issue-blank",
  blurred: "issue-blurred",
  too_dark: "issue-too-dark",
  faint: "issue-faint",
  low_dpi: "issue-low-dpi",
  no_dpi: "issue-no-dpi",
};

/** The name of a page issue the quality gate reports (its code if unknown). */
export function issueLabel(issue: string): string {
  const id = issues[issue];
  return id ? t(id) : issue;
}
