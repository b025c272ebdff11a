//! Text with just enough structure for both renderers: the CLI writes Markdown, the UI
//! writes HTML, and neither has to parse the other's markup.

use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Span {
    Text(Cow<'static, str>),
    /// A label on screen in the portal or the vendor's console (render in bold).
    Ui(Cow<'static, str>),
    /// A value to type or copy: a permission name, a URI (render monospace).
    Code(Cow<'static, str>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rich(pub Vec<Span>);

impl Rich {
    pub fn new() -> Rich {
        Rich(Vec::new())
    }

    pub fn text(s: impl Into<Cow<'static, str>>) -> Rich {
        Rich::new().t(s)
    }

    pub fn t(mut self, s: impl Into<Cow<'static, str>>) -> Rich {
        self.0.push(Span::Text(s.into()));
        self
    }

    pub fn ui(mut self, s: impl Into<Cow<'static, str>>) -> Rich {
        self.0.push(Span::Ui(s.into()));
        self
    }

    pub fn code(mut self, s: impl Into<Cow<'static, str>>) -> Rich {
        self.0.push(Span::Code(s.into()));
        self
    }

    /// Appends another piece of rich text.
    pub fn then(mut self, other: Rich) -> Rich {
        self.0.extend(other.0);
        self
    }

    /// Without markup (for search, titles, tests).
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Span::Text(t) | Span::Ui(t) | Span::Code(t) => t.as_ref(),
            })
            .collect()
    }

    pub fn to_markdown(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Span::Text(t) => escape_markdown(t),
                Span::Ui(t) => format!("**{}**", escape_markdown(t)),
                Span::Code(t) => code_span(t),
            })
            .collect()
    }
}

/// "a" or "an" before `word`, by its first letter. The words it is used for are role and
/// field names ("an Application (client) ID", "a Cloud Application Administrator"), none
/// with a silent h or a u said "you".
pub fn indefinite_article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// [`indefinite_article`] and `word`, to start a sentence: "An Application (client) ID".
pub fn with_article_capitalized(word: &str) -> String {
    let article = indefinite_article(word);
    format!(
        "{}{} {word}",
        article[..1].to_ascii_uppercase(),
        &article[1..]
    )
}

/// Backslash-escapes what Markdown would otherwise read as markup (`<tenant>` as HTML,
/// `*` as emphasis).
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span that survives backticks inside the value.
fn code_span(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_follows_the_field_name() {
        assert_eq!(
            with_article_capitalized("Application (client) ID"),
            "An Application (client) ID"
        );
        assert_eq!(
            with_article_capitalized("Directory (tenant) ID"),
            "A Directory (tenant) ID"
        );
        assert_eq!(indefinite_article("Object ID"), "an");
        assert_eq!(indefinite_article("Privileged Role Administrator"), "a");
    }
}
