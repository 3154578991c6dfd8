//! Integration tests of the store against real SQLite files in temporary folders.

use chrono::{DateTime, FixedOffset};
use hoso_model::{Applicant, Channel, ComponentSpec, PageState, Procedure, RecordState, UnitCode};
use hoso_store::{NewPages, NewRecord, PageInput, PageResult, StateChange, Store, StoreError, audit, jobs};
use rusqlite::Connection;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn procedure() -> Procedure {
    Procedure {
        code: "1.001193".into(),
        name: "Đăng ký khai sinh".into(),
        field: None,
        level: None,
        components: vec![
            ComponentSpec {
                code: "TK".into(),
                name: "Tờ khai".into(),
                required: true,
                needs_certification: false,
            },
            ComponentSpec {
                code: "GCS".into(),
                name: "Giấy chứng sinh".into(),
                required: true,
                needs_certification: true,
            },
        ],
    }
}

fn new_record(store: &mut Store, now: &str) -> hoso_model::Record {
    let unit: UnitCode = "000.00.01.H29".parse().unwrap();
    let p = procedure();
    store
        .create_record(&NewRecord {
            unit: &unit,
            procedure: &p,
            channel: Channel::InPerson,
            applicant: Applicant { name: "Ngô Thị Ngọc".into(), ..Default::default() },
            actor: "test",
            now: at(now),
        })
        .unwrap()
}

fn tif<'a>(
    component: u16,
    source: &'a hoso_model::BlobHash,
    size: u64,
    frames: &'a [PageInput],
    now: DateTime<FixedOffset>,
) -> NewPages<'a> {
    NewPages {
        blank_below: None,
        component,
        source,
        size,
        media_type: "image/tiff",
        frames,
        origin: "a.tif",
        actor: "test",
        now,
    }
}

#[test]
fn record_codes_follow_the_vietnam_calendar_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let a = new_record(&mut store, "2026-11-23T08:00:00+07:00");
    let b = new_record(&mut store, "2026-11-23T16:59:59Z"); // 23:59:59 in Hanoi
    let c = new_record(&mut store, "2026-11-23T17:00:00Z"); // 00:00 on the 24th
    assert_eq!(a.code.to_string(), "000.00.01.H29-261123-0001");
    assert_eq!(b.code.to_string(), "000.00.01.H29-261123-0002");
    assert_eq!(c.code.to_string(), "000.00.01.H29-261124-0001");
    assert_eq!(store.components(&a.id).unwrap().len(), 2);
    assert_eq!(store.record(&a.code.to_string()).unwrap().id, a.id);
    assert_eq!(store.record(&a.id.to_string()).unwrap().applicant.name, "Ngô Thị Ngọc");
}

#[test]
fn the_daily_sequence_stops_at_9999() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .conn()
        .execute("INSERT INTO record_counter VALUES ('000.00.01.H29', '2026-11-23', 9998)", [])
        .unwrap();
    let r = new_record(&mut store, "2026-11-23T09:00:00+07:00");
    assert_eq!(r.code.sequence(), 9999);
    let unit: UnitCode = "000.00.01.H29".parse().unwrap();
    let p = procedure();
    let err = store
        .create_record(&NewRecord {
            unit: &unit,
            procedure: &p,
            channel: Channel::InPerson,
            applicant: Applicant::default(),
            actor: "test",
            now: at("2026-11-23T10:00:00+07:00"),
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::SequenceExhausted { .. }), "{err}");
}

