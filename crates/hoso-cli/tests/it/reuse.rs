//! Reuse across counters: a record digitised at counter A and synced; at
//! counter B the same applicant's record asks the hub what was already
//! digitised (the hub's audit shows who asked, for whom and why), attaches
//! it by reference instead of scanning it again, and is sealed and accepted
//! with the original named.

use std::sync::Arc;

use crate::*;

/// A counter enrolled at `hub` as `device`, with its own store and config.
fn counter(dir: &Path, device: &str, url: &str, hub: &hoso_hub::Hub) -> impl Fn(&[&str]) -> Output {
    let data = dir.join(device);
    let config = dir.join(format!("{device}.toml"));
    write_config(
        &config,
        &format!("device_id = \"{device}\"\nhub_url = \"{url}\"\nhub_key = \"{}\"\n", hub.public_key()),
    );
    let run = move |args: &[&str]| cmd(&data, args).env("HOSO_CONFIG", &config).run();
    let o = run(&["--json", "sync", "key"]);
    let key = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    hub.enrol(device, &key, "test").unwrap();
    run
}

#[test]
fn a_component_digitised_at_one_counter_is_found_at_another() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Arc::new(hoso_hub::Hub::open(&dir.path().join("hub")).unwrap());
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
    let a = counter(dir.path(), "counter-a", &url, &hub);
    let b = counter(dir.path(), "counter-b", &url, &hub);
    let id = "079070752696";

    // Counter A receives, digitises, seals and syncs the applicant's record:
    // its component 2, the birth certificate (GCS).
    let o = a(&["--json", "record", "new", "--procedure", "1.001193", "--name", "Lê Minh Nam", "--id", id]);
    let code_a = record_code(&o.stdout);
    let file = write_png(dir.path(), "p.png", &page(620, 877, 3));
    assert!(a(&["import", &code_a, file.to_str().unwrap(), "--component", "2"]).status.success());
    assert!(a(&["process"]).status.success());
    assert!(a(&["build", &code_a]).status.success());
    assert!(a(&["seal", &code_a]).status.success());
    let o = a(&["sync"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Counter B, another record for the same person: the hub knows A's component.
    let o = b(&["--json", "record", "new", "--procedure", "1.001193", "--name", "Lê Minh Nam", "--id", id]);
    let code_b = record_code(&o.stdout);
    let o = b(&["--json", "reuse", &code_b]);
    assert!(o.status.success(), "{}", stderr(&o));
    let found: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = found.as_array().unwrap();
    assert_eq!(docs.len(), 1, "{found}");
    assert_eq!(
        (docs[0]["record_code"].as_str(), docs[0]["role"].as_str()),
        (Some(code_a.as_str()), Some("pdfa"))
    );
    assert_eq!((docs[0]["unit"].as_str(), docs[0]["component_code"].as_str()), (Some(UNIT), Some("GCS")));
    let o = b(&["reuse", &code_b]);
    assert!(stdout(&o).contains("1 documents already digitised"), "{}", stdout(&o));

    // Every lookup is in the hub's audit: which counter, which clerk, whose ID, why.
    let lookups: Vec<_> = hub.events().unwrap().into_iter().filter(|e| e.action == "lookup").collect();
    assert_eq!(lookups.len(), 2, "{lookups:?}");
    assert_eq!(lookups[0].device, "counter-b");
    let detail: serde_json::Value = serde_json::from_str(&lookups[0].detail).unwrap();
    assert_eq!((detail["personal_id"].as_str(), detail["clerk"].as_str()), (Some(id), Some("test")));
    assert!(detail["purpose"].as_str().unwrap().contains(&code_b), "{detail}");

    // B scans its own component 1, and attaches A's birth certificate as its
    // component 2 by reference: nothing scanned again.
    let sha = docs[0]["sha256"].as_str().unwrap();
    let file = write_png(dir.path(), "q.png", &page(620, 877, 4));
    assert!(b(&["import", &code_b, file.to_str().unwrap()]).status.success());
    let o = b(&["reuse", &code_b, "--attach", sha, "--component", "2"]);
    assert!(
        o.status.success() && stdout(&o).contains(&format!("record {code_a}")),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = b(&["reuse", &code_b, "--attach", &"0".repeat(64), "--component", "2"]);
    assert!(!o.status.success() && stderr(&o).contains("lists no document"), "{}", stderr(&o));
    assert!(b(&["process"]).status.success());
    assert!(b(&["build", &code_b]).status.success());
    let o = b(&["--json", "seal", &code_b]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sealed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reused: Vec<_> =
        sealed["files"].as_array().unwrap().iter().filter(|f| f["role"] == "reused").collect();
    assert_eq!(reused.len(), 1, "{sealed}");
    assert_eq!((reused[0]["sha256"].as_str(), reused[0]["component"].as_u64()), (Some(sha), Some(2)));
    assert_eq!(reused[0]["original_record"], docs[0]["record_id"]);
    // The hub accepts it (the original holds that document) and B's receipt verifies.
    let o = b(&["sync"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(hub.record_count().unwrap(), 2);
    let o = b(&["audit", "verify", "--hub"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));

    // Someone else's ID finds nothing of this person; a record without an ID asks nothing.
    let o = b(&["--json", "record", "new", "--procedure", "1.001193", "--name", "Ngô Thị Ngọc"]);
    let o = b(&["reuse", &record_code(&o.stdout)]);
    assert!(!o.status.success() && stderr(&o).contains("no personal ID"), "{}", stderr(&o));
    // Lookups: two listings and the attach's own (it checks the hub still offers it), twice.
    assert_eq!(hub.events().unwrap().iter().filter(|e| e.action == "lookup").count(), 4);
}
