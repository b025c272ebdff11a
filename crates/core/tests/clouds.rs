//! Every export and the checklist in each Microsoft cloud: the cloud's Graph, admin center
//! and Azure CLI cloud, and nothing of the global cloud's outside it. The global output is
//! the one `exports.rs` and `checklist.rs` test (byte-for-byte what it was before clouds).

mod scripts;
use scripts::{assert_valid_bash, run_with_fake_az, ScriptRun};

use entra_setup_core::catalog;
use entra_setup_core::checklist;
use entra_setup_core::cloud::Cloud;
use entra_setup_core::export;
use entra_setup_core::plan::{Options, Plan};

fn plan(id: &str) -> Plan {
    Plan::new(catalog::by_id(id).unwrap(), &Options::default())
}

const NATIONAL: [Cloud; 3] = [Cloud::UsGovHigh, Cloud::UsGovDod, Cloud::China];

#[test]
fn the_global_cloud_is_the_default_of_every_export() {
    for i in catalog::ALL {
        let p = Plan::new(i, &Options::default());
        assert_eq!(
            export::az_cli(&p).unwrap(),
            export::az_cli_in(&p, Cloud::Global).unwrap()
        );
        assert_eq!(
            export::graph_requests_file(&p).unwrap(),
            export::graph_requests_file_in(&p, Cloud::Global).unwrap()
        );
        assert_eq!(
            checklist::build(i, &p),
            checklist::build_in(i, &p, Cloud::Global)
        );
    }
}

#[test]
fn the_az_script_switches_the_cli_to_the_cloud_and_calls_its_graph() {
    let expected = [
        (
            Cloud::UsGovHigh,
            "AzureUSGovernment",
            "https://graph.microsoft.us",
        ),
        (
            Cloud::UsGovDod,
            "AzureUSGovernment",
            "https://dod-graph.microsoft.us",
        ),
        (
            Cloud::China,
            "AzureChinaCloud",
            "https://microsoftgraph.chinacloudapi.cn",
        ),
    ];
    for (cloud, az_cloud, graph) in expected {
        let script = export::az_cli_in(&plan("nango-microsoft-defender"), cloud)
            .unwrap()
            .content;
        let set = format!("\naz cloud set --name {az_cloud}\n");
        let set_at = script
            .find(&set)
            .unwrap_or_else(|| panic!("{cloud}: {script}"));
        let first_az = script.find("\naz ").unwrap();
        assert_eq!(set_at, first_az, "{cloud}: az cloud set runs first");
        assert!(
            script.contains(&format!("\nGRAPH='{graph}/v1.0'\n")),
            "{cloud}"
        );
        assert!(
            script.contains(&format!("\nGRAPH_RESOURCE='{graph}'\n")),
            "{cloud}"
        );
        // Every Graph call names the token's resource.
        let calls = script.matches("az rest ").count();
        assert!(calls > 10, "{cloud}");
        assert_eq!(
            script
                .matches("az rest --resource \"$GRAPH_RESOURCE\" --method")
                .count(),
            calls,
            "{cloud}"
        );
        assert!(!script.contains("graph.microsoft.com"), "{cloud}");
        assert!(script.contains(cloud.label()), "{cloud}");
    }
    let global = export::az_cli(&plan("nango-microsoft-defender"))
        .unwrap()
        .content;
    assert!(!global.contains("az cloud set") && !global.contains("--resource"));
}

#[test]
fn every_national_script_is_valid_bash() {
    for cloud in NATIONAL {
        for i in catalog::ALL {
            let script = export::az_cli_in(&Plan::new(i, &Options::default()), cloud)
                .unwrap()
                .content;
            assert_valid_bash(&script, &format!("{cloud} {}", i.id));
        }
    }
}

