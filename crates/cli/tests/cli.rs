//! The built `entra-setup` binary, as scripts and people call it.

use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entra-setup"))
        .args(args)
        .env_remove("ENTRA_SETUP_SECRET_VALUE")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn catalog_json_keeps_the_contract() {
    let o = run(&["catalog", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let all = all.as_array().expect("an array");
    assert_eq!(all.len(), 20);
    for i in all {
        for key in ["id", "vendor", "name", "sign_in_audience"] {
            assert!(i[key].is_string(), "{key} in {}", i["id"]);
        }
        assert!(i["redirect_uri_pattern"].is_string() || i["redirect_uri_pattern"].is_null());
        for p in i["permissions"].as_array().unwrap() {
            for key in ["api_app_id", "api_name", "value"] {
                assert!(p[key].is_string(), "{key} in {}", i["id"]);
            }
            assert!(p["type"] == "Delegated" || p["type"] == "Application");
            assert!(p["admin_consent_required"].is_boolean());
            assert!(p["retired"].is_boolean());
            assert!(p["id"].is_null() || p["id"].as_str().unwrap().len() == 36);
            // A retired permission is never given an ID to grant.
            if p["retired"] == true {
                assert!(p["id"].is_null());
            }
        }
    }
    let teams = all
        .iter()
        .find(|i| i["id"] == "nango-microsoft-teams")
        .unwrap();
    assert_eq!(teams["sign_in_audience"], "AzureADMyOrg");
    assert_eq!(
        teams["redirect_uri_pattern"],
        "https://<your Nango host>/oauth/callback"
    );
    let kodo = all.iter().find(|i| i["id"] == "kodo-for-cloud").unwrap();
    let retired: Vec<&Value> = kodo["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["retired"] == true)
        .collect();
    assert_eq!(retired.len(), 2);
    assert_eq!(
        retired[0]["api_app_id"],
        "00000002-0000-0000-c000-000000000000"
    );
    let novus = all
        .iter()
        .find(|i| i["id"] == "novus-calendarsync")
        .unwrap();
    assert!(novus["redirect_uri_pattern"].is_null());
}

#[test]
fn catalog_table_lists_every_id() {
    let o = run(&["catalog"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("ID "));
    for id in [
        "nango-microsoft-teams",
        "kinde-microsoft-365",
        "custom",
        "entra-setup-assistant",
    ] {
        assert!(out.lines().any(|l| l.starts_with(id)), "{id}");
    }
}

#[test]
fn unknown_ids_exit_2_and_list_the_valid_ones() {
    for args in [
        &["checklist", "nango-teams"][..],
        &["export", "nope", "--format", "az-cli"][..],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("nango-microsoft-teams") && err.contains("kodo-for-cloud"),
            "{err}"
        );
    }
}

#[test]
fn bad_arguments_exit_2_with_what_is_valid() {
    let o = run(&["export", "novus-calendarsync", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("required-resource-access"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "export",
        "novus-calendarsync",
        "--format",
        "env",
        "--extra",
        "sql_endpoint_host=x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("valid keys: none"), "{}", stderr(&o));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn checklist_prints_markdown() {
    let o = run(&["checklist", "nango-microsoft-teams"]);
    assert!(o.status.success());
    let md = stdout(&o);
    assert!(md.starts_with("# Kindo: Microsoft Teams\n"));
    assert!(md.contains("1. [ ] Sign in to the **Microsoft Entra admin center**"));
    assert!(md.contains(
        "- [ ] `ChannelMessage.Send` (Microsoft Graph, Delegated; admin consent required: no)"
    ));
}

#[test]
fn literal_flags_reach_the_plan() {
    let default = stdout(&run(&["checklist", "kinde-microsoft-365"]));
    assert!(default.contains("`Calendars.Read` (Microsoft Graph, Delegated"));
    let literal = stdout(&run(&[
        "checklist",
        "kinde-microsoft-365",
        "--literal-permission-types",
    ]));
    assert!(literal.contains("`Calendars.Read` (Microsoft Graph, Application"));
}

#[test]
fn export_required_resource_access_for_novus() {
    let o = run(&[
        "export",
        "novus-calendarsync",
        "--format",
        "required-resource-access",
    ]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["resourceAccess"].as_array().unwrap().len(), 3);
}

#[test]
fn export_notes_go_to_stderr_so_stdout_stays_a_clean_file() {
    let o = run(&[
        "export",
        "nango-microsoft-defender",
        "--format",
        "required-resource-access",
    ]);
    assert!(o.status.success());
    assert!(serde_json::from_str::<Value>(&stdout(&o)).is_ok());
    assert_eq!(
        stderr(&o)
            .lines()
            .filter(|l| l.starts_with("note: "))
            .count(),
        7
    );
}

#[test]
fn export_values_card_with_a_secret_id_is_refused() {
    let o = run(&[
        "export",
        "novus-calendarsync",
        "--format",
        "json",
        "--client-id",
        "60ec9411-503f-45e2-ac80-672ab39036a6",
        "--secret-value",
        "e7c8b393-6866-475b-a45b-49cef97e4409",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Secret ID"), "{}", stderr(&o));

    let o = Command::new(env!("CARGO_BIN_EXE_entra-setup"))
        .args([
            "export",
            "novus-calendarsync",
            "--format",
            "env",
            "--client-id",
            "60ec9411-503f-45e2-ac80-672ab39036a6",
            "--tenant-id",
            "e7c8b393-6866-475b-a45b-49cef97e4409",
        ])
        .env(
            "ENTRA_SETUP_SECRET_VALUE",
            "Abc8Q~x1y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7",
        )
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let env = stdout(&o);
    assert!(env.contains("CLIENT_ID=60ec9411-503f-45e2-ac80-672ab39036a6\nTENANT_ID=e7c8b393-6866-475b-a45b-49cef97e4409\nCLIENT_SECRET=Abc8Q~x1y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7\n"), "{env}");
}

#[test]
fn export_az_cli_and_graph_requests() {
    let o = run(&[
        "export",
        "nango-microsoft-teams",
        "--format",
        "az-cli",
        "--redirect-uri",
        "https://api.nango.dev/oauth/callback",
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("DEFAULT_REDIRECT_URI='https://api.nango.dev/oauth/callback'"));
    let o = run(&[
        "export",
        "nango-microsoft-teams",
        "--format",
        "graph-requests",
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("POST https://graph.microsoft.com/v1.0/oauth2PermissionGrants"));
}

#[test]
fn cloud_flag_reaches_the_exports_and_the_checklist() {
    let o = run(&[
        "export",
        "novus-calendarsync",
        "--format",
        "az-cli",
        "--cloud",
        "usgovdod",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let script = stdout(&o);
    assert!(
        script.contains("\naz cloud set --name AzureUSGovernment\n"),
        "{script}"
    );
    assert!(
        script.contains("GRAPH='https://dod-graph.microsoft.us/v1.0'"),
        "{script}"
    );

    let o = run(&[
        "export",
        "nango-microsoft-teams",
        "--format",
        "graph-requests",
        "--cloud",
        "china",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o)
        .contains("POST https://microsoftgraph.chinacloudapi.cn/v1.0/oauth2PermissionGrants"));
    assert!(!stdout(&o).contains("graph.microsoft.com"));

    let o = run(&["checklist", "novus-calendarsync", "--cloud", "usgov"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("`https://entra.microsoft.us`"),
        "{}",
        stdout(&o)
    );

    let o = run(&["checklist", "novus-calendarsync", "--cloud", "germany"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("usgovdod"), "{}", stderr(&o));
}

#[test]
fn no_export_from_a_plan_with_errors() {
    // A display name longer than the portal's 120 characters is an error of the plan: every
    // format refuses it, says why on stderr, and writes nothing on stdout.
    let long = "x".repeat(121);
    for format in [
        "required-resource-access",
        "az-cli",
        "graph-requests",
        "env",
        "json",
    ] {
        let o = run(&[
            "export",
            "novus-calendarsync",
            "--format",
            format,
            "--display-name",
            &long,
        ]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(stdout(&o).is_empty(), "{format}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with("error: No files until the plan is fixed:")
                && err.contains("Shorten the name to 120 characters or fewer (it has 121)."),
            "{format}: {err}"
        );
    }
}

/// `entra-setup … | head -1`: the reader is gone before the output is written.
#[test]
fn every_subcommand_exits_quietly_when_the_reader_has_gone() {
    for args in [
        &["catalog"][..],
        &["catalog", "--json"],
        &["checklist", "nango-microsoft-teams"],
        &["export", "novus-calendarsync", "--format", "az-cli"],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        // Closed before the program starts: its first write meets a closed pipe.
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_entra-setup"))
            .args(args)
            .env_remove("ENTRA_SETUP_SECRET_VALUE")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("the binary runs");
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(o.status.success(), "{args:?}: {:?} {err}", o.status);
    }
}

#[test]
fn the_markdown_checklist_says_what_fits_a_document() {
    for id in [
        "kinde-microsoft-365",
        "kodo-for-cloud",
        "entra-setup-assistant",
    ] {
        let o = run(&["checklist", id]);
        assert!(o.status.success(), "{}", stderr(&o));
        let md = stdout(&o).replace('\\', "");
        for page_only in ["boxes below", "card below", "Options::"] {
            assert!(!md.contains(page_only), "{id}: {page_only:?}");
        }
    }
    // Errata name the flag that follows the guide.
    let kodo = stdout(&run(&["checklist", "kodo-for-cloud"]));
    assert!(kodo.contains("Run entra-setup with --literal-retired-apis."));
}
