//! The records the content script (`extension/content/extract.js`) sends to the background,
//! and the classification sent back.
//!
//! Input records use camelCase JSON keys (they are written by JavaScript); every field has a
//! default so that an older or newer content script still parses. Output records use
//! snake_case keys (`field_type`, `offer_existing`), as the UI code reads them.

use serde::{Deserialize, Serialize};

/// One candidate field (input, textarea or select) as seen by the content script.
///
/// Text values are raw page text, already trimmed and cut to the script's own limit;
/// the classifier normalises them (see [`super::normalize`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldFeatures {
    /// Position of this record in [`Batch::fields`] (checked).
    pub index: u32,
    /// Index of the form (or form-like container) in [`Batch::forms`], or -1 for none.
    pub form_index: i32,
    /// Lowercase tag name: `input`, `textarea` or `select`.
    pub tag: String,
    /// Lowercase `type` attribute of an input (`text` when absent).
    #[serde(rename = "type")]
    pub input_type: String,
    /// The `autocomplete` attribute, lowercased (e.g. `email`, `username`, `off`).
    pub autocomplete: String,
    /// The `name` attribute.
    pub name: String,
    /// The `id` attribute.
    pub id: String,
    /// Values of the attributes frameworks and test tooling put on fields
    /// (`formcontrolname`, `data-testid`, `data-qa`, ...), space-separated: they name the
    /// field's purpose when `name` and `id` are generated.
    pub hints: String,
    /// The class tokens (at most a few; generated hashes are dropped by the script).
    pub classes: Vec<String>,
    /// The `placeholder` attribute.
    pub placeholder: String,
    /// The `aria-label` attribute, else the `title` attribute.
    pub aria_label: String,
    /// Text of the elements named by `aria-describedby`.
    pub aria_described: String,
    /// Label text: `label[for]`, a wrapping label, `aria-labelledby`, or the text just
    /// before the field.
    pub label: String,
    /// Short text around the field (previous sibling / parent), when no label was found.
    pub nearby: String,
    /// The `maxlength` attribute, -1 when absent.
    pub max_length: i32,
    /// The `inputmode` attribute (`email`, `search`, ...).
    pub input_mode: String,
    /// Whether the field is `required`.
    pub required: bool,
}

/// One form or form-like container (a `div` with inputs and a button, common in SPAs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormFeatures {
    /// Position of this record in [`Batch::forms`] (checked).
    pub index: u32,
    /// True for a real `<form>`, false for a form-like container.
    pub is_form: bool,
    /// Path of the `action` URL (no query, no host), empty when absent.
    pub action: String,
    /// Lowercase `method` attribute.
    pub method: String,
    /// The `id` attribute.
    pub id: String,
    /// The `name` attribute.
    pub name: String,
    /// Class tokens.
    pub classes: Vec<String>,
    /// Heading text in or just before the form (h1-h6, legend, dialog title).
    pub heading: String,
    /// Texts of submit buttons and other buttons in the form.
    pub buttons: Vec<String>,
    /// Texts of links in the form ("Forgot password?", "Already have an account?"), then the
    /// whole text of a short link line just before or after it ("Already have an account? Log in").
    pub links: Vec<String>,
    /// Number of visible password fields.
    pub password_count: u32,
    /// Their `autocomplete` values (`new-password`, `current-password`, or empty).
    pub password_autocompletes: Vec<String>,
    /// Number of visible inputs of any kind (checkboxes included).
    pub visible_inputs: u32,
    /// Label texts of the visible checkboxes ("I agree to the terms", "Remember me").
    pub checkboxes: Vec<String>,
}

/// The page the batch comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageInfo {
    /// `location.pathname` (no query string: it may hold tokens).
    pub url_path: String,
    /// `document.title`.
    pub title: String,
}

/// Everything one scan of a page produced; the unit of classification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Batch {
    /// Candidate fields, in document order.
    pub fields: Vec<FieldFeatures>,
    /// Forms and form-like containers that hold at least one field.
    pub forms: Vec<FormFeatures>,
    /// The page.
    pub page: PageInfo,
}

/// What a field is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// The e-mail address of an account being created (signup, guest checkout).
    EmailNewAccount,
    /// The e-mail address of an existing account (login, password reset).
    EmailLogin,
    /// A user name / login identifier that is not an e-mail address.
    Username,
    /// A second entry of the e-mail address ("Confirm email").
    EmailConfirm,
    /// The address a newsletter or updates are sent to.
    EmailNewsletter,
    /// Someone else's address: invite, gift, referral, "friend's email".
    EmailOtherPerson,
    /// A search box.
    Search,
    /// Anything else (names, passwords, contact-form e-mail, messages, ...).
    Other,
}

/// What a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormType {
    /// Creating an account (including the first, e-mail-only step).
    Signup,
    /// Logging in to an existing account.
    Login,
    /// Subscribing to a newsletter or updates.
    Newsletter,
    /// Buying without an account.
    GuestCheckout,
    /// Changing or resetting a password.
    PasswordChange,
    /// Contact / support / enquiry.
    Contact,
    /// Anything else (search, invite, settings, ...).
    Other,
}

/// The decision for one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldResult {
    /// Same as [`FieldFeatures::index`].
    pub index: u32,
    /// What the field is for.
    pub field_type: FieldType,
    /// How sure the classifier is, 0.0 to 1.0 (a heuristic, not a probability).
    pub confidence: f64,
    /// Show the alias button on this field.
    pub button: bool,
    /// Offer only the alias already used on this site (login, reset).
    pub offer_existing: bool,
    /// Indices of the fields a click on the button fills: the field and its confirm twin.
    /// Empty when `button` is false.
    pub fills: Vec<u32>,
    /// Ids of the rules that matched this field and its form, for debugging.
    pub rules: Vec<String>,
}

/// The decision for one form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormResult {
    /// Same as [`FormFeatures::index`].
    pub index: u32,
    /// What the form is for.
    pub form_type: FormType,
    /// How sure the classifier is, 0.0 to 1.0.
    pub confidence: f64,
    /// Ids of the rules that matched, with their weights (`"btn.signup:+4"`).
    pub rules: Vec<String>,
}

/// The classification of a [`Batch`]: one result per field and per form, in the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Per field.
    pub fields: Vec<FieldResult>,
    /// Per form.
    pub forms: Vec<FormResult>,
}