#[test]
fn the_http_file_uses_the_clouds_graph_and_token() {
    for cloud in NATIONAL {
        let file = export::graph_requests_file_in(&plan("kodo-for-cloud"), cloud).unwrap();
        let base = cloud.graph_base_url();
        assert!(
            file.content.contains(&format!(
                "# Authorization: Bearer <token for {}>.\n",
                cloud.graph_resource()
            )),
            "{cloud}"
        );
        let requests = export::graph_requests_in(&plan("kodo-for-cloud"), cloud).unwrap();
        for r in &requests {
            assert!(r.url.starts_with(&base), "{cloud}: {}", r.url);
            assert!(file.content.contains(&format!("{} {}\n", r.method, r.url)));
        }
        let upsert =
            format!("{base}/applications(uniqueName='entra-setup-assistant-kodo-for-cloud')");
        assert!(
            requests
                .iter()
                .any(|r| r.method == "PATCH" && r.url == upsert),
            "{cloud}"
        );
        assert!(!file.content.contains("graph.microsoft.com"), "{cloud}");
    }
}

#[test]
fn the_checklist_sends_the_admin_to_the_clouds_admin_center() {
    let integration = catalog::by_id("novus-calendarsync").unwrap();
    let p = plan("novus-calendarsync");
    for (cloud, host) in [
        (Cloud::Global, "https://entra.microsoft.com"),
        (Cloud::UsGovHigh, "https://entra.microsoft.us"),
        (Cloud::UsGovDod, "https://entra.microsoft.us"),
        (Cloud::China, "https://entra.microsoftonline.cn"),
    ] {
        let md = checklist::build_in(integration, &p, cloud).to_markdown();
        assert!(md.contains(&format!("`{host}`")), "{cloud}: {md}");
        for other in [
            "entra.microsoft.com",
            "entra.microsoft.us",
            "entra.microsoftonline.cn",
        ] {
            if !host.ends_with(other) {
                assert!(!md.contains(other), "{cloud} names {other}");
            }
        }
    }
}

#[test]
fn each_clouds_script_runs_against_its_graph_with_a_token_for_it() {
    for cloud in Cloud::ALL {
        let script = export::az_cli_in(&plan("novus-calendarsync"), cloud)
            .unwrap()
            .content;
        let ScriptRun {
            ok, stderr, calls, ..
        } = run_with_fake_az(&script, &[]);
        assert!(ok, "{cloud}: {stderr}\n{calls}");
        let base = cloud.graph_base_url();
        let graph_calls: Vec<&str> = calls
            .lines()
            .filter(|l| l.starts_with("GET ") || l.starts_with("POST ") || l.starts_with("PATCH "))
            .collect();
        assert!(graph_calls.len() > 5, "{cloud}: {calls}");
        for call in &graph_calls {
            assert!(call.contains(&format!(" {base}/")), "{cloud}: {call}");
        }
        if cloud == Cloud::Global {
            assert!(
                !calls.contains("CLOUD ") && !calls.contains("RESOURCE "),
                "{calls}"
            );
        } else {
            assert!(
                calls.starts_with(&format!("CLOUD {}\n", cloud.az_cloud())),
                "{cloud}: {calls}"
            );
            assert_eq!(
                calls
                    .matches(&format!("RESOURCE {}\n", cloud.graph_resource()))
                    .count(),
                graph_calls.len(),
                "{cloud}"
            );
        }
    }
}

#[test]
fn without_resource_the_dod_graph_gets_no_token_from_az() {
    // What the `--resource` is for: AzureUSGovernment's Graph endpoint is L4's, so az finds
    // no resource for a DoD URL. The fake refuses it as az does; the script must not rely
    // on it.
    let script = export::az_cli_in(&plan("novus-calendarsync"), Cloud::UsGovDod)
        .unwrap()
        .content
        .replace(
            "az rest --resource \"$GRAPH_RESOURCE\" --method",
            "az rest --method",
        );
    let ScriptRun { ok, stderr, .. } = run_with_fake_az(&script, &[]);
    assert!(!ok);
    assert!(
        stderr.contains("Can't derive appropriate Azure AD resource"),
        "{stderr}"
    );
}
