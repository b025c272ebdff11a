//! `catalog --json`: the whole catalog as a JSON array.
//!
//! `id`, `vendor`, `name`, `sign_in_audience`, `redirect_uri_pattern` and each permission's
//! `api_app_id`, `api_name`, `value`, `type`, `admin_consent_required`, `id` and `retired`
//! are a contract checked from outside: rename none of them. The rest is extra.

use entra_setup_core::catalog::{
    self, ConsentSource, Credential, Flow, Integration, Permission, Stage, ValueSource,
};
use entra_setup_core::checklist::{self, Medium};
use entra_setup_core::plan::{Options, Origin, Plan, PlannedPermission};
use serde_json::{json, Value};

/// A permission's API, value, type, consent flag and GUID (every permission object has
/// these), then the fields of `extra`.
fn permission_object(p: &PlannedPermission, extra: Value) -> Value {
    let mut object = json!({
        "api_app_id": p.api_app_id,
        "api_name": p.api_name,
        "value": p.value,
        "type": p.kind.as_str(),
        "admin_consent_required": p.admin_consent_required,
        "id": p.id,
    });
    if let (Some(object), Value::Object(extra)) = (object.as_object_mut(), extra) {
        object.extend(extra);
    }
    object
}

/// As the guide lists it.
fn permission(p: &'static Permission) -> Value {
    let as_listed = |p| PlannedPermission::from_catalog(p, Origin::Guide);
    permission_object(
        &as_listed(p),
        json!({
            "retired": p.retired(),
            "description": p.description,
            "admin_consent_source": match p.consent_source {
                ConsentSource::Guide => "guide",
                ConsentSource::Microsoft => "microsoft",
            },
            "grant_instead": p.grant_instead.map(|g| permission_object(&as_listed(g), json!({}))),
        }),
    )
}

fn value_source(v: ValueSource) -> String {
    match v {
        ValueSource::ClientId => "client_id".to_owned(),
        ValueSource::TenantId => "tenant_id".to_owned(),
        ValueSource::SecretValue => "secret_value".to_owned(),
        ValueSource::RedirectUri => "redirect_uri".to_owned(),
        ValueSource::AssistantConfig => "assistant_config_json".to_owned(),
        ValueSource::Extra(key) => format!("extra:{key}"),
    }
}

pub fn integration(i: &'static Integration) -> Value {
    let plan = Plan::new(i, &Options::default());
    json!({
        "id": i.id,
        "vendor": i.vendor,
        "name": i.name,
        "purpose": i.purpose,
        "guide_file": i.guide.file,
        "sign_in_audience": i.sign_in_audience.as_str(),
        "flow": match i.flow {
            Flow::UserSignIn => "user_sign_in",
            Flow::AppOnly => "app_only",
            Flow::SinglePageApp => "single_page_app",
        },
        "redirect_platform": i.redirect.platform.graph_property(),
        "redirect_uri_pattern": i.redirect.pattern,
        "redirect_uri_expected_suffix": i.redirect.expected_suffix,
        "credential": match i.credential {
            Credential::ClientSecret { .. } => "client_secret",
            Credential::None => "none",
        },
        "permissions": i.permissions.iter().map(permission).collect::<Vec<_>>(),
        "permissions_complete": i.permissions_complete,
        "extra_fields": i.extra_fields.iter().map(|f| json!({
            "key": f.key, "label": f.label, "description": f.description, "example": f.example,
        })).collect::<Vec<_>>(),
        "console": i.console.name,
        "console_fields": i.console.fields.iter().map(|f| json!({
            "label": f.label, "value": value_source(f.value), "optional": f.optional,
        })).collect::<Vec<_>>(),
        "outside_steps": i.outside_steps.iter().map(|s| json!({
            "key": s.key,
            "stage": match s.stage { Stage::Before => "before", Stage::After => "after" },
            "place": s.place,
            "text": s.text,
        })).collect::<Vec<_>>(),
        "next_step": i.next_step,
        "errata": i.errata.iter().map(|e| json!({
            "kind": e.kind.key(), "guide_says": e.guide_says, "our_fix": e.our_fix, "literal": checklist::literal_words(&e.literal, Medium::Document),
        })).collect::<Vec<_>>(),
        "planned_permissions": plan.permissions.iter().map(|p| permission_object(p, json!({
            "origin": match &p.origin {
                Origin::Guide => "guide",
                Origin::ReplacesRetired { .. } => "replaces_retired",
                Origin::TypeCorrected { .. } => "type_corrected",
                Origin::Custom => "custom",
            },
        }))).collect::<Vec<_>>(),
        "least_privilege_notes": plan.redundant().iter().map(|r| r.message()).collect::<Vec<_>>(),
    })
}

pub fn catalog() -> Value {
    Value::Array(catalog::ALL.iter().map(|i| integration(i)).collect())
}
