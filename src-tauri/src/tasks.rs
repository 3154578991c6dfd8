//! Background tasks: each long job runs on its own thread with its own store
//! connection; the UI polls their state (and the Tauri shell forwards
//! changes as events). Finished tasks stay listed until the app closes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use hoso_core::App;
use hoso_core::config::Config;

use hoso_i18n::Message;

use crate::views::{Said, TaskView};

#[derive(Debug, Default)]
pub struct Tasks {
    list: Mutex<Vec<TaskView>>,
    /// OCR runs in one background worker pool at a time.
    processing: AtomicBool,
}

impl Tasks {
    fn update(&self, id: u32, f: impl FnOnce(&mut TaskView)) {
        let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = list.iter_mut().find(|t| t.id == id) {
            f(t);
        }
    }

    pub fn progress(&self, id: u32, n: u32) {
        self.update(id, |t| {
            t.progress = n;
            t.message = Said::of(&Message::new("task-progress-pages").with("pages", n));
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
            tasks.update(id, |t| {
                t.state = state.into();
                t.message = message;
            });
        });
        task
    }
}

/// Reads every waiting page (gate, orientation, OCR) on a background pool,
/// unless one is running already; it goes on until no page waits.
pub fn process_in_background(tasks: &Arc<Tasks>, config: Config, actor: hoso_core::Actor) {
    if tasks.processing.swap(true, Ordering::SeqCst) {
        return;
    }
    let guard = Arc::clone(tasks);
    tasks.spawn("process", None, move |_| {
        let mut total = 0;
        let result = (|| {
            let mut app = App::open(config, actor)?;
            loop {
                let report = app.process(hoso_core::default_workers())?;
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
