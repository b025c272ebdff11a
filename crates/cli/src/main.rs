//! entra-setup: the integration catalog, offline checklists and exports on the command line,
//! over the same core the browser app uses.

mod catalog_json;
mod health;

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use entra_setup_core::catalog::{self, Integration};
use entra_setup_core::checklist::{self, Medium};
use entra_setup_core::cloud::Cloud;
use entra_setup_core::export::{self, ExportFile, Format};
use entra_setup_core::plan::{Options, Plan};
use entra_setup_core::validate::{self, Severity};
use entra_setup_core::values::Values;

/// entra-setup: catalog, checklists and exports for Microsoft Entra app registrations.
#[derive(Parser)]
#[command(name = "entra-setup", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the integrations (a table; --json for the whole catalog).
    Catalog {
        /// Print the whole catalog as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Print the step-by-step portal checklist for an integration, as Markdown.
    Checklist {
        #[arg(value_parser = integration_ids())]
        id: String,
        #[command(flatten)]
        plan: PlanArgs,
        #[command(flatten)]
        cloud: CloudArg,
    },
    /// Tenant health: which registrations serve an integration, and what is wrong with
    /// each (secrets, permissions, redirect URI). Reads a Graph snapshot on stdin.
    Health {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Judge secrets at this UTC time (default: now), e.g. 2026-12-01T00:00:00Z.
        #[arg(long)]
        now: Option<String>,
    },
    /// Print an export for an integration.
    Export {
        #[arg(value_parser = integration_ids())]
        id: String,
        #[arg(long, value_parser = formats())]
        format: Format,
        #[command(flatten)]
        plan: PlanArgs,
        #[command(flatten)]
        cloud: CloudArg,
        #[command(flatten)]
        values: ValueArgs,
    },
}

/// The Microsoft cloud the tenant is in: its admin center, Graph and Azure CLI cloud.
#[derive(Args)]
struct CloudArg {
    /// The Microsoft cloud of the tenant.
    #[arg(long, value_parser = clouds(), default_value = "global")]
    cloud: Cloud,
}

/// Core's clouds, by their names, each with its label for `--help`.
fn clouds() -> impl TypedValueParser<Value = Cloud> {
    PossibleValuesParser::new(Cloud::ALL.map(|c| PossibleValue::new(c.name()).help(c.label())))
        .map(|name| name.parse::<Cloud>().expect("clap checked the cloud"))
}

fn integration_ids() -> PossibleValuesParser {
    PossibleValuesParser::new(catalog::ids())
}

/// Core's export formats, by their names, each with a line for `--help`.
fn formats() -> impl TypedValueParser<Value = Format> {
    let help = |format: Format| match format {
        Format::RequiredResourceAccess => {
            "requiredResourceAccess.json for az ad app create --required-resource-accesses"
        }
        Format::AzCli => "A bash script: az rest calls to Microsoft Graph",
        Format::GraphRequests => "The Microsoft Graph request sequence, for review (.http)",
        Format::Env => "The values card as .env (pass the values with the value flags)",
        Format::Json => "The values card as JSON",
    };
    PossibleValuesParser::new(Format::ALL.map(|f| PossibleValue::new(f.name()).help(help(f))))
        .map(|name| Format::parse(&name).expect("clap checked the format"))
}

/// Choices that shape the plan.
#[derive(Args)]
struct PlanArgs {
    /// The app registration's display name (default: the catalog's suggestion).
    #[arg(long)]
    display_name: Option<String>,
    /// The redirect URI (default: the vendor's pattern, placeholders and all).
    #[arg(long)]
    redirect_uri: Option<String>,
    /// Keep the guide's permission types (Kinde: Application instead of Delegated).
    #[arg(long)]
    literal_permission_types: bool,
    /// Add nothing for retired Azure AD Graph permissions (no Microsoft Graph equivalents).
    #[arg(long)]
    literal_retired_apis: bool,
    /// Where the guide wants a secret that never expires, use the longest allowed (730 days).
    #[arg(long)]
    literal_secret_expiry: bool,
    /// Leave out permissions covered by a broader one in the list (least privilege).
    #[arg(long)]
    drop_redundant: bool,
}

/// Values for the values card (env/json formats).
#[derive(Args)]
struct ValueArgs {
    #[arg(long, default_value = "")]
    client_id: String,
    #[arg(long, default_value = "")]
    tenant_id: String,
    /// The secret's Value; prefer the environment variable to keep it out of shell history.
    #[arg(
        long,
        env = "ENTRA_SETUP_SECRET_VALUE",
        default_value = "",
        hide_env_values = true
    )]
    secret_value: String,
    #[arg(long, default_value = "")]
    secret_expires: String,
    /// An extra field, KEY=VALUE (e.g. sql_endpoint_host=foo.datawarehouse.fabric.microsoft.com,1433).
    #[arg(long = "extra", value_parser = parse_extra)]
    extra: Vec<(String, String)>,
}

