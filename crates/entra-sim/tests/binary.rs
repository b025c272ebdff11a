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

#[test]
fn spawn_in_thread_serves_synchronous_callers() {
    let (addr, handle) = entra_sim::spawn_in_thread(entra_sim::SimConfig::default()).unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("ok"));
    drop(handle);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "dropping the handle stops the server"
    );
}
