use clap::Parser;

/// entra-setup: catalog, checklists and exports for Microsoft Entra app registrations.
#[derive(Parser)]
#[command(name = "entra-setup", version)]
struct Cli {}

fn main() {
    let _ = Cli::parse();
    println!("{} {}", entra_setup_core::version::PRODUCT_NAME, entra_setup_core::version::VERSION);
}
