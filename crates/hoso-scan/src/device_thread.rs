//! A driver's own thread and the channels to it, for drivers whose handles
//! must stay on the thread that opened them (SANE's device thread, TWAIN's
//! session with its window): the thread opens the device and says what it
//! opened once, then answers each command with one reply; the scanner asks one
//! thing at a time. A driver that does not answer within a limit leaves its
//! thread behind, never joined, so the caller is not held by it.

use std::sync::mpsc;
use std::time::Duration;

use crate::{ScanError, ScannedPage};

/// What a device thread answers: a page (or nothing, for a command that
/// returns none), or what the feeder's sensor says.
pub(crate) enum Answer {
    Page(Option<ScannedPage>),
    Loaded(Option<bool>),
}

impl Answer {
    pub(crate) fn page(self) -> Option<ScannedPage> {
        match self {
            Answer::Page(page) => page,
            Answer::Loaded(_) => None,
        }
    }

    pub(crate) fn loaded(self) -> Option<bool> {
        match self {
            Answer::Loaded(loaded) => loaded,
            Answer::Page(_) => None,
        }
    }
}

pub(crate) struct DeviceThread<C, R> {
    /// The driver, for messages ("SANE", "TWAIN").
    what: &'static str,
    commands: Option<mpsc::Sender<C>>,
    replies: mpsc::Receiver<R>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The driver stopped answering: the thread is abandoned.
    stuck: bool,
}

impl<C, R> std::fmt::Debug for DeviceThread<C, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceThread")
            .field("what", &self.what)
            .field("stuck", &self.stuck)
            .finish_non_exhaustive()
    }
}

impl<C: Send + 'static, R: Send + 'static> DeviceThread<C, R> {
    /// Runs `body` on a thread named `name` and waits for what it opened (`O`),
    /// which `body` sends on its first argument before it serves commands.
    pub(crate) fn start<O: Send + 'static>(
        name: String,
        what: &'static str,
        body: impl FnOnce(mpsc::Sender<Result<O, ScanError>>, mpsc::Receiver<C>, mpsc::Sender<R>) + Send + 'static,
    ) -> Result<(Self, O), ScanError> {
        let (ready_tx, ready_rx) = mpsc::channel();
        let (cmd_tx, cmd_rx) = mpsc::channel();
        let (reply_tx, reply_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(name)
            .spawn(move || body(ready_tx, cmd_rx, reply_tx))
            .map_err(|e| ScanError::Device(format!("{what} thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(opened)) => Ok((
                DeviceThread {
                    what,
                    commands: Some(cmd_tx),
                    replies: reply_rx,
                    thread: Some(thread),
                    stuck: false,
                },
                opened,
            )),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => Err(gone(what)),
        }
    }

    /// Sends `cmd` and waits for its reply, at most `limit` when given.
    pub(crate) fn ask(&mut self, cmd: C, limit: Option<Duration>) -> Result<R, ScanError> {
        if self.stuck {
            return Err(gone(self.what));
        }
        let sent = self.commands.as_ref().is_some_and(|c| c.send(cmd).is_ok());
        if !sent {
            return Err(gone(self.what));
        }
        let Some(limit) = limit else { return self.replies.recv().map_err(|_| gone(self.what)) };
        match self.replies.recv_timeout(limit) {
            Ok(reply) => Ok(reply),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // A driver that hangs must not hang the counter: the device is
                // given up (its thread is left behind), the pages already
                // stored are safe, and the clerk gets a message.
                self.stuck = true;
                Err(ScanError::DriverStopped)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(gone(self.what)),
        }
    }
}

fn gone(what: &str) -> ScanError {
    ScanError::Device(format!("the {what} thread stopped"))
}

impl<C, R> Drop for DeviceThread<C, R> {
    fn drop(&mut self) {
        // Closing the command channel ends a healthy thread.
        self.commands.take();
        if let Some(t) = self.thread.take()
            && !self.stuck
        {
            let _ = t.join();
        }
    }
}
