//! The product's identity, shown in the app footer and the CLI.

/// Product name as shown to admins.
pub const PRODUCT_NAME: &str = "Entra Setup Assistant";

/// The version of the build, from the core crate's manifest (all crates share one version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
