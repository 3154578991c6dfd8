// HoSo Intake's front end: the hash router (#/records, #/record/CODE, …) over
// the screens in screens/ and the verification screen, and Alt+digit
// shortcuts for the menu. Every value shown comes from the Rust side through
// `call` (api.ts); the frame around the screens is shell.ts.

import { CallError, call, onTasks } from "./api";
import { errorBox } from "./dom";
import { isEnglish } from "./i18n";
import {
  finishWaitingScan,
  layout,
  loginScreen,
  menu,
  onReroute,
  rerenderCurrent,
  session,
  setSession,
  showTasks,
  stopRefresh,
} from "./shell";
import { accountsScreen, doctorScreen, settingsScreen, syncScreen } from "./screens/admin";
import { certifyScreen } from "./screens/certify";
import { recordScreen } from "./screens/record";
import { newRecordScreen, recordsScreen } from "./screens/records";
import { verifyScreen } from "./verify";

// ---------------------------------------------------------------- router

async function route(): Promise<void> {
  stopRefresh();
  document.querySelectorAll("dialog").forEach((d) => d.remove());
  document.documentElement.lang = isEnglish() ? "en" : "vi";
  try {
    const current = await call("session");
    setSession(current);
    if (!current.user) return loginScreen();
    const [path, arg] = location.hash.replace(/^#\//, "").split("?")[0].split("/");
    switch (path) {
      case "new":
        return await newRecordScreen();
      case "record":
        return await recordScreen(decodeURIComponent(arg));
      case "certify":
        return await certifyScreen();
      case "sync":
        return await syncScreen();
      case "doctor":
        return await doctorScreen();
      case "settings":
        return await settingsScreen();
      case "accounts":
        return await accountsScreen();
      case "verify":
        return verifyScreen(layout);
      default:
        return await recordsScreen();
    }
  } catch (err) {
    // Signed out behind the window's back (another window, a restart): sign in again.
    if (err instanceof CallError && err.code === "not_signed_in") return loginScreen();
    layout("HoSo Intake", errorBox(err));
  }
}

window.addEventListener("hashchange", route);
onReroute(() => void route());
// In the desktop app a task's progress re-renders the screen that follows it at once.
void onTasks(() => {
  const w = window as Window & { hosoTaskEvents?: number };
  w.hosoTaskEvents = (w.hosoTaskEvents ?? 0) + 1; // visible to the end-to-end test
  void showTasks();
  rerenderCurrent();
});
document.addEventListener("keydown", (e) => {
  // Esc ends a scan that waits for the next stack (unless a dialog takes it).
  if (e.key === "Escape" && !document.querySelector("dialog[open]") && finishWaitingScan()) {
    e.preventDefault();
    return;
  }
  if (!e.altKey || !session?.user) return;
  const items = menu.filter(([, , visible]) => !visible || visible());
  const n = Number(e.key);
  if (n >= 1 && n <= items.length) {
    e.preventDefault();
    location.hash = items[n - 1][1];
  }
});
void route();
