//! What the setup page was opened for (core's `Arrival`: adopt a registration, or rotate its
//! secret), from the query the tenant health page links with. Kept in sessionStorage (not a
//! secret) so it survives the sign-in round trip, which returns without the query, until
//! the run completes.

use entra_setup_core::automation::provision::Arrival;

use crate::browser::session_storage;

fn key(integration_id: &str) -> String {
    format!("entra-setup-assistant.arrival/{integration_id}")
}

/// The query's request, or the one kept from before a sign-in.
pub(crate) fn arrival(integration_id: &str) -> Arrival {
    match Arrival::from_query(&crate::browser::query()) {
        Some(arrival) => {
            let _ = session_storage::put(&key(integration_id), &arrival);
            arrival
        }
        None => session_storage::get(&key(integration_id)).unwrap_or_default(),
    }
}

/// The admin chose it on the page (e.g. adopting by client ID): kept like a query's, so
/// the sign-in round trip that asks for what it needs comes back to it.
pub(crate) fn keep(integration_id: &str, arrival: &Arrival) {
    let _ = session_storage::put(&key(integration_id), arrival);
}

/// The run it was opened for completed: the next visit is an ordinary setup.
pub(crate) fn done(integration_id: &str) {
    session_storage::remove(&key(integration_id));
}
