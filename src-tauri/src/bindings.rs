//! The TypeScript types of the front end: ts-rs makes them from
//! [`crate::command::Command`], [`crate::command::Reply`] and
//! [`crate::command::CallError`] (and every type they name) into
//! `ui/src/bindings/`, which is committed so the UI builds without Rust;
//! `Messages.ts` there types each id of the message catalogue
//! (`assets/i18n`) with the arguments its text takes, so tsc refuses a
//! label the catalogue lacks.
//! The test below fails while those files differ from what the Rust types
//! make; `HOSO_WRITE_BINDINGS=1 cargo test -p hoso-desktop --lib bindings`
//! writes them instead.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use ts_rs::TS;

    use crate::command::{CallError, Command, Reply};

    /// The `.ts` files of a folder, by name.
    fn read(dir: &Path) -> BTreeMap<String, String> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".ts"))
                    .map(|e| {
                        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                        (e.file_name().to_string_lossy().into_owned(), text)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `Messages.ts`: each catalogue id with the names of its arguments.
    fn message_types() -> String {
        let ids = hoso_i18n::catalogue(hoso_i18n::Lang::Vi).expect("the catalogue parses");
        let mut out = String::from(
            "// Made from assets/i18n/*.ftl by src-tauri/src/bindings.rs: do not edit.\n\n\
             /** Each message of the catalogue and the arguments its text takes. */\n\
             export type MessageArgs = {\n",
        );
        for (id, vars) in ids {
            let args: Vec<String> = vars.iter().map(|v| format!("{v}: string | number")).collect();
            let args = if args.is_empty() {
                "Record<string, never>".to_owned()
            } else {
                format!("{{ {} }}", args.join("; "))
            };
            out.push_str(&format!("  \"{id}\": {args};\n"));
        }
        out.push_str("};\n\nexport type MessageId = keyof MessageArgs;\n");
        out
    }

    #[test]
    fn bindings_are_what_the_rust_types_make() {
        let made = tempfile::tempdir().unwrap();
        let cfg = ts_rs::Config::new().with_out_dir(made.path());
        Command::export_all(&cfg).unwrap();
        Reply::export_all(&cfg).unwrap();
        CallError::export_all(&cfg).unwrap();
        std::fs::write(made.path().join("Messages.ts"), message_types()).unwrap();
        let made = read(made.path());
        assert!(made.contains_key("Command.ts") && made.contains_key("RecordView.ts"), "{:?}", made.keys());

        let committed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        if std::env::var_os("HOSO_WRITE_BINDINGS").is_some() {
            for old in read(&committed_dir).keys().filter(|k| !made.contains_key(*k)) {
                std::fs::remove_file(committed_dir.join(old)).unwrap();
            }
            std::fs::create_dir_all(&committed_dir).unwrap();
            for (name, text) in &made {
                std::fs::write(committed_dir.join(name), text).unwrap();
            }
            return;
        }
        let committed = read(&committed_dir);
        let stale: Vec<&String> = made
            .keys()
            .chain(committed.keys())
            .filter(|name| made.get(*name) != committed.get(*name))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert!(
            stale.is_empty(),
            "ui/src/bindings is stale ({stale:?}): run `HOSO_WRITE_BINDINGS=1 cargo test -p hoso-desktop --lib bindings` and commit"
        );
    }
}
