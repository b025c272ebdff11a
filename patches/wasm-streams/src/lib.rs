//! A stand-in for `wasm-streams` 0.5, which Leptos links through `server_fn`'s `browser`
//! feature (which Leptos always turns on) for streaming server functions.
//!
//! This app has no server (and no server function): it is static files. Yet the real crate
//! exports three classes to JavaScript (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`,
//! `IntoUnderlyingSink`), and exports are roots that no linker or optimiser removes, so every
//! wasm module of the app carried them and the stream code behind them (about 3 KB gzip
//! each, the shell's first load included; `cargo xtask bench` measures the modules).
//!
//! This crate has the part of the API `server_fn` 0.8 names (`ReadableStream::from_raw`,
//! `from_stream`, `into_raw`, `into_stream`) and exports nothing. Turning a Rust stream into a
//! JavaScript one (`from_stream`, a streaming request body) panics, and a JavaScript stream
//! read as a Rust one (`into_stream`, a streaming response) ends at once with an error: only
//! a streaming server function would call them. Drop the `[patch.crates-io]` entry in the
//! workspace's Cargo.toml to go back to the real crate.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use wasm_bindgen::JsValue;

/// A JavaScript `ReadableStream`, as `wasm_streams::ReadableStream` wraps it.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// Not supported: no server function of this app streams a request body.
    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        panic!("streaming request bodies are not supported (patches/wasm-streams)")
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// Ends at once with an error: no server function of this app streams a response.
    pub fn into_stream(self) -> IntoStream<'static> {
        IntoStream {
            done: false,
            _not_send: PhantomData,
        }
    }
}

/// `wasm_streams::readable::IntoStream`'s stand-in (like it, neither `Send` nor `Sync`).
pub struct IntoStream<'reader> {
    done: bool,
    _not_send: PhantomData<&'reader *const ()>,
}

impl Stream for IntoStream<'_> {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        self.done = true;
        Poll::Ready(Some(Err(JsValue::from_str(
            "streaming responses are not supported (patches/wasm-streams)",
        ))))
    }
}
