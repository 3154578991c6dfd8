//! Page edits at the counter: remove a page, move it inside its component,
//! turn it, leave it out of the PDF/A or put it back.

use crate::{App, now};

impl App {
    /// Removes a page from its record (kept as discarded with `reason`).
    pub fn discard_page(&mut self, page_id: i64, reason: &str) -> anyhow::Result<()> {
        self.require_signed_in()?;
        Ok(self.store.discard_page(page_id, reason, self.actor.name(), now())?)
    }

    /// Moves a page to position `to` in its component.
    pub fn move_page(&mut self, page_id: i64, to: u32) -> anyhow::Result<()> {
        self.require_signed_in()?;
        Ok(self.store.move_page(page_id, to, self.actor.name(), now())?)
    }

    /// Leaves a page out of its component's PDF/A (`out`) or puts it back in;
    /// it stays in the record either way.
    pub fn leave_out_page(&mut self, page_id: i64, out: bool) -> anyhow::Result<()> {
        self.require_signed_in()?;
        let reason = out.then_some(hoso_model::LeftOut::Clerk);
        Ok(self.store.leave_out_page(page_id, reason, self.actor.name(), now())?)
    }

    /// Turns a page by 90, 180 or 270 degrees clockwise; it is read again.
    pub fn turn_page(&mut self, page_id: i64, degrees: u16) -> anyhow::Result<u16> {
        self.require_signed_in()?;
        Ok(self.store.turn_page(page_id, degrees, self.actor.name(), now())?)
    }
}
