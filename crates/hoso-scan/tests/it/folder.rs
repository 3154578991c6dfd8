//! The watched folder on the real file system: a file being written slowly is
//! not taken until it stops changing; temporary names are ignored; handled
//! files leave the folder.

use std::io::Write;
use std::time::Duration;

use hoso_scan::folder::Watcher;

#[test]
fn a_file_is_taken_only_once_it_stops_changing() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Watcher::new(dir.path(), Duration::from_millis(400)).unwrap();
    let path = dir.path().join("scan-001.png");
    let mut f = std::fs::File::create(&path).unwrap();
    std::fs::write(dir.path().join("scan-002.png.part"), b"partial").unwrap();
    std::fs::write(dir.path().join(".hidden.png"), b"x").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
    // Written in pieces for ~1 s, as a network scanner does.
    for _ in 0..5 {
        f.write_all(&[0u8; 10_000]).unwrap();
        f.flush().unwrap();
        assert!(w.poll().unwrap().is_empty(), "taken while still being written");
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(f);
    assert!(w.poll().unwrap().is_empty(), "taken before the settle time");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(w.poll().unwrap(), vec![path.clone()]);

    let moved = w.finish(&path, None).unwrap();
    assert_eq!(moved, dir.path().join("imported/scan-001.png"));
    assert!(w.poll().unwrap().is_empty());

    // A rejected file keeps its reason beside it; names never collide.
    std::fs::write(&path, b"again").unwrap();
    assert!(w.poll().unwrap().is_empty(), "first sight is never stable");
    std::thread::sleep(Duration::from_millis(450));
    let again = w.poll().unwrap();
    assert_eq!(again, vec![path.clone()]);
    let rejected = w.finish(&path, Some("không phải ảnh / not an image")).unwrap();
    assert_eq!(rejected, dir.path().join("rejected/scan-001.png"));
    let note = std::fs::read_to_string(dir.path().join("rejected/scan-001.png.txt")).unwrap();
    assert!(note.contains("not an image"));
}
