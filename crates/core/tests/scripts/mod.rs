//! Running the generated shell scripts in tests: a syntax check, and a real run against
//! `tests/fake_az.sh` (which records every az call and, like az, gets a token only for the
//! active cloud's Graph or a `--resource`). Shared by the export and cloud tests.
#![allow(dead_code)]

/// `bash -n`: the script parses.
pub fn assert_valid_bash(script: &str, label: &str) {
    let out = std::process::Command::new("bash")
        .args(["-n", "-c", script])
        .output()
        .expect("bash is installed");
    assert!(
        out.status.success(),
        "{label}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What a run of a script against the fake az left behind.
pub struct ScriptRun {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
    /// One line per az call, as `fake_az.sh` logs it.
    pub calls: String,
}

/// Runs `script` with `fake_az.sh` first on the PATH as `az`, plus `env`.
pub fn run_with_fake_az(script: &str, env: &[(&str, &str)]) -> ScriptRun {
    let dir = std::env::temp_dir().join(format!(
        "entra-setup-az-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fake_az.sh");
    std::fs::copy(&fake, dir.join("az")).unwrap();
    let log = dir.join("az.log");
    std::fs::write(dir.join("setup.sh"), script).unwrap();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .arg(dir.join("setup.sh"))
        .env("PATH", path)
        .env("AZ_LOG", &log)
        .envs(env.iter().copied())
        .output()
        .expect("bash runs");
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    std::fs::remove_dir_all(&dir).ok();
    ScriptRun {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        calls,
    }
}