#[test]
fn pages_are_added_once_and_guarded_transitions_refuse_stale_states() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let r = new_record(&mut store, "2026-11-23T08:00:00+07:00");
    let bytes = b"not really an image, the store does not care".to_vec();
    let hash = store.blobs().put(&bytes).unwrap();
    let frames = [
        PageInput { frame: 0, width: 10, height: 20, dpi: Some(300.0) },
        PageInput { frame: 1, width: 10, height: 20, dpi: None },
    ];
    let now = at("2026-11-23T08:01:00+07:00");
    let first = store.add_pages(&r.id, &tif(1, &hash, bytes.len() as u64, &frames, now)).unwrap();
    assert!(matches!(first.pages[..], [PageResult::Added(_), PageResult::Added(_)]));
    let again = store.add_pages(&r.id, &tif(1, &hash, bytes.len() as u64, &frames, now)).unwrap();
    assert!(matches!(again.pages[..], [PageResult::AlreadyThere(_), PageResult::AlreadyThere(_)]));
    let pages = store.pages(&r.id).unwrap();
    assert_eq!(pages.iter().map(|p| p.ordinal).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(store.record(&r.id.to_string()).unwrap().state, RecordState::Scanning);
    assert_eq!(jobs::counts(store.conn(), Some(hoso_store::PAGE_JOB)).unwrap().ready, 2);

    // A component that is not in the checklist.
    let err = store.add_pages(&r.id, &tif(9, &hash, bytes.len() as u64, &frames, now)).unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");

    // Guarded update: the record is Scanning, so a move that assumes Draft fails
    // and changes nothing.
    let err = store
        .set_state(
            &r.id,
            &StateChange {
                from: RecordState::Draft,
                to: RecordState::Scanning,
                reason: None,
                actor: "test",
                now,
            },
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::StaleState { actual: RecordState::Scanning, .. }), "{err}");
    let to_synced = StateChange {
        from: RecordState::Scanning,
        to: RecordState::Synced,
        reason: None,
        actor: "test",
        now,
    };
    let err = store.set_state(&r.id, &to_synced).unwrap_err();
    assert!(matches!(err, StoreError::Transition(_)), "{err}");

    let layout = hoso_model::PageLayout {
        upright: hoso_model::Upright { rotation: 90, skew_deg: 0.5 },
        words: vec![hoso_model::Word {
            text: "Đơn".into(),
            x: 1,
            y: 2,
            w: 3,
            h: 4,
            conf: 91.5,
            block: 1,
            par: 1,
            line: 1,
        }],
        ..hoso_model::PageLayout::default()
    };
    let outcome = hoso_store::PageOutcome {
        state: PageState::Processed,
        note: None,
        metrics: None,
        thumbnail: None,
        text: Some(hoso_store::PageTextIn {
            engine: "tesseract test",
            text: "Đơn",
            mean_confidence: 91.5,
            layout: &layout,
        }),
        blank: false,
        actor: "test",
        now,
    };
    assert_eq!(store.page_text(pages[0].id).unwrap(), None);
    store.finish_page(pages[0].id, &outcome).unwrap();
    let text = store.page_text(pages[0].id).unwrap().unwrap();
    assert_eq!((text.text.as_str(), text.mean_confidence, &text.layout), ("Đơn", 91.5, &layout));
    // A page is finished once; the second attempt changes nothing.
    let err = store.finish_page(pages[0].id, &outcome).unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert!(store.check(true).unwrap().is_ok());
}

#[test]
fn jobs_lease_retry_with_backoff_and_recover() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let c = store.conn();
    assert!(jobs::enqueue(c, "k", "1", 2, 1_000).unwrap());
    assert!(!jobs::enqueue(c, "k", "1", 2, 1_000).unwrap(), "same kind and subject is one job");
    assert_eq!(jobs::lease(c, "k", "w1", 999, 60_000).unwrap(), None, "not due yet");
    let job = jobs::lease(c, "k", "w1", 1_000, 60_000).unwrap().unwrap();
    assert_eq!(
        jobs::lease(c, "k", "w2", 1_001, 60_000).unwrap(),
        None,
        "leased jobs are not handed out twice"
    );
    assert_eq!(
        jobs::fail(c, &job, "w1", "disk busy", jobs::Retry::Transient, 2_000).unwrap(),
        jobs::AfterFailure::WillRetry
    );
    let due = 2_000 + jobs::backoff_ms(job.id, 1);
    assert_eq!(jobs::lease(c, "k", "w1", due - 1, 60_000).unwrap(), None, "backing off");
    let job = jobs::lease(c, "k", "w1", due, 60_000).unwrap().unwrap();
    assert_eq!(job.attempts, 2);
    assert_eq!(job.last_error.as_deref(), Some("disk busy"));
    // The worker dies; its lease runs out and another takes the job.
    let taken = jobs::lease(c, "k", "w2", due + 60_001, 60_000).unwrap().unwrap();
    assert_eq!(taken.id, job.id);
    assert!(matches!(jobs::complete(c, job.id, "w1", due + 60_002), Err(StoreError::LeaseLost(_))));
    assert_eq!(
        jobs::fail(c, &taken, "w2", "still broken", jobs::Retry::Transient, due + 60_003).unwrap(),
        jobs::AfterFailure::Failed,
        "out of attempts"
    );
    jobs::retry_failed(c, taken.id, due + 70_000).unwrap();
    let again = jobs::lease(c, "k", "w3", due + 70_000, 60_000).unwrap().unwrap();
    assert_eq!(jobs::recover(c, due + 70_001).unwrap(), 1);
    let again2 = jobs::lease(c, "k", "w4", due + 70_002, 60_000).unwrap().unwrap();
    assert_eq!(again.id, again2.id);
    jobs::complete(c, again2.id, "w4", due + 70_003).unwrap();
    assert_eq!(jobs::counts(c, None).unwrap(), jobs::Counts { done: 1, ..Default::default() });
    // Backoff doubles and is capped at ten minutes plus jitter.
    assert!(jobs::backoff_ms(1, 1) < jobs::backoff_ms(1, 2));
    assert!(jobs::backoff_ms(1, 40) <= 601_000);
}

