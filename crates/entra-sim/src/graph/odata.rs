//! The slice of OData query options Graph directory reads need: `$select`, `$filter`
//! (`eq`, `ne`, `startswith`, `any` over string collections, `and`, `or`, `not`,
//! parentheses), `$top` with `$skiptoken` paging, and `$count`.

use serde_json::{Map, Value};

#[derive(Debug, Default)]
pub struct Query {
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub top: Option<usize>,
    pub skip: usize,
    pub count: bool,
}

/// A query option the client got wrong: 400 with this code and message.
#[derive(Debug, PartialEq)]
pub struct QueryError {
    pub code: &'static str,
    pub message: String,
}

fn bad(message: impl Into<String>) -> QueryError {
    QueryError {
        code: "BadRequest",
        message: message.into(),
    }
}

fn unsupported(message: impl Into<String>) -> QueryError {
    QueryError {
        code: "Request_UnsupportedQuery",
        message: message.into(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Compare {
        property: String,
        op: CompareOp,
        value: Literal,
    },
    StartsWith {
        property: String,
        prefix: String,
    },
    /// `tags/any(t: t eq 'x')` or `tags/any(t: startswith(t, 'x'))`.
    Any {
        property: String,
        inner: Box<Expr>,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CompareOp {
    Eq,
    Ne,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Bool(bool),
    Null,
}

/// Properties of the resource that `$filter` supports, and the name of the OData type for
/// messages. A property named `x/any` stands for a string collection filterable with `any`.
pub struct Resource<'a> {
    pub type_name: &'a str,
    pub filterable: &'a [&'a str],
}

impl Query {
    /// Parses the raw query string of a collection or entity read.
    pub fn parse(
        raw: Option<&str>,
        resource: &Resource,
        known_properties: &[impl AsRef<str>],
    ) -> Result<Query, QueryError> {
        let mut q = Query::default();
        for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            match key.as_ref() {
                "$select" => {
                    let props: Vec<String> = value
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect();
                    for p in &props {
                        if !known_properties
                            .iter()
                            .any(|k| k.as_ref().eq_ignore_ascii_case(p))
                        {
                            return Err(bad(format!(
                                "Could not find a property named '{p}' on type 'microsoft.graph.{}'.",
                                resource.type_name
                            )));
                        }
                    }
                    q.select = Some(props);
                }
                "$filter" => q.filter = Some(parse_filter(&value, resource)?),
                "$top" => {
                    let n: usize = value
                        .parse()
                        .map_err(|_| bad(format!("Invalid value '{value}' for $top.")))?;
                    if n == 0 || n > 999 {
                        return Err(bad("The value of $top must be between 1 and 999."));
                    }
                    q.top = Some(n);
                }
                "$skiptoken" => {
                    q.skip = value.parse().map_err(|_| bad("Invalid $skiptoken."))?;
                }
                "$count" => q.count = value == "true",
                other if other.starts_with('$') => {
                    return Err(unsupported(format!(
                        "Query option '{other}' is not supported by entra-sim."
                    )));
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// Applies `$select` to one object (property names as Graph spells them). Annotations
    /// such as `@odata.type` are not properties: clients branch on them, so they stay.
    pub fn project(&self, object: &Map<String, Value>) -> Map<String, Value> {
        match &self.select {
            None => object.clone(),
            Some(props) => object
                .iter()
                .filter(|(k, _)| {
                    k.starts_with("@odata.") || props.iter().any(|p| p.eq_ignore_ascii_case(k))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}

pub fn matches(expr: &Expr, object: &Map<String, Value>) -> bool {
    match expr {
        Expr::Compare {
            property,
            op,
            value,
        } => {
            let actual = lookup(object, property);
            let equal = literal_equals(actual, value);
            match op {
                CompareOp::Eq => equal,
                CompareOp::Ne => !equal,
            }
        }
        Expr::StartsWith { property, prefix } => lookup(object, property)
            .and_then(Value::as_str)
            .is_some_and(|s| s.to_lowercase().starts_with(&prefix.to_lowercase())),
        Expr::Any { property, inner } => lookup(object, property)
            .and_then(Value::as_array)
            .is_some_and(|items| {
                items.iter().any(|item| {
                    let mut single = Map::new();
                    single.insert("$it".into(), item.clone());
                    matches(inner, &single)
                })
            }),
        Expr::And(a, b) => matches(a, object) && matches(b, object),
        Expr::Or(a, b) => matches(a, object) || matches(b, object),
        Expr::Not(a) => !matches(a, object),
    }
}

fn lookup<'a>(object: &'a Map<String, Value>, property: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(property))
        .map(|(_, v)| v)
}

/// Directory string comparisons are case-insensitive.
fn literal_equals(actual: Option<&Value>, expected: &Literal) -> bool {
    match (actual, expected) {
        (Some(Value::String(a)), Literal::Text(b)) => a.eq_ignore_ascii_case(b),
        (Some(Value::Bool(a)), Literal::Bool(b)) => a == b,
        (None | Some(Value::Null), Literal::Null) => true,
        _ => false,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Text(String),
    LParen,
    RParen,
    Comma,
    Colon,
    Slash,
}

fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' => {
                tokens.push(Token::LParen);
                i += 1;
            }
            ')' => {
                tokens.push(Token::RParen);
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            ':' => {
                tokens.push(Token::Colon);
                i += 1;
            }
            '/' => {
                tokens.push(Token::Slash);
                i += 1;
            }
            '\'' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(bad("Unterminated string literal in $filter.")),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            text.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            text.push(*ch);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Text(text));
            }
            _ if c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '-' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || "_$.-".contains(chars[i])) {
                    i += 1;
                }
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
            }
            _ => return Err(bad(format!("Syntax error at position {i} in '{input}'."))),
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    resource: &'a Resource<'a>,
    lambda_var: Option<String>,
}

pub fn parse_filter(input: &str, resource: &Resource) -> Result<Expr, QueryError> {
    let mut p = Parser {
        tokens: tokenize(input)?,
        pos: 0,
        resource,
        lambda_var: None,
    };
    let expr = p.or_expr()?;
    if p.pos != p.tokens.len() {
        return Err(bad(format!("Syntax error in $filter '{input}'.")));
    }
    Ok(expr)
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, token: Token) -> Result<(), QueryError> {
        match self.next() {
            Some(t) if t == token => Ok(()),
            _ => Err(bad("Syntax error in $filter.")),
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or_expr(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and_expr()?;
        while self.keyword("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.keyword("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::LParen) {
            self.pos += 1;
            let e = self.or_expr()?;
            self.expect(Token::RParen)?;
            return Ok(e);
        }
        let Some(Token::Ident(name)) = self.next() else {
            return Err(bad(
                "Syntax error in $filter: expected a property or function.",
            ));
        };
        if name.eq_ignore_ascii_case("startswith") {
            self.expect(Token::LParen)?;
            let property = self.property()?;
            self.expect(Token::Comma)?;
            let Some(Token::Text(prefix)) = self.next() else {
                return Err(bad("startswith expects a string literal."));
            };
            self.expect(Token::RParen)?;
            return Ok(Expr::StartsWith { property, prefix });
        }
        if self.peek() == Some(&Token::Slash) {
            self.pos += 1;
            match self.next() {
                Some(Token::Ident(f)) if f.eq_ignore_ascii_case("any") => {}
                _ => return Err(unsupported("Only the 'any' lambda operator is supported.")),
            }
            self.check_filterable(&format!("{name}/any"))?;
            self.expect(Token::LParen)?;
            let Some(Token::Ident(var)) = self.next() else {
                return Err(bad("Syntax error in lambda expression."));
            };
            self.expect(Token::Colon)?;
            let outer = self.lambda_var.replace(var);
            let inner = self.or_expr()?;
            self.lambda_var = outer;
            self.expect(Token::RParen)?;
            return Ok(Expr::Any {
                property: canonical(self.resource, &format!("{name}/any")),
                inner: Box::new(inner),
            });
        }
        self.pos -= 1;
        let property = self.property()?;
        let op = match self.next() {
            Some(Token::Ident(op)) if op.eq_ignore_ascii_case("eq") => CompareOp::Eq,
            Some(Token::Ident(op)) if op.eq_ignore_ascii_case("ne") => CompareOp::Ne,
            Some(Token::Ident(op)) => {
                return Err(unsupported(format!(
                    "The operator '{op}' is not supported by entra-sim."
                )))
            }
            _ => return Err(bad("Syntax error in $filter: expected an operator.")),
        };
        let value = match self.next() {
            Some(Token::Text(t)) => Literal::Text(t),
            Some(Token::Ident(w)) if w == "true" => Literal::Bool(true),
            Some(Token::Ident(w)) if w == "false" => Literal::Bool(false),
            Some(Token::Ident(w)) if w == "null" => Literal::Null,
            // GUIDs may be written bare in some clients' filters.
            Some(Token::Ident(w)) if uuid::Uuid::parse_str(&w).is_ok() => Literal::Text(w),
            _ => return Err(bad("Syntax error in $filter: expected a literal.")),
        };
        Ok(Expr::Compare {
            property,
            op,
            value,
        })
    }

    /// A property name (or the lambda variable), checked against what the resource supports.
    fn property(&mut self) -> Result<String, QueryError> {
        let Some(Token::Ident(name)) = self.next() else {
            return Err(bad("Syntax error in $filter: expected a property."));
        };
        if self.lambda_var.as_deref() == Some(name.as_str()) {
            return Ok("$it".into());
        }
        self.check_filterable(&name)?;
        Ok(canonical(self.resource, &name))
    }

    fn check_filterable(&self, name: &str) -> Result<(), QueryError> {
        if self
            .resource
            .filterable
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
        {
            Ok(())
        } else {
            Err(unsupported(format!(
                "Unsupported or invalid query filter clause specified for property '{name}' of resource '{}'.",
                self.resource.type_name
            )))
        }
    }
}

fn canonical(resource: &Resource, name: &str) -> String {
    let found = resource
        .filterable
        .iter()
        .find(|p| p.eq_ignore_ascii_case(name))
        .copied()
        .unwrap_or(name);
    found.trim_end_matches("/any").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const APPS: Resource = Resource {
        type_name: "application",
        filterable: &["appId", "displayName", "uniqueName", "tags/any"],
    };

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn filters_parse_and_evaluate() {
        let app = obj(
            json!({"appId": "ABC", "displayName": "Kinde Calendar", "tags": ["x-managed", "b"]}),
        );
        let f = |s: &str| parse_filter(s, &APPS).unwrap();
        assert!(matches(&f("appId eq 'abc'"), &app));
        assert!(!matches(&f("appId ne 'abc'"), &app));
        assert!(matches(&f("startswith(displayName,'kinde')"), &app));
        assert!(matches(&f("tags/any(t:t eq 'x-managed')"), &app));
        assert!(matches(&f("tags/any(t: startswith(t, 'x-'))"), &app));
        assert!(!matches(&f("tags/any(t:t eq 'nope')"), &app));
        assert!(matches(
            &f("(appId eq 'zzz' or displayName eq 'Kinde Calendar') and not uniqueName eq 'q'"),
            &app
        ));
        assert!(matches(
            &f("displayName eq 'O''Brien' or appId eq 'abc'"),
            &app
        ));
    }

    #[test]
    fn unsupported_properties_and_operators_are_refused() {
        assert_eq!(
            parse_filter("notes eq 'x'", &APPS).unwrap_err().code,
            "Request_UnsupportedQuery"
        );
        assert_eq!(
            parse_filter("appId gt 'x'", &APPS).unwrap_err().code,
            "Request_UnsupportedQuery"
        );
        assert_eq!(
            parse_filter("appId eq", &APPS).unwrap_err().code,
            "BadRequest"
        );
    }

    #[test]
    fn select_checks_names_and_projects() {
        let known = vec![
            "id".to_owned(),
            "appId".to_owned(),
            "displayName".to_owned(),
        ];
        let q = Query::parse(Some("$select=id,APPID"), &APPS, &known).unwrap();
        let projected = q.project(&obj(
            json!({"@odata.type": "#t", "id": "1", "appId": "2", "displayName": "3"}),
        ));
        assert_eq!(
            projected,
            obj(json!({"@odata.type": "#t", "id": "1", "appId": "2"}))
        );
        assert!(Query::parse(Some("$select=nope"), &APPS, &known).is_err());
        assert!(Query::parse(Some("$orderby=displayName"), &APPS, &known).is_err());
    }
}
