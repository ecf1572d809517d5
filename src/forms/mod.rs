//! Signup-form detection: decides, for each candidate field the content script found,
//! what it is for (new-account e-mail, login e-mail, confirm, newsletter, someone else's
//! address, search, ...) and what the UI does with it (show the alias button, which fields
//! a click fills, or only offer the alias already used on the site).
//!
//! Data flow: `extension/content/extract.js` walks the page (open shadow roots included),
//! builds one [`Batch`] of compact [`FieldFeatures`] / [`FormFeatures`] records and sends it
//! to the background, which calls [`classify_batch`] through the wasm bindings (serde JSON
//! shapes, see [`features`]). Nothing here touches the DOM.
//!
//! The rules are data ([`rules::RULES`], [`rules::FIELD_FACTS`], [`rules::FORM_FACTS`]),
//! with keyword lists for 13 languages in [`lang`]. Input limits are named constants below;
//! exceeding one is a [`FormsError`], never a silent truncation (the content script applies
//! its own, smaller limits first). Autocomplete tokens follow the WHATWG HTML standard,
//! section 4.10.18.7 "Autofill".

mod classify;
pub mod features;
pub mod lang;
pub mod rules;
pub mod text;

pub use features::{
    Batch, Classification, FieldFeatures, FieldResult, FieldType, FormFeatures, FormResult,
    FormType, PageInfo,
};
pub use text::normalize;

/// Most fields one batch may hold. The content script sends at most 500
/// (`MAX_INPUTS_PER_SCAN`); a real page with more candidate fields is a spreadsheet, not a
/// signup form.
pub const MAX_FIELDS_PER_BATCH: usize = 1000;

/// Most forms (or form-like containers) one batch may hold.
pub const MAX_FORMS_PER_BATCH: usize = 500;

/// Longest text value (in chars) of one feature (label, placeholder, heading, ...).
/// The content script cuts at 200 (`MAX_TEXT_LEN`); this leaves room for other extractors.
pub const MAX_TEXT_LEN: usize = 1000;

/// Most entries in one list feature (classes, buttons, links, checkboxes, autocompletes).
pub const MAX_LIST_LEN: usize = 64;

/// Why a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormsError {
    /// More fields than [`MAX_FIELDS_PER_BATCH`].
    TooManyFields {
        /// Fields in the batch.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More forms than [`MAX_FORMS_PER_BATCH`].
    TooManyForms {
        /// Forms in the batch.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A text feature longer than [`MAX_TEXT_LEN`] chars.
    TextTooLong {
        /// Which record: `"field"`, `"form"` or `"page"`.
        record: &'static str,
        /// Its position in the batch.
        index: usize,
        /// The feature's JSON name (`"label"`, `"heading"`, ...).
        feature: &'static str,
        /// Its length in chars.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A list feature with more than [`MAX_LIST_LEN`] entries.
    ListTooLong {
        /// Which record: `"field"` or `"form"`.
        record: &'static str,
        /// Its position in the batch.
        index: usize,
        /// The feature's JSON name.
        feature: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A record's `index` is not its position in the batch.
    IndexMismatch {
        /// Which record: `"field"` or `"form"`.
        record: &'static str,
        /// Its position.
        position: usize,
        /// The `index` it carries.
        index: u32,
    },
    /// A field's `formIndex` names no form of the batch.
    BadFormIndex {
        /// The field's position.
        field: usize,
        /// The `formIndex` it carries.
        form_index: i32,
        /// Number of forms in the batch.
        forms: usize,
    },
}

impl std::fmt::Display for FormsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormsError::TooManyFields { count, max } => {
                write!(f, "batch has {count} fields, more than the limit of {max}")
            }
            FormsError::TooManyForms { count, max } => {
                write!(f, "batch has {count} forms, more than the limit of {max}")
            }
            FormsError::TextTooLong {
                record,
                index,
                feature,
                len,
                max,
            } => write!(
                f,
                "{record} {index}: `{feature}` is {len} chars, more than the limit of {max}"
            ),
            FormsError::ListTooLong {
                record,
                index,
                feature,
                len,
                max,
            } => write!(
                f,
                "{record} {index}: `{feature}` has {len} entries, more than the limit of {max}"
            ),
            FormsError::IndexMismatch {
                record,
                position,
                index,
            } => write!(f, "{record} at position {position} carries index {index}"),
            FormsError::BadFormIndex {
                field,
                form_index,
                forms,
            } => write!(
                f,
                "field {field} has formIndex {form_index}, but the batch has {forms} forms"
            ),
        }
    }
}