/// Opens the database behind the store's back, as an intruder with file access would.
fn raw(dir: &std::path::Path) -> Connection {
    Connection::open(dir.join("hoso.db")).unwrap()
}

#[test]
fn audit_tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for i in 0..5 {
        new_record(&mut store, &format!("2026-11-23T08:0{i}:00+07:00"));
    }
    let ok = audit::verify(store.conn()).unwrap();
    assert_eq!((ok.entries, ok.broken.clone()), (5, None));

    // The triggers refuse edits made through SQL.
    let err = store.conn().execute("UPDATE audit SET actor = 'x' WHERE seq = 2", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(store.conn().execute("DELETE FROM audit WHERE seq = 2", []).is_err());

    // Around the triggers: an edited entry.
    let c = raw(dir.path());
    c.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
    c.execute("UPDATE audit SET detail = replace(detail, '0003', '0009') WHERE seq = 3", []).unwrap();
    let v = audit::verify(store.conn()).unwrap();
    assert_eq!(v.broken.as_ref().map(|b| b.seq), Some(3), "{v:?}");
    assert!(!store.check(false).unwrap().is_ok());

    // A removed entry.
    let dir2 = tempfile::tempdir().unwrap();
    let mut store2 = Store::open(dir2.path()).unwrap();
    for i in 0..4 {
        new_record(&mut store2, &format!("2026-11-23T08:0{i}:00+07:00"));
    }
    let c2 = raw(dir2.path());
    c2.execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2;").unwrap();
    let v = audit::verify(store2.conn()).unwrap();
    assert_eq!(v.broken.map(|b| b.seq), Some(3));

    // An entry rewritten with a freshly computed hash still breaks the link to the next one.
    let dir3 = tempfile::tempdir().unwrap();
    let mut store3 = Store::open(dir3.path()).unwrap();
    for i in 0..3 {
        new_record(&mut store3, &format!("2026-11-23T08:0{i}:00+07:00"));
    }
    let c3 = raw(dir3.path());
    c3.execute_batch("DROP TRIGGER audit_no_update;").unwrap();
    let forged = {
        let e = &audit::for_subject(store3.conn(), &audit_subject(store3.conn(), 1)).unwrap()[0];
        let canonical = serde_json::to_string(&(
            e.seq,
            &e.at,
            "intruder",
            &e.action,
            &e.subject,
            &e.detail,
            &e.prev_hash,
        ))
        .unwrap();
        hoso_store::sha256(canonical.as_bytes()).to_hex()
    };
    c3.execute("UPDATE audit SET actor = 'intruder', hash = ?1 WHERE seq = 1", [forged]).unwrap();
    let v = audit::verify(store3.conn()).unwrap();
    assert_eq!(v.broken.map(|b| b.seq), Some(2));
}

fn audit_subject(c: &Connection, seq: i64) -> String {
    c.query_row("SELECT subject FROM audit WHERE seq = ?1", [seq], |r| r.get(0)).unwrap()
}

