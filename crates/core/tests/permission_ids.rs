//! Every permission GUID in the catalog is backed by the reference files, and every
//! permission marked "resolve from the tenant" is not (rules: tests/reference/README.md).

use std::collections::HashMap;
use std::sync::OnceLock;

use entra_setup_core::catalog::{self, apis, Permission, PermissionId};

const GRAPH_TSV: &str = include_str!("reference/graph-permission-ids.tsv");
const OTHER_TSV: &str = include_str!("reference/other-api-permission-ids.tsv");

/// (permission, type) -> all rows' (id, source count, note).
type GraphRows = HashMap<(String, String), Vec<(String, usize, String)>>;

/// (api app id, permission, type) -> (api name, id, confidence).
type OtherRows = HashMap<(String, String, String), (String, String, u32)>;

/// Each file is parsed once, not once per permission looked up.
fn graph_rows() -> &'static GraphRows {
    static ROWS: OnceLock<GraphRows> = OnceLock::new();
    ROWS.get_or_init(parse_graph_rows)
}

fn other_rows() -> &'static OtherRows {
    static ROWS: OnceLock<OtherRows> = OnceLock::new();
    ROWS.get_or_init(parse_other_rows)
}

fn parse_graph_rows() -> GraphRows {
    let mut lines = GRAPH_TSV.lines();
    assert_eq!(lines.next(), Some("permission\ttype\tid\tsource\tnote"));
    let mut rows: HashMap<_, Vec<_>> = HashMap::new();
    for line in lines {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{line}");
        let sources = cols[3]
            .split(" ; ")
            .filter(|s| !s.trim().is_empty())
            .count();
        rows.entry((cols[0].to_owned(), cols[1].to_owned()))
            .or_default()
            .push((cols[2].to_owned(), sources, cols[4].to_owned()));
    }
    rows
}

fn parse_other_rows() -> OtherRows {
    let mut lines = OTHER_TSV.lines();
    assert_eq!(
        lines.next(),
        Some("api_app_id\tapi_name\tpermission\ttype\tid\tsource\tconfidence\tnote")
    );
    let mut rows = HashMap::new();
    for line in lines {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 8, "{line}");
        let previous = rows.insert(
            (cols[0].to_owned(), cols[2].to_owned(), cols[3].to_owned()),
            (
                cols[1].to_owned(),
                cols[4].to_owned(),
                cols[6].parse().expect("confidence is a number"),
            ),
        );
        assert!(previous.is_none(), "duplicate row {line}");
    }
    rows
}

/// The backed GUID for a permission, per the README's rules, or why there is none.
fn backed_id(p: &Permission) -> Result<String, String> {
    if p.api.app_id == apis::MICROSOFT_GRAPH.app_id {
        let rows = graph_rows();
        let key = (p.value.to_owned(), p.kind.as_str().to_owned());
        let Some(found) = rows.get(&key) else {
            return Err("absent from graph-permission-ids.tsv".into());
        };
        if found.len() != 1 {
            return Err(format!("{} rows disagree", found.len()));
        }
        let (id, sources, note) = &found[0];
        for doubt in [
            "other id(s) for same permission+type",
            "not in live Graph service principal dumps",
            "absent from the",
            "MALFORMED",
        ] {
            if note.contains(doubt) {
                return Err(format!("note: {note}"));
            }
        }
        if *sources < 2 {
            return Err(format!("only {sources} source"));
        }
        Ok(id.clone())
    } else {
        let rows = other_rows();
        let key = (
            p.api.app_id.to_owned(),
            p.value.to_owned(),
            p.kind.as_str().to_owned(),
        );
        match rows.get(&key) {
            None => Err("absent from other-api-permission-ids.tsv".into()),
            Some((_, _, confidence)) if *confidence < 2 => Err(format!("confidence {confidence}")),
            Some((_, id, _)) => Ok(id.clone()),
        }
    }
}

/// Every permission the catalog can grant: the guides' lists and the replacements.
fn all_permissions() -> Vec<(&'static str, &'static Permission)> {
    let mut out = Vec::new();
    for i in catalog::ALL.iter() {
        for p in i.permissions {
            out.push((i.id, p));
            if let Some(r) = p.grant_instead {
                out.push((i.id, r));
            }
        }
    }
    out
}

#[test]
fn every_catalog_guid_is_backed_and_every_resolve_is_not() {
    let mut failures = Vec::new();
    let mut known = 0;
    let mut resolve = 0;
    for (integration, p) in all_permissions() {
        if p.retired() {
            // Never granted; the files do not cover Azure AD Graph.
            assert_eq!(
                p.id,
                PermissionId::ResolveFromTenant,
                "{integration} {}",
                p.value
            );
            continue;
        }
        let what = format!(
            "{integration}: {} {} ({})",
            p.api.name,
            p.value,
            p.kind.as_str()
        );
        match (p.id, backed_id(p)) {
            (PermissionId::Known(id), Ok(backed)) if id == backed => known += 1,
            (PermissionId::Known(id), Ok(backed)) => {
                failures.push(format!("{what}: catalog {id}, file {backed}"))
            }
            (PermissionId::Known(id), Err(why)) => {
                failures.push(format!("{what}: catalog {id} but not backed ({why})"))
            }
            (PermissionId::ResolveFromTenant, Err(_)) => resolve += 1,
            (PermissionId::ResolveFromTenant, Ok(backed)) => failures.push(format!(
                "{what}: marked resolve, but the file backs {backed}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The catalog really uses both kinds (the seven low-confidence WindowsDefenderATP scopes).
    assert!(known > 150, "{known}");
    assert_eq!(resolve, 7);
}

#[test]
fn api_app_ids_match_the_reference_file() {
    let rows = other_rows();
    for api in apis::ALL {
        if api.app_id == apis::MICROSOFT_GRAPH.app_id || api.retired {
            continue;
        }
        assert!(
            rows.keys().any(|(app_id, _, _)| app_id == api.app_id),
            "{} ({}) is not an api_app_id of other-api-permission-ids.tsv",
            api.name,
            api.app_id
        );
    }
}

#[test]
fn the_copies_are_the_shared_files_when_those_are_present() {
    // On a developer's machine shared/ sits next to the repo; in CI it may not.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference");
    for (name, copy) in [
        ("graph-permission-ids.tsv", GRAPH_TSV),
        ("other-api-permission-ids.tsv", OTHER_TSV),
    ] {
        if let Ok(original) = std::fs::read_to_string(shared.join(name)) {
            assert!(
                original == copy,
                "{name} differs from shared/reference/{name}: copy it again"
            );
        }
    }
}
