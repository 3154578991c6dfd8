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

use std::cell::Cell;
use std::fmt;
use std::sync::{Arc, OnceLock};

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
#[derive(Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// Something shown in the language of the message around it: another
    /// message, or an error whose chain holds catalogue messages.
    Shown(Arc<dyn Fn() -> String + Send + Sync>),
}

impl Arg {
    /// `value` shown when the message is, in the message's language.
    pub fn shown(value: impl fmt::Display + Send + Sync + 'static) -> Arg {
        Arg::Shown(Arc::new(move || value.to_string()))
    }

    /// Several things shown one after the other, `separator` between them,
    /// each in the message's language (revocation answers, each a message).
    pub fn list<T: fmt::Display + Send + Sync + 'static>(items: Vec<T>, separator: &'static str) -> Arg {
        Arg::Shown(Arc::new(move || {
            items.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
        }))
    }

    /// An error shown with its causes (`cannot read: no such file`), each
    /// catalogue link in the message's language.
    pub fn error(e: anyhow::Error) -> Arg {
        Arg::Shown(Arc::new(move || format!("{e:#}")))
    }

    /// The value as text, in the language being spoken.
    fn render(&self) -> FluentValue<'_> {
        match self {
            Arg::Text(s) => FluentValue::from(s.as_str()),
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Shown(show) => FluentValue::from(show()),
        }
    }
}

impl fmt::Debug for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Text(s) => s.fmt(f),
            Arg::Number(n) => n.fmt(f),
            Arg::Shown(show) => show().fmt(f),
        }
    }
}

impl PartialEq for Arg {
    fn eq(&self, other: &Arg) -> bool {
        match (self, other) {
            (Arg::Text(a), Arg::Text(b)) => a == b,
            (Arg::Number(a), Arg::Number(b)) => a == b,
            (Arg::Shown(a), Arg::Shown(b)) => a() == b(),
            _ => false,
        }
    }
}

impl Eq for Arg {}

impl Serialize for Arg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Text(t) => s.serialize_str(t),
            Arg::Number(n) => s.serialize_i64(*n),
            Arg::Shown(show) => s.serialize_str(&show()),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<Localized> for Arg {
    fn from(l: Localized) -> Arg {
        Arg::shown(l)
    }
}

impl From<&Localized> for Arg {
    fn from(l: &Localized) -> Arg {
        Arg::shown(l.clone())
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::shown(Localized(m))
    }
}

impl From<&std::path::Path> for Arg {
    fn from(p: &std::path::Path) -> Arg {
        Arg::Text(p.display().to_string())
    }
}

impl From<&std::path::PathBuf> for Arg {
    fn from(p: &std::path::PathBuf) -> Arg {
        Arg::Text(p.display().to_string())
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
number_arg!(u8, u16, u32, u64, usize, i32, i64);

/// Something to say: a catalogue id and its arguments, rendered in one
/// language when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        speaking(lang, || {
            let mut args = FluentArgs::new();
            for (name, value) in &self.args {
                args.set(*name, value.render());
            }
            let mut errors = Vec::new();
            bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned()
        })
    }
}

/// An error that is a catalogue message, so a front end can say it in the
/// person's language. Shown inside [`speaking`] it is in that language, and
/// so is every `Localized` it carries or that wraps it (anyhow's context
/// included); shown elsewhere (a log, a test) it reads "Vietnamese /
/// English".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized(pub Message);

impl Localized {
    /// A typed error (or anything whose Display speaks through the
    /// catalogue) kept as a `Localized`, still said in the language of
    /// wherever it is shown.
    pub fn shown(value: impl fmt::Display + Send + Sync + 'static) -> Localized {
        Localized(Message::new("detail").with("detail", Arg::shown(value)))
    }
}

/// As its text: in the language [`speaking`] sets, else both.
impl Serialize for Localized {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Localized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// In the language [`speaking`] sets; elsewhere "Vietnamese / English".
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match SPEAKING.get() {
            Some(lang) => f.write_str(&self.text(lang)),
            None => write!(f, "{} / {}", self.text(Lang::Vi), self.text(Lang::En)),
        }
    }
}