#[test]
fn a_newer_schema_is_refused_and_temp_blobs_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    std::fs::write(dir.path().join("blobs/tmp/leftover.part"), b"half a page").unwrap();
    drop(Store::open(dir.path()).unwrap());
    assert!(!dir.path().join("blobs/tmp/leftover.part").exists());
    raw(dir.path()).pragma_update(None, "user_version", 99).unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn damaged_blobs_are_found_by_the_deep_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let r = new_record(&mut store, "2026-11-23T08:00:00+07:00");
    let hash = store.blobs().put(b"page bytes").unwrap();
    let one = [PageInput { frame: 0, width: 1, height: 1, dpi: None }];
    store.add_pages(&r.id, &tif(1, &hash, 10, &one, at("2026-11-23T08:00:00+07:00"))).unwrap();
    assert!(store.check(true).unwrap().is_ok());
    std::fs::write(store.blobs().path(&hash), b"page bytez").unwrap();
    let shallow = store.check(false).unwrap();
    assert!(shallow.is_ok(), "same size: only the deep check reads the bytes");
    let deep = store.check(true).unwrap();
    assert_eq!(deep.bad_blobs, [hash.to_hex()]);
    assert!(matches!(store.blobs().read(&hash), Err(StoreError::BlobDamaged { .. })));
}

#[test]
fn pages_are_removed_and_moved_and_built_documents_go_stale() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let r = new_record(&mut store, "2026-11-23T08:00:00+07:00");
    let bytes = b"four frames".to_vec();
    let hash = store.blobs().put(&bytes).unwrap();
    let frames: Vec<PageInput> =
        (0..4).map(|frame| PageInput { frame, width: 10, height: 20, dpi: Some(300.0) }).collect();
    let now = at("2026-11-23T08:01:00+07:00");
    store.add_pages(&r.id, &tif(1, &hash, bytes.len() as u64, &frames, now)).unwrap();
    let ids: Vec<i64> = store.pages(&r.id).unwrap().iter().map(|p| p.id).collect();
    let order = |store: &Store| -> Vec<(i64, u32)> {
        let mut kept: Vec<_> = store
            .pages(&r.id)
            .unwrap()
            .into_iter()
            .filter(|p| p.state != PageState::Discarded)
            .map(|p| (p.id, p.ordinal))
            .collect();
        kept.sort_by_key(|p| p.1);
        kept
    };

    // A PDF/A built from the four pages.
    let pdf = store.blobs().put(b"%PDF-1.7 four pages").unwrap();
    store
        .add_document(&hoso_store::NewDocument {
            record: &r.id,
            component: 1,
            blob: &pdf,
            size: 19,
            pages: 4,
            kind: hoso_store::DocumentKind::Pdfa,
            actor: "test",
            now,
        })
        .unwrap();
    assert!(!store.documents(&r.id).unwrap()[0].stale);

    // Move the last page first, then the first page last.
    store.move_page(ids[3], 1, "lan", now).unwrap();
    assert_eq!(order(&store), [(ids[3], 1), (ids[0], 2), (ids[1], 3), (ids[2], 4)]);
    store.move_page(ids[3], 9, "lan", now).unwrap(); // past the end: last
    assert_eq!(order(&store), [(ids[0], 1), (ids[1], 2), (ids[2], 3), (ids[3], 4)]);
    assert!(store.documents(&r.id).unwrap()[0].stale, "the PDF/A no longer shows the pages");

    // Remove the second page: kept as discarded with the reason, the rest move up,
    // its processing job is gone, a new page goes to the end of the kept ones.
    store.discard_page(ids[1], "trang trắng / blank", "lan", now).unwrap();
    assert_eq!(order(&store), [(ids[0], 1), (ids[2], 2), (ids[3], 3)]);
    let removed = store.page(ids[1]).unwrap();
    assert_eq!((removed.state, removed.note.as_deref()), (PageState::Discarded, Some("trang trắng / blank")));
    assert_eq!(jobs::counts(store.conn(), Some(hoso_store::PAGE_JOB)).unwrap().ready, 3);
    assert!(store.move_page(ids[1], 1, "lan", now).is_err(), "a removed page does not move");
    let more = b"one more".to_vec();
    let h2 = store.blobs().put(&more).unwrap();
    let one = [PageInput { frame: 0, width: 10, height: 20, dpi: Some(300.0) }];
    store.add_pages(&r.id, &tif(1, &h2, more.len() as u64, &one, now)).unwrap();
    assert_eq!(order(&store).last().unwrap().1, 4);
    // Turning a page by hand: read again in that orientation, the record waits again.
    let jobs_before = jobs::counts(store.conn(), Some(hoso_store::PAGE_JOB)).unwrap().ready;
    assert_eq!(store.turn_page(ids[0], 90, "lan", now).unwrap(), 90);
    assert_eq!(store.turn_page(ids[0], 180, "lan", now).unwrap(), 270);
    assert_eq!(store.turn_page(ids[0], 90, "lan", now).unwrap(), 0);
    assert!(store.turn_page(ids[0], 45, "lan", now).is_err());
    assert!(store.turn_page(ids[1], 90, "lan", now).is_err(), "a removed page does not turn");
    let turned = store.page(ids[0]).unwrap();
    assert_eq!((turned.turn, turned.state), (Some(0), PageState::Stored));
    assert_eq!(
        jobs::counts(store.conn(), Some(hoso_store::PAGE_JOB)).unwrap().ready,
        jobs_before,
        "one job per page"
    );
    assert_eq!(store.record(&r.id.to_string()).unwrap().state, RecordState::Processing);
    let actions: Vec<String> =
        audit::for_subject(store.conn(), &r.id.to_string()).unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"page.moved".to_owned()) && actions.contains(&"page.discarded".to_owned()));
    assert!(actions.contains(&"page.turned".to_owned()));
    assert!(audit::verify(store.conn()).unwrap().broken.is_none());

    // A manual duplex batch put in sheet order: the three pages named take the
    // places they held between them, in the order given; a removed page, one
    // named twice or one of another component is refused and nothing moves.
    let before = order(&store);
    let (a, b, c, d) = (before[0].0, before[1].0, before[2].0, before[3].0);
    store.arrange_pages(&[b, d, c], "lan", now).unwrap();
    assert_eq!(order(&store), [(a, 1), (b, 2), (d, 3), (c, 4)]);
    assert!(store.arrange_pages(&[b, ids[1]], "lan", now).is_err());
    assert!(store.arrange_pages(&[b, b], "lan", now).is_err());
    assert_eq!(order(&store), [(a, 1), (b, 2), (d, 3), (c, 4)]);
    let actions: Vec<String> =
        audit::for_subject(store.conn(), &r.id.to_string()).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "pages.arranged").count(), 1);
    assert!(audit::verify(store.conn()).unwrap().broken.is_none());
}

