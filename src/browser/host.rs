//! Time and chance for core's executor, from the browser.

use std::future::Future;

use entra_setup_core::automation::host::Host;

pub struct BrowserHost;

impl Host for BrowserHost {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn sleep(&self, ms: u64) -> impl Future<Output = ()> {
        gloo_timers::future::TimeoutFuture::new(ms.min(u32::MAX as u64) as u32)
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// `n` bytes from the browser's CSPRNG (`crypto.getRandomValues`), for PKCE, state, nonce.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0u8; n];
    web_sys::window()
        .ok_or("no window")?
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| {
            "this browser has no secure random number generator (crypto.getRandomValues)".to_owned()
        })?;
    Ok(bytes)
}
