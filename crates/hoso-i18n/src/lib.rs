//! The message catalogue of HoSo Intake: one Project Fluent file per language
//! (`assets/i18n/vi.ftl`, `assets/i18n/en.ftl`), compiled into the program,
//! and a [`Message`] (an id with named arguments) that front ends render in
//! the one language the person chose. Fluent was chosen over a hand-made
//! table because its files are plain text a translator can review, and it
//! has the plural and selector rules Vietnamese and English differ on (one /
//! other in English, none in Vietnamese); it is Mozilla's, kept for Firefox.
//!
//! Both catalogues hold the same ids with the same variables (a test checks
//! it), so a message never falls back to the other language. An id missing
//! from a catalogue renders as the id itself, never a panic.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;

const VI: &str = include_str!("../../../assets/i18n/vi.ftl");
const EN: &str = include_str!("../../../assets/i18n/en.ftl");

/// A language HoSo speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    fn source(self) -> &'static str {
        match self {
            Lang::Vi => VI,
            Lang::En => EN,
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 2] = [OnceLock::new(), OnceLock::new()];
        BUNDLES[self as usize].get_or_init(|| {
            let id: unic_langid::LanguageIdentifier = match self {
                Lang::Vi => unic_langid::langid!("vi"),
                Lang::En => unic_langid::langid!("en"),
            };
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would show as odd characters in a terminal.
            bundle.set_use_isolating(false);
            // A catalogue that does not parse keeps what did (the tests refuse it).
            let resource =
                FluentResource::try_new(self.source().to_owned()).unwrap_or_else(|(partial, _)| partial);
            let _ = bundle.add_resource(resource);
            bundle
        })
    }
}

/// A value given to a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(u16, u32, u64, usize, i32, i64);

/// Something to say: a catalogue id and its arguments, rendered in one
/// language when shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message { id, args: Vec::new() }
    }

    /// The message with the argument `name` set.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let bundle = lang.bundle();
        let Some(pattern) = bundle.get_message(self.id).and_then(|m| m.value()) else {
            return self.id.to_owned();
        };
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                Arg::Text(s) => args.set(*name, FluentValue::from(s.as_str())),
                Arg::Number(n) => args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned()
    }
}

/// An error that is a catalogue message, so a front end can say it in the
/// person's language ([`localize`]). Shown without a front end (a log, a
/// test) it reads "Vietnamese / English".
#[derive(Debug, Clone, PartialEq)]
pub struct Localized(pub Message);

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.0.text(Lang::Vi), self.0.text(Lang::En))
    }
}

impl std::error::Error for Localized {}

impl From<Message> for Localized {
    fn from(m: Message) -> Localized {
        Localized(m)
    }
}

/// An error chain (outermost first) said in `lang`: each link that is a
/// [`Localized`] message in that language, the others as they are (text not
/// yet in the catalogue, which may hold both languages), joined by ": ".
pub fn localize<'a>(
    chain: impl IntoIterator<Item = &'a (dyn std::error::Error + 'static)>,
    lang: Lang,
) -> String {
    chain
        .into_iter()
        .map(|e| match e.downcast_ref::<Localized>() {
            Some(Localized(m)) => m.text(lang),
            None => e.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// The ids of a catalogue, each with the variables its text uses (for the
/// tests that hold both catalogues, and the code, to the same ids).
pub fn catalogue(lang: Lang) -> Result<Vec<(String, Vec<String>)>, String> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    fn variables(pattern: &Pattern<&str>, out: &mut Vec<String>) {
        fn inline(e: &InlineExpression<&str>, out: &mut Vec<String>) {
            match e {
                InlineExpression::VariableReference { id } => out.push(id.name.to_owned()),
                InlineExpression::Placeable { expression } => expression_vars(expression, out),
                _ => {}
            }
        }
        fn expression_vars(e: &Expression<&str>, out: &mut Vec<String>) {
            match e {
                Expression::Inline(i) => inline(i, out),
                Expression::Select { selector, variants } => {
                    inline(selector, out);
                    for v in variants {
                        variables(&v.value, out);
                    }
                }
            }
        }
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                expression_vars(expression, out);
            }
        }
    }
    let resource = FluentResource::try_new(lang.source().to_owned())
        .map_err(|(_, errors)| format!("{lang:?}: {errors:?}"))?;
    let mut out = Vec::new();
    for entry in resource.entries() {
        if let Entry::Message(m) = entry {
            let mut vars = Vec::new();
            if let Some(value) = &m.value {
                variables(value, &mut vars);
            }
            vars.sort();
            vars.dedup();
            out.push((m.id.name.to_owned(), vars));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_hold_the_same_ids_with_the_same_variables() {
        let vi = catalogue(Lang::Vi).unwrap();
        let en = catalogue(Lang::En).unwrap();
        assert!(vi.len() >= 10, "{vi:?}");
        assert_eq!(vi, en);
    }

    #[test]
    fn messages_render_in_one_language_with_plurals_where_the_language_has_them() {
        let built = Message::new("task-built").with("documents", 2u32).with("pages", 1u32);
        assert_eq!(built.text(Lang::Vi), "Đã dựng 2 PDF/A (1 trang)");
        assert_eq!(built.text(Lang::En), "Built 2 PDF/A (1 page)");
        let read = Message::new("task-read").with("pages", 12u32);
        assert_eq!(read.text(Lang::En), "Read 12 pages");
        assert_eq!(read.text(Lang::Vi), "Đã nhận dạng 12 trang");
        let copy =
            Message::new("task-certified-copy").with("record", "000.00.01.H29-261205-0001").with("number", 7);
        assert_eq!(copy.text(Lang::Vi), "000.00.01.H29-261205-0001 số 7");
        assert_eq!(Message::new("no-such-id").text(Lang::Vi), "no-such-id");
    }

    #[test]
    fn an_error_chain_is_said_in_one_language_where_its_links_are_in_the_catalogue() {
        #[derive(Debug)]
        struct Outer(Localized);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("cannot save")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = Outer(Localized(Message::new("error-not-signed-in")));
        let chain = || std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| e.source());
        assert_eq!(localize(chain(), Lang::En), "cannot save: not signed in");
        assert_eq!(localize(chain(), Lang::Vi), "cannot save: chưa đăng nhập");
        assert_eq!(
            Localized(Message::new("error-not-signed-in")).to_string(),
            "chưa đăng nhập / not signed in"
        );
    }

    /// Every id the code names (`Message::new("…")`) is in the catalogues.
    #[test]
    fn every_id_the_code_uses_is_in_the_catalogue() {
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() && !path.ends_with("target") {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        sources(&root.join("crates"), &mut files);
        sources(&root.join("src-tauri/src"), &mut files);
        let known: Vec<String> = catalogue(Lang::Vi).unwrap().into_iter().map(|(id, _)| id).collect();
        let mut used = 0;
        for file in files.iter().filter(|f| !f.ends_with("hoso-i18n/src/lib.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for (_, rest) in text.match_indices("Message::new(\"").map(|(i, _)| text.split_at(i + 14)) {
                let id = rest.split('"').next().unwrap_or_default();
                assert!(known.iter().any(|k| k == id), "{}: {id:?} is in no catalogue", file.display());
                used += 1;
            }
        }
        assert!(used >= 10, "found {used} uses");
    }
}
