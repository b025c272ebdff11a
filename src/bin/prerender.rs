//! `entra-setup-prerender <dist>`: writes the prerendered deep links beside the built
//! index.html (`crate::prerender`): `<dist>/checklist/<id>.html` and `<dist>/setup/<id>.html`,
//! which static hosts serve for `/checklist/<id>` and `/setup/<id>` (Azure Static Web Apps by
//! the rewrites `hosting/policy.mjs` writes). First it writes the cloud the built config.json
//! names into index.html (`prerender::with_cloud`). Run by `hosting/post-build.mjs` after each
//! build; native only (the wasm build of `--bins` gets an empty `main`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::path::PathBuf;

    use entra_setup_assistant::prerender;

    let Some(dist) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!(
            "usage: entra-setup-prerender <dist>  (the directory holding the built index.html)"
        );
        return std::process::ExitCode::from(2);
    };
    let written = (|| -> Result<usize, String> {
        let index_path = dist.join("index.html");
        let built = std::fs::read_to_string(&index_path)
            .map_err(|e| format!("{}: {e}", index_path.display()))?;
        // The cloud the built config.json names, for every page to read (index.html too: a
        // checklist opened from the home page is written for it as well).
        let config = std::fs::read_to_string(dist.join("config.json")).ok();
        let index = prerender::with_cloud(&built, config.as_deref());
        if index != built {
            std::fs::write(&index_path, &index)
                .map_err(|e| format!("{}: {e}", index_path.display()))?;
        }
        let routes = prerender::routes();
        for route in &routes {
            let page = prerender::render(&index, route.clone());
            let html = prerender::html(&index, &page)?;
            let file = dist.join(format!("{}.html", route.path().trim_start_matches('/')));
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&file, html).map_err(|e| format!("{}: {e}", file.display()))?;
        }
        Ok(routes.len())
    })();
    match written {
        Ok(count) => {
            println!("prerendered {count} pages");
            std::process::ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("entra-setup-prerender: {why}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