thread_local! {
    /// The language [`Localized`] speaks on this thread, while [`speaking`] runs.
    static SPEAKING: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Runs `show` with every [`Localized`] it displays said in `lang`.
pub fn speaking<R>(lang: Lang, show: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SPEAKING.set(self.0);
        }
    }
    let _restore = Restore(SPEAKING.replace(Some(lang)));
    show()
}

/// A [`Message`]: `msg!("id", name = value, …)`. The tests hold each id and
/// its argument names to the catalogues.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Message::new($id)$(.with(stringify!($name), $value))*
    };
}

/// A [`Localized`] error: `err!("id", name = value, …)`, for `bail!`,
/// `Err(…)?` and `.context(…)`.
#[macro_export]
macro_rules! err {
    ($($message:tt)*) => {
        $crate::Localized($crate::msg!($($message)*))
    };
}

impl std::error::Error for Localized {}

/// Technical detail no catalogue translates (an OS or parser error's own
/// text), said as it is in both languages.
impl From<String> for Localized {
    fn from(detail: String) -> Localized {
        Localized(Message::new("detail").with("detail", detail))
    }
}

impl From<&str> for Localized {
    fn from(detail: &str) -> Localized {
        Localized::from(detail.to_owned())
    }
}

impl From<Message> for Localized {
    fn from(m: Message) -> Localized {
        Localized(m)
    }
}

/// An error chain (outermost first) said in `lang`, joined by ": ": each
/// link's catalogue messages in that language, text not in the catalogue
/// (a path, an OS error) as it is.
pub fn localize<'a>(
    chain: impl IntoIterator<Item = &'a (dyn std::error::Error + 'static)>,
    lang: Lang,
) -> String {
    speaking(lang, || chain.into_iter().map(|e| e.to_string()).collect::<Vec<_>>().join(": "))
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
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

    /// Every id the code names (`Message::new("…")`, `msg!("…", …)`,
    /// `err!("…", …)`) is in the catalogues, and each `msg!` / `err!` gives
    /// exactly the variables its text uses.
    #[test]
    fn every_id_the_code_uses_is_in_the_catalogue_with_its_variables() {
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
        let known: std::collections::HashMap<String, Vec<String>> =
            catalogue(Lang::Vi).unwrap().into_iter().collect();
        let mut used = 0;
        for file in files.iter().filter(|f| !f.ends_with("hoso-i18n/src/lib.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for (call, with_args) in [("Message::new(\"", false), ("msg!(\"", true), ("err!(\"", true)] {
                for (at, _) in text.match_indices(call) {
                    let rest = &text[at + call.len()..];
                    let id = rest.split('"').next().unwrap_or_default();
                    let Some(vars) = known.get(id) else {
                        panic!("{}: {id:?} is in no catalogue", file.display());
                    };
                    if with_args {
                        let mut given = macro_arguments(&rest[id.len() + 1..]);
                        given.sort();
                        assert_eq!(
                            &given,
                            vars,
                            "{}: {id} gives {given:?}, its text uses {vars:?}",
                            file.display()
                        );
                    }
                    used += 1;
                }
            }
        }
        assert!(used >= 10, "found {used} uses");
    }

    /// The names of `name = value` arguments at the top level of a macro
    /// call's remaining text (up to its closing parenthesis).
    fn macro_arguments(rest: &str) -> Vec<String> {
        let mut names = Vec::new();
        let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
        let mut start = 0;
        let bytes = rest.as_bytes();
        let mut segments = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => {
                    segments.push(&rest[start..i]);
                    break;
                }
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    segments.push(&rest[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        for segment in segments {
            if let Some((name, _)) = segment.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    names.push(name.to_owned());
                }
            }
        }
        names
    }

    #[test]
    fn a_localized_error_speaks_the_language_around_it_even_inside_another_message_or_context() {
        let inner = err!("task-scanned-then-stopped", pages = 3, why = msg!("task-no-page"));
        assert_eq!(
            speaking(Lang::En, || inner.to_string()),
            "Scanned 3 pages, then: the scanner returned no page"
        );
        let wrapped =
            anyhow::Error::new(Localized(msg!("task-no-page"))).context(err!("error-not-signed-in"));
        assert_eq!(localize(wrapped.chain(), Lang::Vi), "chưa đăng nhập: máy quét không trả về trang nào");
        assert_eq!(macro_arguments(r#", a = f(1, 2), b_c = "x, y = z")"#), ["a", "b_c"]);
    }
}
