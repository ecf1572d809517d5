//! Vault document: migrations, import/export round trips, refused imports, merging, expiry.
#![allow(clippy::unwrap_used, clippy::panic)]

use impalemail::alias::vault::{
    record_id, Added, MAX_IMPORT_BYTES, MAX_VAULT_RECORDS, VAULT_SCHEMA,
};
use impalemail::alias::{
    AliasError, AliasRecord, AliasState, GeneratorKind, Lifetime, Provider, RemoteAlias, Source,
    Vault,
};
use std::path::PathBuf;

/// Fixed clock: 2023-11-14T22:13:20Z.
const NOW: u64 = 1_700_000_000;

fn fixtures() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures/alias"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/alias")),
    }
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

fn rec(address: &str, site: &str, created: u64) -> AliasRecord {
    AliasRecord::new(
        address,
        Source::Generator(GeneratorKind::CatchAll),
        Some(site),
        created,
        Lifetime::Never,
    )
    .unwrap()
}

fn sample() -> Vault {
    let mut v = Vault::new();
    let mut a = rec("hello@mine.example", "https://www.example.com/x", NOW);
    a.label = Some("Shop, \"UK\"".into());
    a.note = Some("=HYPERLINK(\"http://evil.example\")".into());
    a.origin = Some("https://www.example.com".into());
    a.expires = Some(NOW + 3600);
    v.add(a).unwrap();
    let remote = RemoteAlias {
        address: "x1@me.anonaddy.com".into(),
        provider: Provider::Addy,
        provider_id: Some("uuid-1".into()),
        enabled: false,
        note: Some("multi\nline, note".into()),
        site: Some("news.example.org".into()),
    };
    v.add(AliasRecord::from_remote(&remote, NOW + 100, Lifetime::OneDay).unwrap())
        .unwrap();
    v.add(rec("-dash@mine.example", "example.net", NOW + 200))
        .unwrap();
    v
}

#[test]
fn legacy_v0_document_is_migrated() {
    let v = Vault::from_json(&read("vault-v0.json")).unwrap();
    assert_eq!(v.records.len(), 3);
    let a = &v.records[0];
    assert_eq!(a.address, "amber.otter407@mine.example");
    assert_eq!(a.site.as_deref(), Some("example.co.uk"));
    assert_eq!(a.created, 1_690_000_000, "milliseconds became seconds");
    assert_eq!(a.source, Source::Generator(GeneratorKind::CatchAll));
    assert_eq!(a.label.as_deref(), Some("shop"));
    assert_eq!(a.id, record_id("amber.otter407@mine.example"));
    assert_eq!(v.records[1].state, AliasState::Disabled);
    assert_eq!(v.records[1].source, Source::Provider(Provider::Addy));
    assert_eq!(v.records[2].site, None);
    // Written back as the current schema.
    let out = v.to_json();
    assert!(out.contains(&format!("\"schema\": {VAULT_SCHEMA}")));
    assert!(out.contains("\"format\": \"impalemail-vault\""));
    assert_eq!(Vault::from_json(&out).unwrap(), v);
}

#[test]
fn json_export_import_round_trip() {
    let v = sample();
    let back = Vault::new().import_json(&v.export_json()).unwrap();
    assert_eq!(back, v);
}

#[test]
fn csv_export_import_round_trip_with_quoting_and_guard() {
    let v = sample();
    let csv = v.export_csv();
    assert!(csv.starts_with("id,address,source,"));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""),
        "{csv}"
    );
    assert!(csv.contains(",'-dash@mine.example,"), "{csv}");
    assert!(!csv.contains(",=") && !csv.contains(",-dash"));
    let back = Vault::new().import_csv(&csv).unwrap();
    assert_eq!(back, v);
    // Auto-detection picks CSV.
    assert_eq!(Vault::new().import(&csv).unwrap(), v);
}

#[test]
fn hand_written_csv_fixture_imports() {
    let v = Vault::new().import(&read("vault-v1.csv")).unwrap();
    assert_eq!(v.records.len(), 2);
    assert_eq!(v.records[0].label.as_deref(), Some("Shop, UK"));
    assert_eq!(v.records[0].note.as_deref(), Some("=1+1"));
    assert_eq!(v.records[0].expires, Some(1_700_003_600));
    assert_eq!(v.records[1].note.as_deref(), Some("multi\nline note"));
    assert_eq!(v.records[1].state, AliasState::Disabled);
}

