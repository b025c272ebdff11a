//! Live progress: each step pending, running, retrying (why, attempt n), done, or failed
//! with Graph's error code, message and request-id, and what to do about it.

use entra_setup_core::automation::graph::RetryNotice;
use entra_setup_core::automation::provision::{Progress, StepStatus};
use leptos::prelude::*;

use super::Work;

#[component]
pub fn RunView(work: RwSignal<Work>, steps: RwSignal<Vec<Progress>>) -> impl IntoView {
    let visible = move || matches!(work.get(), Work::Running(_) | Work::Finished(..));
    view! {
        {move || visible().then(|| view! {
            <section class="card run" data-testid="run">
                <h2>"Progress"</h2>
                <ol class="run-steps">
                    {move || steps.get().into_iter().map(|p| view! { <StepRow progress=p/> }).collect_view()}
                </ol>
            </section>
        })}
    }
}

#[component]
fn StepRow(progress: Progress) -> impl IntoView {
    let (class, body) = match progress.status {
        StepStatus::Pending => ("pending", view! { "Waiting" }.into_any()),
        StepStatus::Running => ("running", view! { "Working…" }.into_any()),
        StepStatus::Retrying { why, attempt, wait_ms, status, code } => (
            "retrying",
            view! { {RetryNotice { reason: why, attempt, wait_ms, status, code }.to_string()} }.into_any(),
        ),
        StepStatus::Done { detail } => ("done", view! { {detail} }.into_any()),
        StepStatus::Skipped { why } => ("skipped", view! { {why} }.into_any()),
        StepStatus::NeedsAdmin { who, .. } => (
            "needs-admin",
            view! { {format!("Needs {who}: the consent link is below.")} }.into_any(),
        ),
        StepStatus::Failed(failure) => (
            "failed",
            view! {
                <span class="failure">
                    {failure.code.clone().map(|c| view! { <code>{c}</code> " " })}
                    {failure.message.clone()}
                    {failure.http_status.map(|s| format!(" (HTTP {s})"))}
                    {failure.request_id.clone().map(|r| view! { <span class="request-id">" request-id " <code>{r}</code></span> })}
                    <span class="what-to-do">{failure.what_to_do.clone()}</span>
                </span>
            }
            .into_any(),
        ),
    };
    view! {
        <li class=format!("run-step {class}") data-step=progress.step.key() data-status=class>
            <span class="step-title">{progress.title}</span>
            <span class="step-status">{body}</span>
        </li>
    }
}
