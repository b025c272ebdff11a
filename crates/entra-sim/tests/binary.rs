//! The `entra-sim` binary: prints its base URL first, serves, stops on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

#[test]
fn prints_a_parseable_first_line_serves_and_stops_cleanly_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entra-sim"))
        .args([
            "--port",
            "0",
            "--spa-redirect-uri",
            "http://127.0.0.1:45678/",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("entra-sim listening on ")
        .expect("machine-readable first line")
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let uris: serde_json::Value = runtime.block_on(async {
        reqwest::get(format!(
            "{base}/_sim/clients/{}/spa-redirect-uris",
            entra_sim::ASSISTANT_CLIENT_ID
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
    });
    assert!(uris["redirect_uris"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "http://127.0.0.1:45678/"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    for line in stdout.lines() {
        rest.push_str(&line.unwrap());
        rest.push('\n');
    }
    assert!(rest.contains("/v1.0"), "prints the Graph base: {rest}");
    assert!(rest.contains("entra-sim stopped"), "{rest}");
    assert!(child.wait().unwrap().success());
}

/// `GET path` over a plain socket; `None` when nothing listens at `addr`.
fn get_over_socket(addr: std::net::SocketAddr, path: &str) -> Option<String> {
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    Some(reply)
}

#[test]
fn spawn_in_thread_serves_synchronous_callers() {
    // A seed no other test uses: the port a stopped simulator frees may be taken at once by
    // another test's simulator (they run side by side), which must not count as this one.
    let config = entra_sim::SimConfig {
        random_seed: Some(918_273_645),
        ..entra_sim::SimConfig::default()
    };
    let (addr, handle) = entra_sim::spawn_in_thread(config).unwrap();
    let reply = get_over_socket(addr, "/healthz").unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("ok"));
    assert!(get_over_socket(addr, "/_sim/info")
        .unwrap()
        .contains("918273645"));
    drop(handle);
    assert!(
        get_over_socket(addr, "/_sim/info").is_none_or(|info| !info.contains("918273645")),
        "dropping the handle stops the server"
    );
}

/// Starts the binary with `args`, reads `/_sim/info` and `/_sim/knobs`, stops it.
fn info_and_knobs(args: &[&str]) -> (serde_json::Value, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entra-sim"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("entra-sim listening on ")
        .expect("machine-readable first line")
        .to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let read = |path: &str| -> serde_json::Value {
        runtime.block_on(async {
            reqwest::get(format!("{base}/_sim/{path}"))
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    };
    let (info, knobs) = (read("info"), read("knobs"));
    child.kill().unwrap();
    child.wait().unwrap();
    (info, knobs)
}

#[test]
fn the_profile_and_random_seed_come_from_the_command_line_or_the_config_file() {
    let (info, knobs) = info_and_knobs(&["--profile", "realistic", "--random-seed", "7"]);
    assert_eq!(info["profile"], "realistic");
    assert_eq!(info["random_seed"], 7);
    assert_eq!(knobs["page_size"], 2);
    assert_eq!(knobs["replication_bad_requests"], true);

    let dir = std::env::temp_dir().join(format!("entra-sim-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.json");
    std::fs::write(
        &file,
        r#"{"profile": "realistic", "random_seed": 11, "knobs": {"page_size": 5}}"#,
    )
    .unwrap();
    let (info, knobs) = info_and_knobs(&["--config", file.to_str().unwrap()]);
    assert_eq!(info["profile"], "realistic");
    assert_eq!(info["random_seed"], 11);
    assert_eq!(knobs["page_size"], 5, "explicit knobs win over the profile");
    assert_eq!(
        knobs["replication_delay_range_ms"],
        serde_json::json!([300, 3000])
    );
    // The command line overrides the file.
    let (info, knobs) =
        info_and_knobs(&["--config", file.to_str().unwrap(), "--profile", "gentle"]);
    assert_eq!(info["profile"], "gentle");
    assert_eq!(knobs["replication_bad_requests"], false);
    std::fs::remove_dir_all(&dir).unwrap();

    let (info, _) = info_and_knobs(&[]);
    assert_eq!(info["profile"], "gentle");
    assert!(
        info["random_seed"].is_u64(),
        "a seed is always chosen and shown"
    );
}