#[test]
fn bad_imports_are_refused_and_leave_the_vault_unchanged() {
    let v = sample();
    let before = v.clone();
    let future = r#"{"format":"impalemail-vault","schema":2,"records":[]}"#;
    let wrong_type = r#"{"format":"impalemail-vault","schema":1,"records":[{"id":"a1","address":"a@b.example","source":"catch-all","created":"yesterday","state":"active"}]}"#;
    let bad_address = r#"{"format":"impalemail-vault","schema":1,"records":[{"id":"a1","address":"not an address","source":"catch-all","created":1,"state":"active"}]}"#;
    let unknown_source = r#"{"format":"impalemail-vault","schema":1,"records":[{"id":"a1","address":"a@b.example","source":"gmail","created":1,"state":"active"}]}"#;
    let cases: Vec<(&str, String)> = vec![
        ("malformed", "{\"format\": \"impalemail-vault\", ".to_string()),
        ("foreign", r#"{"items":[{"login":"x"}]}"#.to_string()),
        ("foreign array", "[1,2,3]".to_string()),
        ("future", future.to_string()),
        ("wrong type", wrong_type.to_string()),
        ("bad address", bad_address.to_string()),
        ("unknown source", unknown_source.to_string()),
        ("foreign csv", "name,email\nx,y@z.example\n".to_string()),
        ("short csv row", "id,address,source,provider_id,site,origin,created,expires,state,label,note\na1,a@b.example\n".to_string()),
        ("bad csv number", "id,address,source,provider_id,site,origin,created,expires,state,label,note\na1,a@b.example,catch-all,,,,soon,,active,,\n".to_string()),
        ("too large", format!("{{\"pad\":\"{}\"}}", "x".repeat(MAX_IMPORT_BYTES))),
    ];
    for (name, text) in cases {
        let e = v.import(&text).unwrap_err();
        let expected = match name {
            "malformed" | "wrong type" | "short csv row" | "bad csv number" | "unknown source" => {
                matches!(e, AliasError::ImportMalformed { .. })
            }
            "foreign" | "foreign array" | "foreign csv" => {
                matches!(e, AliasError::ImportForeign { .. })
            }
            "future" => matches!(
                e,
                AliasError::FutureSchema {
                    found: 2,
                    supported: 1
                }
            ),
            "bad address" => matches!(e, AliasError::InvalidRecord { .. }),
            "too large" => matches!(
                e,
                AliasError::TooLarge {
                    max: MAX_IMPORT_BYTES,
                    ..
                }
            ),
            _ => false,
        };
        assert!(expected, "{name}: {e:?}");
        assert!(!e.to_string().is_empty());
        assert_eq!(v, before, "{name} changed the vault");
    }
    let e = v.import(future).unwrap_err();
    assert!(e.to_string().contains("newer ImpaleMail"), "{e}");
}

#[test]
fn too_many_records_are_refused() {
    let records: Vec<String> = (0..=MAX_VAULT_RECORDS)
        .map(|i| {
            format!(
                r#"{{"id":"a{i}","address":"u{i}@mine.example","source":"catch-all","created":1,"state":"active"}}"#
            )
        })
        .collect();
    let doc = format!(
        r#"{{"format":"impalemail-vault","schema":1,"records":[{}]}}"#,
        records.join(",")
    );
    assert!(matches!(
        Vault::from_json(&doc),
        Err(AliasError::TooLarge {
            max: MAX_VAULT_RECORDS,
            ..
        })
    ));
}

#[test]
fn many_adds_and_merges_lose_nothing() {
    let mut v = Vault::new();
    for i in 0..150u64 {
        let site = format!("site{}.example", i % 10);
        assert!(matches!(
            v.add(rec(&format!("user{i}@mine.example"), &site, NOW + i))
                .unwrap(),
            Added::New { .. }
        ));
    }
    // Same addresses again, differing in case, with a label: merged, not duplicated.
    for i in 0..150u64 {
        let mut r = rec(&format!("USER{i}@Mine.Example"), "other.example", NOW - 10);
        r.label = Some(format!("label {i}"));
        assert!(matches!(v.add(r).unwrap(), Added::Merged { .. }));
    }
    assert_eq!(v.records.len(), 150);
    for (i, r) in v.records.iter().enumerate() {
        assert_eq!(r.address, format!("user{i}@mine.example"));
        assert_eq!(
            r.site.as_deref(),
            Some(format!("site{}.example", i % 10).as_str()),
            "existing site kept"
        );
        assert_eq!(
            r.label.as_deref(),
            Some(format!("label {i}").as_str()),
            "empty field filled"
        );
        assert_eq!(r.created, NOW - 10, "earlier creation kept");
    }
    // Importing an overlapping export keeps everything.
    let mut other = Vault::new();
    for i in 140..200u64 {
        other
            .add(rec(&format!("user{i}@mine.example"), "x.example", NOW))
            .unwrap();
    }
    let merged = v.import_json(&other.export_json()).unwrap();
    assert_eq!(merged.records.len(), 200);
    assert_eq!(v.records.len(), 150, "import returns a new document");
}

#[test]
fn for_site_search_and_record_operations() {
    let mut v = Vault::new();
    v.add(rec("old@mine.example", "example.co.uk", NOW - 100))
        .unwrap();
    v.add(rec("new@mine.example", "login.example.co.uk", NOW))
        .unwrap();
    v.add(rec("off@mine.example", "shop.example.co.uk", NOW + 5))
        .unwrap();
    v.add(rec("else@mine.example", "other.example", NOW))
        .unwrap();
    let off = record_id("off@mine.example");
    v.set_state(&off, AliasState::Disabled).unwrap();
    let site: Vec<&str> = v
        .for_site("https://www.example.co.uk/signup")
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        site,
        ["new@mine.example", "old@mine.example", "off@mine.example"]
    );
    assert!(v.for_site("not a site!").is_empty());

    v.set_label(&off, Some("  newsletter  ")).unwrap();
    assert_eq!(v.get(&off).unwrap().label.as_deref(), Some("newsletter"));
    assert_eq!(v.search("NEWS").len(), 1);
    assert_eq!(v.search("example.co.uk").len(), 3);
    assert_eq!(v.search("").len(), 4);
    v.set_note(&off, Some("n")).unwrap();
    v.set_label(&off, None).unwrap();
    assert_eq!(v.get(&off).unwrap().label, None);
    assert!(matches!(
        v.set_label(&off, Some(&"x".repeat(2000))),
        Err(AliasError::InvalidRecord { .. })
    ));
    assert_eq!(v.remove(&off).unwrap().address, "off@mine.example");
    assert!(matches!(
        v.remove(&off),
        Err(AliasError::UnknownRecord { .. })
    ));
    assert!(matches!(
        v.set_state("nope", AliasState::Active),
        Err(AliasError::UnknownRecord { .. })
    ));
}