impl std::error::Error for FormsError {}

fn check_text(
    record: &'static str,
    index: usize,
    feature: &'static str,
    s: &str,
) -> Result<(), FormsError> {
    let len = s.chars().count();
    if len > MAX_TEXT_LEN {
        return Err(FormsError::TextTooLong {
            record,
            index,
            feature,
            len,
            max: MAX_TEXT_LEN,
        });
    }
    Ok(())
}

fn check_list(
    record: &'static str,
    index: usize,
    feature: &'static str,
    list: &[String],
) -> Result<(), FormsError> {
    if list.len() > MAX_LIST_LEN {
        return Err(FormsError::ListTooLong {
            record,
            index,
            feature,
            len: list.len(),
            max: MAX_LIST_LEN,
        });
    }
    for s in list {
        check_text(record, index, feature, s)?;
    }
    Ok(())
}

/// Checks every limit and index of a batch.
fn check_batch(batch: &Batch) -> Result<(), FormsError> {
    if batch.fields.len() > MAX_FIELDS_PER_BATCH {
        return Err(FormsError::TooManyFields {
            count: batch.fields.len(),
            max: MAX_FIELDS_PER_BATCH,
        });
    }
    if batch.forms.len() > MAX_FORMS_PER_BATCH {
        return Err(FormsError::TooManyForms {
            count: batch.forms.len(),
            max: MAX_FORMS_PER_BATCH,
        });
    }
    for (i, f) in batch.fields.iter().enumerate() {
        if f.index as usize != i {
            return Err(FormsError::IndexMismatch {
                record: "field",
                position: i,
                index: f.index,
            });
        }
        if f.form_index < -1 || f.form_index >= batch.forms.len() as i32 {
            return Err(FormsError::BadFormIndex {
                field: i,
                form_index: f.form_index,
                forms: batch.forms.len(),
            });
        }
        for (name, s) in [
            ("tag", &f.tag),
            ("type", &f.input_type),
            ("autocomplete", &f.autocomplete),
            ("name", &f.name),
            ("id", &f.id),
            ("hints", &f.hints),
            ("placeholder", &f.placeholder),
            ("ariaLabel", &f.aria_label),
            ("ariaDescribed", &f.aria_described),
            ("label", &f.label),
            ("nearby", &f.nearby),
            ("inputMode", &f.input_mode),
        ] {
            check_text("field", i, name, s)?;
        }
        check_list("field", i, "classes", &f.classes)?;
    }
    for (i, f) in batch.forms.iter().enumerate() {
        if f.index as usize != i {
            return Err(FormsError::IndexMismatch {
                record: "form",
                position: i,
                index: f.index,
            });
        }
        for (name, s) in [
            ("action", &f.action),
            ("method", &f.method),
            ("id", &f.id),
            ("name", &f.name),
            ("heading", &f.heading),
        ] {
            check_text("form", i, name, s)?;
        }
        check_list("form", i, "classes", &f.classes)?;
        check_list("form", i, "buttons", &f.buttons)?;
        check_list("form", i, "links", &f.links)?;
        check_list("form", i, "checkboxes", &f.checkboxes)?;
        check_list(
            "form",
            i,
            "passwordAutocompletes",
            &f.password_autocompletes,
        )?;
    }
    check_text("page", 0, "urlPath", &batch.page.url_path)?;
    check_text("page", 0, "title", &batch.page.title)?;
    Ok(())
}

/// Classifies every field and form of a batch.
///
/// Returns one [`FieldResult`] per field and one [`FormResult`] per form, in batch order.
/// Fails with a [`FormsError`] when a limit is exceeded or an index is inconsistent.
pub fn classify_batch(batch: &Batch) -> Result<Classification, FormsError> {
    classify::classify(batch)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
