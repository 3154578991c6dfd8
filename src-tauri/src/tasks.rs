//! Background tasks: each long job runs on its own thread with its own store
//! connection; the UI polls their state (and the Tauri shell forwards
//! changes as events). Finished tasks stay listed until the app closes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use hoso_core::config::Config;
use hoso_core::{App, ScanEvent, StackWord, Stacks};

use hoso_i18n::{Message, msg};

use crate::views::{Said, TaskView};

#[derive(Debug, Default)]
pub struct Tasks {
    list: Mutex<Vec<TaskView>>,
    /// OCR runs in one background worker pool at a time.
    processing: AtomicBool,
    /// The clerk's word to each scan that waits for paper, by task id.
    stacks: Mutex<HashMap<u32, Arc<Stacks>>>,
}

impl Tasks {
    fn update(&self, id: u32, f: impl FnOnce(&mut TaskView)) {
        let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = list.iter_mut().find(|t| t.id == id) {
            f(t);
        }
    }

    /// `done` of `total` pages read after `elapsed`: with the pace so far
    /// and the time left, once a page is done.
    pub fn progress_of(&self, id: u32, done: u64, total: u64, elapsed: std::time::Duration) {
        let message = progress_message(done, total, elapsed);
        self.update(id, |t| {
            t.progress = u32::try_from(done).unwrap_or(u32::MAX);
            t.message = Said::of(&message);
        });
    }

    /// Where task `id` (a scan that waits for paper) hears the clerk.
    pub fn stacks(&self, id: u32) -> Arc<Stacks> {
        let mut map = self.stacks.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(id).or_default())
    }

    /// The clerk's word to scan task `id`; false when no such scan runs.
    pub fn say(&self, id: u32, word: StackWord) -> bool {
        let map = self.stacks.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&id).map(|s| s.say(word)).is_some()
    }

    /// A scan's progress: pages stored, waiting for paper, the next stack.
    pub fn scan_event(&self, id: u32, event: &ScanEvent<'_>) {
        let message = Said::of(&event.message());
        self.update(id, |t| {
            t.state = if matches!(event, ScanEvent::Waiting { .. }) { "waiting" } else { "running" }.into();
            if let ScanEvent::Page { n, .. } = event {
                t.progress = u32::try_from(*n).unwrap_or(u32::MAX);
            }
            t.message = message;
        });
    }

    pub fn list(&self) -> Vec<TaskView> {
        self.list.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Starts `job` on a thread; its result becomes the task's final message.
    pub fn spawn(
        self: &Arc<Self>,
        kind: &str,
        record: Option<String>,
        job: impl FnOnce(u32) -> anyhow::Result<Said> + Send + 'static,
    ) -> TaskView {
        let task = {
            let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
            let id = list.len() as u32 + 1;
            let task = TaskView {
                id,
                kind: kind.into(),
                record,
                state: "running".into(),
                message: Said::default(),
                progress: 0,
            };
            list.push(task.clone());
            task
        };
        let tasks = Arc::clone(self);
        let id = task.id;
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(id)));
            let (state, message) = match outcome {
                Ok(Ok(m)) => ("done", m),
                Ok(Err(e)) => ("failed", Said::of_error(&e)),
                Err(_) => ("failed", Said::of(&Message::new("task-internal-error"))),
            };
            if state == "failed" {
                log::warn!("task {id} failed: {}", message.en);
            }
            tasks.stacks.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
            tasks.update(id, |t| {
                t.state = state.into();
                t.message = message;
            });
        });
        task
    }
}

/// `done` of `total` pages after `elapsed`: with the pace so far and the
/// time left (m:ss) once a page is done.
fn progress_message(done: u64, total: u64, elapsed: std::time::Duration) -> Message {
    let total = total.max(done);
    let minutes = elapsed.as_secs_f64() / 60.0;
    if done == 0 || minutes <= 0.0 {
        return msg!("task-progress-of", done = done, total = total);
    }
    let per_minute = done as f64 / minutes;
    let left = ((total - done) as f64 / per_minute * 60.0).round() as u64;
    let left = format!("{}:{:02}", left / 60, left % 60);
    msg!("task-progress-rate", done = done, total = total, rate = per_minute.round() as u64, left = left)
}

/// Reads every waiting page (gate, orientation, OCR) on a background pool,
/// unless one is running already; it goes on until no page waits.
pub fn process_in_background(tasks: &Arc<Tasks>, config: Config, actor: hoso_core::Actor) {
    if tasks.processing.swap(true, Ordering::SeqCst) {
        return;
    }
    let guard = Arc::clone(tasks);
    tasks.spawn("process", None, move |id| {
        let mut total = 0;
        let started = std::time::Instant::now();
        let result = (|| {
            let mut app = App::open(config, actor)?;
            loop {
                // This pass's pages, after those of the passes before it.
                let (before, waiting) = (total as u64, app.pages_waiting()?);
                let report = app.process_with(hoso_core::default_workers(), true, &mut |r| {
                    let done = before + r.processed as u64;
                    guard.progress_of(id, done, before + waiting, started.elapsed());
                })?;
                total += report.processed;
                if report.processed > 0 {
                    continue;
                }
                // Pages stored after the last pass but before the flag drops
                // would wait for the next import: look once more after it.
                guard.processing.store(false, Ordering::SeqCst);
                let waiting = app.pages_waiting()?;
                if waiting == 0 || guard.processing.swap(true, Ordering::SeqCst) {
                    return Ok(());
                }
            }
        })();
        if result.is_err() {
            // Still ours (the normal ends above released it or passed it on).
            guard.processing.store(false, Ordering::SeqCst);
        }
        result.map(|()| Said::of(&Message::new("task-read").with("pages", total)))
    });
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use hoso_i18n::Lang;

    use super::progress_message;

    #[test]
    fn progress_says_pages_done_the_pace_and_the_time_left_in_one_language() {
        let said = |done, total, secs| progress_message(done, total, Duration::from_secs(secs));
        assert_eq!(said(0, 30, 2).text(Lang::Vi), "0/30 trang");
        // 12 pages in 12 s: 60 a minute, 18 left take 18 s.
        assert_eq!(said(12, 30, 12).text(Lang::Vi), "12/30 trang · 60 trang/phút · còn khoảng 0:18");
        assert_eq!(said(12, 30, 12).text(Lang::En), "12/30 pages · 60 pages/min · about 0:18 left");
        // 100 of 500 in 100 s: 400 left at 60 a minute is 6:40; more done than counted widens the total.
        assert_eq!(said(100, 500, 100).text(Lang::En), "100/500 pages · 60 pages/min · about 6:40 left");
        assert_eq!(said(31, 30, 31).text(Lang::En), "31/31 pages · 60 pages/min · about 0:00 left");
    }
}
