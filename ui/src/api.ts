// The one door to the Rust side: `call(command, args)`. In the Tauri window it
// is `invoke("call", …)`; in a browser (UI tests) the same command goes to the
// loopback bridge (`POST /api/call`), which runs the same Rust code.

import type { FileUpload } from "./bindings/FileUpload";

type TauriWindow = Window & { __TAURI_INTERNALS__?: unknown };

export async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  if ((window as TauriWindow).__TAURI_INTERNALS__) {
    const { invoke } = await import("@tauri-apps/api/core");
    return invoke<T>("call", { command, args });
  }
  const response = await fetch("/api/call", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ command, args }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? response.statusText);
  return body as T;
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
