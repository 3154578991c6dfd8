//! Page edits at the counter before sealing: remove a page (kept as
//! `discarded`, its file stays, so nothing is lost), move a page inside its
//! component, put a manual-duplex batch's pages in sheet order. Each edit is one transaction with its audit entry, and marks the
//! component's built documents stale.

use chrono::{DateTime, FixedOffset};
use hoso_model::{PageState, RecordId};
use rusqlite::params;
use serde_json::json;

use hoso_model::RecordState;

use crate::records::{PAGE_JOB, PAGE_JOB_ATTEMPTS, mark_pages_changed, state_of, walk_states};
use crate::{Result, Store, StoreError, audit, jobs};

impl Store {
    fn editable_page(
        tx: &rusqlite::Transaction<'_>,
        page_id: i64,
    ) -> Result<(RecordId, u16, u32, PageState)> {
        let (record, component, ordinal, state): (String, u16, u32, String) = tx
            .query_row(
                "SELECT record_id, component, ordinal, state FROM pages WHERE id = ?1",
                [page_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|_| StoreError::NotFound(format!("page {page_id}")))?;
        let id: RecordId =
            record.parse().map_err(|_| StoreError::Corrupt(format!("page {page_id}: record")))?;
        let state_now = state_of(tx, &id)?;
        if !state_now.accepts_pages() {
            return Err(StoreError::Closed { record: id.to_string(), state: state_now });
        }
        let page_state: PageState =
            state.parse().map_err(|e| StoreError::Corrupt(format!("page {page_id}: {e}")))?;
        Ok((id, component, ordinal, page_state))
    }

    /// [`Store::editable_page`] for edits a removed page refuses (turn, move,
    /// leave out): its record, component and ordinal.
    fn kept_page(tx: &rusqlite::Transaction<'_>, page_id: i64) -> Result<(RecordId, u16, u32)> {
        let (id, component, ordinal, state) = Self::editable_page(tx, page_id)?;
        if state == PageState::Discarded {
            return Err(StoreError::Invalid(format!("page {page_id} was removed").into()));
        }
        Ok((id, component, ordinal))
    }

    /// Removes a page from its record: it becomes `discarded` with the reason,
    /// its processing job is dropped, and the pages after it move up.
    pub fn discard_page(
        &mut self,
        page_id: i64,
        reason: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        let (id, component, ordinal, state) = Self::editable_page(&tx, page_id)?;
        if state == PageState::Discarded {
            return Ok(());
        }
        // Discarded pages leave the numbering: parked far behind the kept ones.
        tx.execute(
            "UPDATE pages SET state = 'discarded', note = ?2, ordinal = ?3 WHERE id = ?1",
            params![page_id, reason, DISCARDED_ORDINALS + page_id],
        )?;
        renumber(&tx, &id, component)?;
        tx.execute(
            "DELETE FROM jobs WHERE kind = ?1 AND subject = ?2",
            params![PAGE_JOB, page_id.to_string()],
        )?;
        mark_pages_changed(&tx, &id, component)?;
        audit::append(
            &tx,
            now,
            actor,
            "page.discarded",
            &id.to_string(),
            &json!({ "page": page_id, "component": component, "ordinal": ordinal, "reason": reason }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Turns a page by `degrees` clockwise (90, 180, 270) from how it is shown
    /// now (the detected orientation, or the last turn set by hand). The page
    /// is read again in that orientation: back to `stored`, its text dropped,
    /// a new processing job, the record back to Processing.
    /// Leaves a page out of its component's PDF/A (`Some(reason)`), or puts it
    /// back in (`None`), whatever flagged it: the page stays in the record
    /// either way. A page put back in is never left out again by processing.
    pub fn leave_out_page(
        &mut self,
        page_id: i64,
        reason: Option<hoso_model::LeftOut>,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        let (id, component, ordinal) = Self::kept_page(&tx, page_id)?;
        let (was, left_out) = match reason {
            Some(r) => ("in", r.as_str()),
            None => ("out", "kept"),
        };
        let n = tx.execute(
            "UPDATE pages SET left_out = ?2 WHERE id = ?1
             AND (CASE WHEN left_out IS NULL OR left_out = 'kept' THEN 'in' ELSE 'out' END) = ?3",
            params![page_id, left_out, was],
        )?;
        if n == 0 {
            return Ok(()); // already so
        }
        mark_pages_changed(&tx, &id, component)?;
        audit::append(
            &tx,
            now,
            actor,
            if reason.is_some() { "page.left_out" } else { "page.put_back" },
            &id.to_string(),
            &json!({ "page": page_id, "component": component, "ordinal": ordinal, "reason": left_out }),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn turn_page(
        &mut self,
        page_id: i64,
        degrees: u16,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<u16> {
        if !matches!(degrees, 90 | 180 | 270) {
            return Err(StoreError::Invalid(format!("turn by {degrees}°: 90, 180 or 270").into()));
        }
        let tx = self.write()?;
        let (id, component, _) = Self::kept_page(&tx, page_id)?;
        let (set, layout): (Option<u16>, Option<String>) = tx.query_row(
            "SELECT p.turn, t.layout FROM pages p LEFT JOIN page_text t ON t.page_id = p.id WHERE p.id = ?1",
            [page_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let detected = layout
            .and_then(|l| serde_json::from_str::<hoso_model::PageLayout>(&l).ok())
            .map_or(0, |l| l.upright.rotation);
        let turn = (set.unwrap_or(detected) + degrees) % 360;
        tx.execute(
            "UPDATE pages SET turn = ?2, state = 'stored', note = NULL, metrics = NULL, thumbnail = NULL WHERE id = ?1",
            params![page_id, turn],
        )?;
        tx.execute("DELETE FROM page_text WHERE page_id = ?1", [page_id])?;
        tx.execute(
            "DELETE FROM jobs WHERE kind = ?1 AND subject = ?2",
            params![PAGE_JOB, page_id.to_string()],
        )?;
        jobs::enqueue(&tx, PAGE_JOB, &page_id.to_string(), PAGE_JOB_ATTEMPTS, now.timestamp_millis())?;
        mark_pages_changed(&tx, &id, component)?;
        // Pages wait again: Review → Scanning → Processing, as after adding pages.
        let current = state_of(&tx, &id)?;
        let path: &[RecordState] = match current {
            RecordState::Review => &[RecordState::Scanning, RecordState::Processing],
            RecordState::Scanning => &[RecordState::Processing],
            _ => &[],
        };
        walk_states(&tx, &id, current, path, actor, now)?;
        audit::append(
            &tx,
            now,
            actor,
            "page.turned",
            &id.to_string(),
            &json!({ "page": page_id, "component": component, "turn": turn }),
        )?;
        tx.commit()?;
        Ok(turn)
    }

    /// Moves a page to position `to` (from 1) inside its component.
    pub fn move_page(
        &mut self,
        page_id: i64,
        to: u32,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        let (id, component, from) = Self::kept_page(&tx, page_id)?;
        let count: u32 = tx.query_row(
            "SELECT count(*) FROM pages WHERE record_id = ?1 AND component = ?2 AND state != 'discarded'",
            params![id.to_string(), component],
            |r| r.get(0),
        )?;
        let to = to.clamp(1, count.max(1));
        if to == from {
            return Ok(());
        }
        // Ordinals are unique: take the page out (0), move the others through
        // negative numbers (every step stays unique), put it back.
        tx.execute("UPDATE pages SET ordinal = 0 WHERE id = ?1", [page_id])?;
        let (shift, lo, hi) = if to < from { (1, to, from - 1) } else { (-1, from + 1, to) };
        tx.execute(
            "UPDATE pages SET ordinal = -(ordinal + ?4)
             WHERE record_id = ?1 AND component = ?2 AND state != 'discarded' AND ordinal BETWEEN ?3 AND ?5",
            params![id.to_string(), component, lo, shift, hi],
        )?;
        tx.execute(
            "UPDATE pages SET ordinal = -ordinal WHERE record_id = ?1 AND component = ?2 AND ordinal < 0",
            params![id.to_string(), component],
        )?;
        tx.execute("UPDATE pages SET ordinal = ?2 WHERE id = ?1", params![page_id, to])?;
        mark_pages_changed(&tx, &id, component)?;
        audit::append(
            &tx,
            now,
            actor,
            "page.moved",
            &id.to_string(),
            &json!({ "page": page_id, "component": component, "from": from, "to": to }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// Puts `pages` (kept pages of one component) in the order given, in the
    /// places they hold between them: the fronts and backs of a manual duplex
    /// batch interleaved. The component's other pages stay where they are.
    /// One transaction, one audit entry (`pages.arranged`).
    pub fn arrange_pages(&mut self, pages: &[i64], actor: &str, now: DateTime<FixedOffset>) -> Result<()> {
        let Some(&first) = pages.first() else { return Ok(()) };
        let tx = self.write()?;
        let (id, component, _) = Self::kept_page(&tx, first)?;
        let mut places = Vec::with_capacity(pages.len());
        for &page in pages {
            let (record, c, ordinal) = Self::kept_page(&tx, page)?;
            if record != id || c != component {
                return Err(StoreError::Invalid(
                    format!("page {page} is not in component {component}").into(),
                ));
            }
            places.push(ordinal);
        }
        places.sort_unstable();
        if places.windows(2).any(|w| w[0] == w[1]) {
            return Err(StoreError::Invalid("a page is named twice".into()));
        }
        // Through negative numbers, so every ordinal stays unique meanwhile.
        for (page, place) in pages.iter().zip(&places) {
            tx.execute("UPDATE pages SET ordinal = ?2 WHERE id = ?1", params![page, -i64::from(*place)])?;
        }
        tx.execute(
            "UPDATE pages SET ordinal = -ordinal WHERE record_id = ?1 AND component = ?2 AND ordinal < 0",
            params![id.to_string(), component],
        )?;
        mark_pages_changed(&tx, &id, component)?;
        audit::append(
            &tx,
            now,
            actor,
            "pages.arranged",
            &id.to_string(),
            &json!({ "component": component, "pages": pages }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Ordinals of discarded pages start here (plus the page id), out of the way
/// of the kept pages' 1, 2, 3…
pub(crate) const DISCARDED_ORDINALS: i64 = 1_000_000;

/// Numbers the kept pages of a component 1, 2, 3… in their current order.
fn renumber(tx: &rusqlite::Transaction<'_>, id: &RecordId, component: u16) -> Result<()> {
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM pages WHERE record_id = ?1 AND component = ?2 AND state != 'discarded' ORDER BY ordinal",
        )?;
        stmt.query_map(params![id.to_string(), component], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    for (i, page) in ids.iter().enumerate() {
        tx.execute("UPDATE pages SET ordinal = ?2 WHERE id = ?1", params![page, -(i as i64) - 1])?;
    }
    tx.execute(
        "UPDATE pages SET ordinal = -ordinal WHERE record_id = ?1 AND component = ?2 AND ordinal < 0",
        params![id.to_string(), component],
    )?;
    Ok(())
}