/// A page found blank is left out of the PDF/A, never removed; a person puts it
/// back, or leaves out any page, and processing it again never undoes that.
#[test]
fn blank_pages_are_left_out_and_a_persons_choice_stands() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let r = new_record(&mut store, "2026-11-23T08:00:00+07:00");
    let bytes = b"two frames".to_vec();
    let hash = store.blobs().put(&bytes).unwrap();
    let frames: Vec<PageInput> =
        (0..2).map(|frame| PageInput { frame, width: 10, height: 20, dpi: Some(300.0) }).collect();
    let now = at("2026-11-23T08:01:00+07:00");
    store.add_pages(&r.id, &tif(1, &hash, bytes.len() as u64, &frames, now)).unwrap();
    let ids: Vec<i64> = store.pages(&r.id).unwrap().iter().map(|p| p.id).collect();
    let finish = |store: &mut Store, id: i64, blank: bool| {
        let outcome = hoso_store::PageOutcome {
            state: PageState::Processed,
            note: None,
            metrics: None,
            thumbnail: None,
            text: None,
            blank,
            actor: "test",
            now,
        };
        store.finish_page(id, &outcome).unwrap();
    };
    let left_out = |store: &Store, id: i64| store.page(id).unwrap().left_out;
    finish(&mut store, ids[0], false);
    finish(&mut store, ids[1], true);
    assert_eq!(left_out(&store, ids[0]), None);
    assert_eq!(left_out(&store, ids[1]), Some(hoso_model::LeftOut::Blank));
    assert_eq!(store.page(ids[1]).unwrap().state, PageState::Processed, "kept, not removed");

    // Put back by the clerk, then read again (turned): still in.
    store.leave_out_page(ids[1], None, "lan", now).unwrap();
    assert_eq!(left_out(&store, ids[1]), None);
    store.turn_page(ids[1], 90, "lan", now).unwrap();
    finish(&mut store, ids[1], true);
    assert_eq!(left_out(&store, ids[1]), None, "processing does not undo a person's choice");
    // Any page can be left out by hand, and twice is the same as once.
    store.leave_out_page(ids[0], Some(hoso_model::LeftOut::Clerk), "lan", now).unwrap();
    store.leave_out_page(ids[0], Some(hoso_model::LeftOut::Clerk), "lan", now).unwrap();
    assert_eq!(left_out(&store, ids[0]), Some(hoso_model::LeftOut::Clerk));
    let actions: Vec<String> =
        audit::for_subject(store.conn(), &r.id.to_string()).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "page.left_out").count(), 1, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "page.put_back").count(), 1, "{actions:?}");
}

