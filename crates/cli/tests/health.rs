//! `entra-setup health` over a snapshot on stdin (tests/fixtures/tenant-snapshot.json: a
//! Kinde app made in the portal, an assistant-managed Nango Teams app whose secret expired,
//! and an unrelated app).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SNAPSHOT: &str = include_str!("fixtures/tenant-snapshot.json");
const NOW: &str = "2026-12-01T00:00:00Z";

fn health(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entra-setup"))
        .arg("health")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    // A command that refuses its arguments exits without reading stdin: the write may then
    // meet a closed pipe, which is no failure of the test (the exit code and stderr are).
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn json_lists_the_integrations_apps_with_their_health() {
    let o = health(&["--json", "--now", NOW], SNAPSHOT);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["now"], NOW);
    assert_eq!(
        report["not_listed"], 1,
        "the HR portal is not an integration's"
    );
    let vendors: Vec<&str> = report["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["vendor"].as_str().unwrap())
        .collect();
    assert_eq!(vendors, ["Kindo", "Kinde"]);

    let teams = &report["vendors"][0]["rows"][0];
    assert_eq!(teams["integration"], "nango-microsoft-teams");
    assert_eq!(teams["recognised"]["how"], "managed");
    assert_eq!(teams["secret"]["state"], "expired");
    assert_eq!(teams["healthy"], false);
    assert_eq!(teams["problems"][0]["code"], "secret_expired");
    assert!(teams["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Rotate"));

    let kinde = &report["vendors"][1]["rows"][0];
    assert_eq!(kinde["integration"], "kinde-microsoft-365");
    assert_eq!(kinde["recognised"]["how"], "looks_like");
    assert_eq!(kinde["recognised"]["matching"], 2);
    assert_eq!(kinde["redirect"]["state"], "matches");
    assert_eq!(kinde["secret"]["state"], "fine");
    assert_eq!(kinde["healthy"], true);
}

#[test]
fn the_text_report_says_what_is_wrong() {
    let o = health(&["--now", NOW], SNAPSHOT);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("Nango - Microsoft Teams"), "{text}");
    assert!(text.contains("secret: expired"), "{text}");
    assert!(text.contains("Every client secret has expired"), "{text}");
    assert!(text.contains("1 other registration not listed"), "{text}");
}

#[test]
fn no_snapshot_or_a_wrong_one_exits_2_and_says_how_to_make_one() {
    for input in ["", r#"{"value": []}"#, "not json"] {
        let o = health(&["--json"], input);
        assert_eq!(o.status.code(), Some(2), "{input:?}");
        assert!(o.stdout.is_empty());
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.contains("az rest"), "{input:?}: {err}");
    }
    let o = health(&["--now", "yesterday"], SNAPSHOT);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8(o.stderr).unwrap().contains("--now"));
}