fn parse_extra(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))
}

/// Usage errors exit 2, like clap's own.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn build_plan(integration: &'static Integration, args: &PlanArgs) -> Plan {
    let options = Options {
        literal_permission_types: args.literal_permission_types,
        literal_retired_apis: args.literal_retired_apis,
        literal_secret_expiry: args.literal_secret_expiry,
        drop_redundant: args.drop_redundant,
    };
    let mut plan = Plan::new(integration, &options);
    if let Some(name) = &args.display_name {
        plan.display_name = name.clone();
    }
    plan.redirect_uri = args.redirect_uri.clone();
    plan
}

/// Writes the output to stdout. A reader that has gone (`entra-setup catalog | head -1`)
/// ends the program quietly, as Unix tools do; any other write error is reported.
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing the output: {e}");
            ExitCode::FAILURE
        }
    }
}

fn catalog_table() -> String {
    let rows: Vec<[String; 5]> = catalog::ALL
        .iter()
        .map(|i| {
            [
                i.id.to_owned(),
                i.vendor.to_owned(),
                i.name.to_owned(),
                i.sign_in_audience.as_str().to_owned(),
                format!(
                    "{}{}",
                    i.permissions.len(),
                    if i.permissions_complete { "" } else { "+" }
                ),
            ]
        })
        .collect();
    let header = ["ID", "VENDOR", "NAME", "AUDIENCE", "PERMISSIONS"];
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: [&str; 5]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut table = line(header);
    for r in &rows {
        table.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
    table
}

fn print_export(file: &ExportFile) -> ExitCode {
    let code = emit(&file.content);
    for note in &file.notes {
        eprintln!("note: {note}");
    }
    code
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Catalog { json } => {
            if json {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&catalog_json::catalog())
                        .expect("catalog serializes")
                ))
            } else {
                emit(&catalog_table())
            }
        }
        Command::Health { json, now } => {
            match health::run(&mut std::io::stdin().lock(), json, now.as_deref()) {
                Ok(report) => emit(&report),
                Err(e) => usage_error(&e),
            }
        }
        Command::Checklist { id, plan, cloud } => {
            let integration = catalog::by_id(&id).expect("clap checked the id");
            let plan = build_plan(integration, &plan);
            emit(
                &checklist::build_for(integration, &plan, cloud.cloud, Medium::Document)
                    .to_markdown(),
            )
        }
        Command::Export {
            id,
            format,
            plan,
            cloud,
            values,
        } => {
            let integration = catalog::by_id(&id).expect("clap checked the id");
            let plan = build_plan(integration, &plan);
            let file = match format {
                Format::RequiredResourceAccess => export::required_resource_access(&plan),
                Format::AzCli => export::az_cli_in(&plan, cloud.cloud),
                Format::GraphRequests => export::graph_requests_file_in(&plan, cloud.cloud),
                Format::Env | Format::Json => {
                    let mut v = Values {
                        client_id: values.client_id,
                        tenant_id: values.tenant_id,
                        secret_value: values.secret_value,
                        redirect_uri: plan.redirect_uri.clone().unwrap_or_default(),
                        secret_expires: values.secret_expires,
                        extra: Vec::new(),
                    };
                    for (key, value) in &values.extra {
                        if integration.extra_field(key).is_none() {
                            let valid: Vec<&str> =
                                integration.extra_fields.iter().map(|f| f.key).collect();
                            return usage_error(&format!(
                                "{id} has no extra field {key:?}; valid keys: {}",
                                if valid.is_empty() {
                                    "none".to_owned()
                                } else {
                                    valid.join(", ")
                                }
                            ));
                        }
                        v.set_extra(key, value);
                    }
                    // Check what was given; an empty field just stays empty on the card.
                    let problems: Vec<_> = validate::values(integration, &plan, &v)
                        .into_iter()
                        .filter(validate::Finding::is_mistake)
                        .collect();
                    for f in &problems {
                        let level = if f.severity == Severity::Error {
                            "error"
                        } else {
                            "warning"
                        };
                        eprintln!("{level}: {:?}: {}", f.field, f.message);
                    }
                    if validate::has_errors(&problems) {
                        return ExitCode::from(2);
                    }
                    if format == Format::Env {
                        export::values_env(integration, &plan, &v)
                    } else {
                        export::values_json(integration, &plan, &v)
                    }
                }
            };
            match file {
                Ok(file) => print_export(&file),
                // No file from a plan with errors: say what to fix, print nothing on stdout.
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
