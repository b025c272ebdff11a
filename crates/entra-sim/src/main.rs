use std::net::SocketAddr;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("ENTRA_SIM_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8750);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("entra-sim listening on http://{}", listener.local_addr()?);
    axum::serve(listener, entra_sim::router()).await
}
