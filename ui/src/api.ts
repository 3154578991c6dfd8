// The one door to the Rust side: `call(command, args)`. In the Tauri window it
// is `invoke("call", …)`; in a browser (UI tests) the same command goes to the
// loopback bridge (`POST /api/call`), which runs the same Rust code.

import type { CallError as CallErrorBody } from "./bindings/CallError";
import type { Command } from "./bindings/Command";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { FileUpload } from "./bindings/FileUpload";
import type { Reply } from "./bindings/Reply";
import { said as saidIn } from "./i18n";

type TauriWindow = Window & { __TAURI_INTERNALS__?: unknown };

/** The commands, their arguments and their results, as the Rust side
 * declares them (src-tauri/src/command.rs, exported by ts-rs). */
export type CommandName = Command["command"];
export type ArgsOf<C extends CommandName> = Extract<Command, { command: C }>["args"];
export type ResultOf<C extends CommandName> = Extract<Reply, { command: C }>["result"];
/** A command that needs nothing may be called without arguments. */
export type ArgList<C extends CommandName> = {} extends ArgsOf<C> ? [args?: ArgsOf<C>] : [args: ArgsOf<C>];

/** A refused or failed call: the code says what kind, the message says why. */
export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The refusal in the language the window shows. */
function callError(body: unknown, fallback: string): CallError {
  const e = body as Partial<CallErrorBody> | null;
  const said = e?.message;
  return new CallError(e?.code ?? "failed", said ? saidIn(said) : fallback);
}

export async function call<C extends CommandName>(command: C, ...rest: ArgList<C>): Promise<ResultOf<C>> {
  const args = rest[0] ?? {};
  if ((window as TauriWindow).__TAURI_INTERNALS__) {
    const { invoke } = await import("@tauri-apps/api/core");
    try {
      return await invoke<ResultOf<C>>("call", { command, args });
    } catch (err) {
      throw callError(err, String(err));
    }
  }
  const response = await fetch("/api/call", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ command, args }),
  });
  const body = await response.json();
  if (!response.ok) throw callError(body, response.statusText);
  return body as ResultOf<C>;
}

/** Calls `handler` whenever the background tasks change (Tauri events); in a
 * browser there are no events and the screens poll instead. */
export async function onTasks(handler: () => void): Promise<void> {
  if (!(window as TauriWindow).__TAURI_INTERNALS__) return;
  const { listen } = await import("@tauri-apps/api/event");
  await listen("tasks", () => handler());
}

/** A picked file, whole, for `import` and `read_card`: a web page never learns
 * a file's path, so its bytes travel (base64) with the call. */
export async function upload(file: File): Promise<FileUpload> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { name: file.name, data: btoa(binary) };
}