#[test]
fn expiry_is_created_plus_lifetime_and_applied_once() {
    let mut v = Vault::new();
    let mk = |addr: &str, lifetime| {
        AliasRecord::new(
            addr,
            Source::Generator(GeneratorKind::PerSite),
            Some("example.com"),
            NOW,
            lifetime,
        )
        .unwrap()
    };
    v.add(mk("hour@mine.example", Lifetime::OneHour)).unwrap();
    v.add(mk("day@mine.example", Lifetime::OneDay)).unwrap();
    v.add(mk("month@mine.example", Lifetime::ThirtyDays))
        .unwrap();
    v.add(mk("never@mine.example", Lifetime::Never)).unwrap();
    v.add(mk("custom@mine.example", Lifetime::Custom { secs: 90 }))
        .unwrap();
    assert_eq!(v.records[0].expires, Some(NOW + 3600));
    assert_eq!(v.records[4].expires, Some(NOW + 90));
    assert!(v.due_for_expiry(NOW + 89).is_empty());
    assert_eq!(v.next_expiry(NOW), Some(NOW + 90));
    let due: Vec<&str> = v
        .due_for_expiry(NOW + 3600)
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(due, ["hour@mine.example", "custom@mine.example"]);
    let ids = v.apply_expiry(NOW + 3600);
    assert_eq!(ids.len(), 2);
    assert_eq!(v.records[0].state, AliasState::Expired);
    assert!(v.apply_expiry(NOW + 3600).is_empty(), "already expired");
    assert_eq!(v.apply_expiry(NOW + 31 * 86_400).len(), 2);
    assert_eq!(v.records[3].state, AliasState::Active, "never expires");
    assert_eq!(v.next_expiry(NOW + 31 * 86_400), None);
    // A disabled alias is not disabled again.
    let mut w = Vault::new();
    w.add(mk("x@mine.example", Lifetime::OneHour)).unwrap();
    let id = w.records[0].id.clone();
    w.set_state(&id, AliasState::Disabled).unwrap();
    assert!(w.due_for_expiry(NOW + 7200).is_empty());
}
