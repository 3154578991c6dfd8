//! Scale-out mode against a real PostgreSQL (Debian's postgresql, a private
//! cluster made and started by the test): two hub replicas share the database
//! and the blob folder; records synced through one are known to the other
//! (replay → first receipt, other manifest → 409), each exactly once.

use std::sync::Arc;

mod common;

use common::services::Postgres;
use common::{replay_and_conflict, sealed_records, workstation_as};
use hoso_model::RecordState;

#[test]
fn two_replicas_over_postgresql_agree_on_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = Postgres::start(tmp.path(), &[]);
    let shared = tmp.path().join("hub-volume");
    let a = Arc::new(hoso_hub::Hub::open_postgres(&shared, &pg.url).unwrap());
    let b = Arc::new(hoso_hub::Hub::open_postgres(&shared, &pg.url).unwrap());
    assert_eq!(a.public_key(), b.public_key(), "replicas share the receipt key");
    let serve = |hub: &Arc<hoso_hub::Hub>| hoso_hub::spawn_local(hoso_hub::router(Arc::clone(hub))).unwrap();
    let (url_a, url_b) = (serve(&a), serve(&b));

    let mut app = workstation_as(tmp.path(), "counter-pg", &format!("hub_key = \"{}\"", a.public_key()));
    a.enrol("counter-pg", &app.device_key().unwrap(), "pg").unwrap();
    let codes = sealed_records(&mut app, tmp.path(), 6);
    // Through replica A…
    let report = app.sync(Some(&url_a), false).unwrap();
    assert_eq!(report.synced.len(), 6, "{report:?}");
    assert!(app.sync_ledger().unwrap().iter().all(|e| e.state == RecordState::Synced));
    assert_eq!(b.record_count().unwrap(), 6, "replica B sees what A accepted");

    // …and replica B answers replays with A's receipts, conflicts with 409.
    replay_and_conflict(&app, tmp.path(), &url_b, "counter-pg", &codes[0]);
    assert_eq!(a.record_count().unwrap(), 6);
}