#[test]
fn a_rejected_record_is_queued_again_with_its_job() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let r = new_record(&mut store, "2026-11-23T08:00:00+07:00");
    let now = at("2026-11-23T09:00:00+07:00");
    for (from, to) in [
        (RecordState::Draft, RecordState::Scanning),
        (RecordState::Scanning, RecordState::Processing),
        (RecordState::Processing, RecordState::Review),
    ] {
        store.set_state(&r.id, &StateChange { from, to, reason: None, actor: "test", now }).unwrap();
    }
    store.seal(&r.id, RecordState::Review, "{}", "00", "lan", now).unwrap();
    let job =
        jobs::lease(store.conn(), hoso_store::SYNC_JOB, "w", now.timestamp_millis(), 1000).unwrap().unwrap();
    jobs::fail(store.conn(), &job, "w", "422 refused", jobs::Retry::Permanent, now.timestamp_millis())
        .unwrap();
    store.sync_rejected(&r.id, "422 refused", "lan", now).unwrap();
    assert!(
        jobs::lease(store.conn(), hoso_store::SYNC_JOB, "w", now.timestamp_millis(), 1000).unwrap().is_none()
    );

    store.requeue_rejected(&r.id, "minh", now).unwrap();
    assert_eq!(store.record(&r.id.to_string()).unwrap().state, RecordState::Queued);
    let again = jobs::lease(store.conn(), hoso_store::SYNC_JOB, "w", now.timestamp_millis(), 1000).unwrap();
    assert_eq!(again.map(|j| j.subject), Some(r.id.to_string()), "sent on the next sync");
    assert!(store.requeue_rejected(&r.id, "minh", now).is_err(), "only a rejected record");
}

/// The store holds names, ID numbers and scans: its folder is its user's
/// alone (0700), the database and its journal files 0600, whatever the umask,
/// and a folder made wider before is narrowed when the store opens.
#[cfg(unix)]
#[test]
fn the_store_is_private_to_its_user() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("store");
    std::fs::create_dir(&root).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut store = Store::open(&root).unwrap();
    new_record(&mut store, "2026-12-06T08:00:00+07:00");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700);
    for file in ["hoso.db", "hoso.db-wal", "hoso.db-shm"] {
        let path = root.join(file);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
    assert!(root.join("hoso.db-wal").exists(), "WAL mode: the journal is there to check");
}

#[test]
fn a_reused_document_is_attached_once_audited_and_moves_a_draft_on_to_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let r = new_record(&mut store, "2026-12-06T08:00:00+07:00");
    assert_eq!(r.state, RecordState::Draft);
    let reused = hoso_store::Reused {
        component: 2,
        original_record: "0193a0c4-0000-7000-8000-000000000001".into(),
        original_code: "000.00.02.H29-261201-0007".into(),
        unit: "000.00.02.H29".into(),
        role: "certified".into(),
        sha256: "ab".repeat(32),
        size: 51_234,
        sealed_at: "2026-12-01T10:00:00+07:00".into(),
        attached_at: "2026-12-06T08:05:00+07:00".into(),
        actor: "lan".into(),
    };
    store.add_reused(&r.id, &reused, at(&reused.attached_at)).unwrap();
    // Attached again: no change, no second entry.
    store.add_reused(&r.id, &reused, at("2026-12-06T08:06:00+07:00")).unwrap();
    assert_eq!(store.reused(&r.id).unwrap(), vec![reused]);
    // Nothing was scanned, nothing waits: the record may be reviewed and sealed.
    assert_eq!(store.record(&r.code.to_string()).unwrap().state, RecordState::Review);
    let c = store.conn();
    let attached: i64 = c
        .query_row("SELECT count(*) FROM audit WHERE action = 'reuse.attach' AND actor = 'lan'", [], |x| {
            x.get(0)
        })
        .unwrap();
    assert_eq!(attached, 1);
    assert!(audit::verify(c).unwrap().broken.is_none());
}
