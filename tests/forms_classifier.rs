//! Integration tests for signup-form detection: hand-written feature batches
//! (tests/fixtures/forms/*.json, see PROVENANCE.md there) classified through the public API.
#![allow(clippy::unwrap_used)]

use impalemail::forms::{
    classify_batch, Batch, Classification, FieldType as F, FormType as T, FormsError,
    MAX_FIELDS_PER_BATCH, MAX_TEXT_LEN,
};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")),
    }
}

fn load(name: &str) -> Batch {
    let path = fixtures().join("forms").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn classify(name: &str) -> Classification {
    classify_batch(&load(name)).unwrap()
}

/// Asserts (field_type, button, fills) of every field, and the form types.
fn check(c: &Classification, fields: &[(F, bool, &[u32])], forms: &[T]) {
    assert_eq!(c.fields.len(), fields.len());
    for (i, (r, (t, button, fills))) in c.fields.iter().zip(fields).enumerate() {
        assert_eq!(r.field_type, *t, "field {i} type; rules {:?}", r.rules);
        assert_eq!(r.button, *button, "field {i} button");
        assert_eq!(r.fills, *fills, "field {i} fills");
    }
    let got: Vec<T> = c.forms.iter().map(|f| f.form_type).collect();
    assert_eq!(got, forms);
}

#[test]
fn english_signup_fills_email_and_its_confirm_twin() {
    let c = classify("en_signup_confirm");
    check(
        &c,
        &[
            (F::Other, false, &[]),
            (F::EmailNewAccount, true, &[1, 2]),
            (F::EmailConfirm, false, &[]),
            (F::Other, false, &[]),
        ],
        &[T::Signup],
    );
    assert!(c.fields[1].rules.iter().any(|r| r == "type.email"));
    assert!(c.forms[0].rules.iter().any(|r| r.starts_with("pw.new:")));
    assert!(c.fields[1].confidence > 0.5);
}

#[test]
fn english_login_offers_only_the_existing_alias() {
    let c = classify("en_login_username");
    check(
        &c,
        &[(F::Username, false, &[]), (F::Other, false, &[])],
        &[T::Login],
    );
    assert!(c.fields[0].offer_existing);
    assert!(!c.fields[1].offer_existing);
}

#[test]
fn german_login_and_signup_side_by_side() {
    let c = classify("de_login_and_signup");
    check(
        &c,
        &[
            (F::EmailLogin, false, &[]),
            (F::Other, false, &[]),
            (F::EmailNewAccount, true, &[2, 3]),
            (F::EmailConfirm, false, &[]),
            (F::Other, false, &[]),
        ],
        &[T::Login, T::Signup],
    );
    assert!(c.fields[0].offer_existing);
}

#[test]
fn french_newsletter_footer_and_search_box() {
    let c = classify("fr_newsletter_footer");
    check(
        &c,
        &[(F::Search, false, &[]), (F::EmailNewsletter, true, &[1])],
        &[T::Other, T::Newsletter],
    );
}

#[test]
fn japanese_type_text_email_with_confirm() {
    let c = classify("ja_signup_confirm");
    check(
        &c,
        &[
            (F::Other, false, &[]),
            (F::EmailNewAccount, true, &[1, 2]),
            (F::EmailConfirm, false, &[]),
            (F::Other, false, &[]),
        ],
        &[T::Signup],
    );
}

#[test]
fn russian_friend_invite_gets_no_button() {
    let c = classify("ru_invite_friend");
    check(&c, &[(F::EmailOtherPerson, false, &[])], &[T::Other]);
}

#[test]
fn korean_search_and_username_login() {
    let c = classify("ko_search_and_login");
    check(
        &c,
        &[
            (F::Search, false, &[]),
            (F::Username, false, &[]),
            (F::Other, false, &[]),
        ],
        &[T::Other, T::Login],
    );
    assert!(c.fields[1].offer_existing);
}

#[test]
fn spanish_guest_checkout_gets_a_button_and_reset_does_not() {
    // "Comprar como invitado": "invitado" is a guest here, not an invitation.
    let c = classify("es_guest_checkout_and_reset");
    check(
        &c,
        &[
            (F::EmailNewAccount, true, &[0]),
            (F::Other, false, &[]),
            (F::Other, false, &[]),
            (F::EmailLogin, false, &[]),
        ],
        &[T::GuestCheckout, T::PasswordChange],
    );
    assert!(c.fields[3].offer_existing);
}

#[test]
fn spa_container_with_text_email_and_an_unsubscribe_form() {
    let c = classify("en_spa_unsubscribe_and_text_email");
    check(
        &c,
        &[
            (F::EmailNewAccount, true, &[0]),
            (F::Other, false, &[]),
            (F::Other, false, &[]),
        ],
        &[T::Signup, T::Other],
    );
}

#[test]
fn classification_round_trips_through_json() {
    let c = classify("en_signup_confirm");
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"field_type\":\"email_new_account\""));
    assert!(json.contains("\"form_type\":\"signup\""));
    let back: Classification = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn limits_are_clear_errors() {
    let mut b = load("en_login_username");
    b.fields[0].label = "x".repeat(MAX_TEXT_LEN + 1);
    let e = classify_batch(&b).unwrap_err();
    assert!(matches!(
        e,
        FormsError::TextTooLong {
            record: "field",
            index: 0,
            feature: "label",
            ..
        }
    ));
    assert!(e.to_string().contains("label"));

    let mut b = load("en_login_username");
    let f = b.fields[0].clone();
    b.fields = (0..=MAX_FIELDS_PER_BATCH as u32)
        .map(|i| {
            let mut g = f.clone();
            g.index = i;
            g
        })
        .collect();
    assert!(matches!(
        classify_batch(&b),
        Err(FormsError::TooManyFields { .. })
    ));

    let mut b = load("en_login_username");
    b.fields[1].form_index = 7;
    assert!(matches!(
        classify_batch(&b),
        Err(FormsError::BadFormIndex {
            field: 1,
            form_index: 7,
            ..
        })
    ));

    let mut b = load("en_login_username");
    b.fields[1].index = 5;
    assert!(matches!(
        classify_batch(&b),
        Err(FormsError::IndexMismatch {
            record: "field",
            position: 1,
            index: 5
        })
    ));
}

#[test]
fn empty_batch_is_fine() {
    let c = classify_batch(&Batch::default()).unwrap();
    assert!(c.fields.is_empty() && c.forms.is_empty());
}
