//! The hosting files' `connect-src` (hosting/policy.mjs, written at each `trunk build`) names
//! each cloud's authority and Graph origins: its table must be the clouds table's.

use entra_setup_core::cloud::Cloud;

const POLICY: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hosting/policy.mjs"
));

#[test]
fn the_hosting_policy_allows_each_clouds_authority_and_graph() {
    let table = POLICY
        .split_once("export const CLOUDS = {")
        .and_then(|(_, rest)| rest.split_once("};"))
        .expect("hosting/policy.mjs defines CLOUDS")
        .0;
    let entries: Vec<&str> = table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let expected: Vec<String> = Cloud::ALL
        .iter()
        .map(|cloud| {
            format!(
                "{}: ['https://{}', 'https://{}'],",
                cloud.name(),
                cloud.authority_host(),
                cloud.graph_host()
            )
        })
        .collect();
    assert_eq!(entries, expected);
}
