//! Field and form classification: adds up the weights of the rules in [`super::rules`]
//! that match, decides each form's type, then each field's type within its form, and
//! finally the two UI decisions (`button`, `fills`) and `offer_existing`.

use super::features::{
    Batch, Classification, FieldFeatures, FieldResult, FieldType, FormFeatures, FormResult,
    FormType,
};
use super::rules::{
    self, Cue, Effect, FieldFact, FormFact, Source, CUE_COUNT, CUE_MIN_SCORE, EMAIL_FULL_SCORE,
    EMAIL_MIN_SCORE, FORM_FULL_MARGIN, FORM_MIN_SCORE, TIE_ORDER,
};
use super::text::{matches, normalize};
use super::{check_batch, FormsError};

const FORM_TYPES: [FormType; 7] = [
    FormType::Signup,
    FormType::Login,
    FormType::Newsletter,
    FormType::GuestCheckout,
    FormType::PasswordChange,
    FormType::Contact,
    FormType::Other,
];

fn form_slot(t: FormType) -> usize {
    FORM_TYPES.iter().position(|x| *x == t).unwrap_or(6)
}

/// Normalised texts of one field, one string per [`Source`].
struct FieldTexts {
    attr: String,
    text: String,
    nearby: String,
}

impl FieldTexts {
    fn new(f: &FieldFeatures) -> Self {
        let mut attr = String::new();
        for part in [&f.name, &f.id, &f.hints, &f.autocomplete] {
            attr.push_str(part);
            attr.push(' ');
        }
        for c in &f.classes {
            attr.push_str(c);
            attr.push(' ');
        }
        let text = [&f.label, &f.aria_label, &f.placeholder, &f.aria_described]
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        FieldTexts {
            attr: normalize(&attr),
            text: normalize(&text),
            nearby: normalize(&f.nearby),
        }
    }

    fn get(&self, s: Source) -> Option<&str> {
        match s {
            Source::FieldAttr => Some(&self.attr),
            Source::FieldText => Some(&self.text),
            Source::FieldNearby => Some(&self.nearby),
            _ => None,
        }
    }
}

/// Per-field scores before the form is known.
struct FieldScore {
    cues: [i32; CUE_COUNT],
    /// Form-type pushes from this field's own texts (`signupEmail`).
    form_push: Vec<(&'static str, FormType, i32)>,
    rules: Vec<String>,
    text_like: bool,
    search_type: bool,
}

impl FieldScore {
    fn cue(&self, c: Cue) -> i32 {
        self.cues[c.slot()]
    }
    fn has(&self, c: Cue) -> bool {
        self.cue(c) >= CUE_MIN_SCORE
    }
    fn is_email(&self) -> bool {
        self.text_like && self.cue(Cue::Email) >= EMAIL_MIN_SCORE && !self.is_search()
    }
    /// "Search mail" in a webmail bar is a search box: search cues win ties.
    fn is_search(&self) -> bool {
        (self.text_like || self.search_type)
            && self.has(Cue::Search)
            && self.cue(Cue::Search) >= self.cue(Cue::Email)
    }
    fn is_username(&self) -> bool {
        self.text_like && !self.is_email() && self.has(Cue::Username) && !self.is_search()
    }
}

fn has_token(list: &str, token: &str) -> bool {
    list.split_ascii_whitespace().any(|t| t == token)
}

fn field_fact(f: &FieldFeatures, fact: FieldFact) -> bool {
    let ac = f.autocomplete.to_ascii_lowercase();
    match fact {
        FieldFact::TypeEmail => f.tag == "input" && f.input_type == "email",
        FieldFact::AutocompleteEmail => has_token(&ac, "email"),
        FieldFact::AutocompleteUsername => has_token(&ac, "username"),
        FieldFact::InputModeEmail => f.input_mode.eq_ignore_ascii_case("email"),
        FieldFact::TypeSearch => f.input_type == "search" || f.input_mode == "search",
        FieldFact::Textarea => f.tag == "textarea",
        FieldFact::PlaceholderAt => {
            let p = f.placeholder.trim();
            p.len() > 3 && p.contains('@') && !p.starts_with('@')
        }
        FieldFact::LabelAt => f.label.trim() == "@",
    }
}

fn score_field(f: &FieldFeatures) -> FieldScore {
    let texts = FieldTexts::new(f);
    let mut s = FieldScore {
        cues: [0; CUE_COUNT],
        form_push: Vec::new(),
        rules: Vec::new(),
        text_like: f.tag == "input" && rules::TEXT_LIKE_TYPES.contains(&f.input_type.as_str()),
        search_type: f.tag == "input" && f.input_type == "search",
    };
    for rule in rules::RULES {
        let Some(hay) = texts.get(rule.source) else {
            continue;
        };
        let infix = rule.source.infix();
        if !rule.keywords.iter().any(|k| matches(hay, k, infix)) {
            continue;
        }
        match rule.effect {
            Effect::Field(c) => s.cues[c.slot()] += rule.weight,
            Effect::Form(t) => s.form_push.push((rule.id, t, rule.weight)),
        }
        s.rules.push(rule.id.to_owned());
    }
    for fr in rules::FIELD_FACTS {
        if field_fact(f, fr.fact) {
            s.cues[fr.cue.slot()] += fr.weight;
            s.rules.push(fr.id.to_owned());
        }
    }
    s
}

/// Normalised texts of one form, per [`Source`].
struct FormTexts {
    attr: String,
    heading: String,
    submit: String,
    other_buttons: String,
    links: String,
    checkboxes: String,
}

impl FormTexts {
    fn new(form: &FormFeatures) -> Self {
        let mut attr = format!("{} {} {} ", form.id, form.name, form.action);
        attr.push_str(&form.classes.join(" "));
        let submit = form.buttons.first().map(String::as_str).unwrap_or("");
        let others = form.buttons.get(1..).unwrap_or(&[]).join(" | ");
        FormTexts {
            attr: normalize(&attr),
            heading: normalize(&form.heading),
            submit: normalize(submit),
            other_buttons: normalize(&others),
            links: normalize(&form.links.join(" | ")),
            checkboxes: normalize(&form.checkboxes.join(" | ")),
        }
    }
}

struct PageTexts {
    title: String,
    path: String,
    /// Whether a form of the page looks like a login form of its own (one password field, no
    /// `new-password` hint): then a lone e-mail box elsewhere on the page is not the login's
    /// e-mail-first step (see [`FormFact::LoneEmailLoginPage`]).
    has_login_form: bool,
}

impl PageTexts {
    /// Whether the page's title or path holds one of `keywords` (as the `title.*` and
    /// `path.*` rules match them).
    fn says(&self, keywords: crate::words::Words) -> bool {
        keywords.iter().any(|k| {
            matches(&self.title, k, Source::PageTitle.infix())
                || matches(&self.path, k, Source::PagePath.infix())
        })
    }
}

fn form_text<'a>(src: Source, ft: Option<&'a FormTexts>, page: &'a PageTexts) -> Option<&'a str> {
    match src {
        Source::PageTitle => Some(&page.title),
        Source::PagePath => Some(&page.path),
        _ => {
            let ft = ft?;
            Some(match src {
                Source::FormAttr => &ft.attr,
                Source::FormHeading => &ft.heading,
                Source::FormSubmit => &ft.submit,
                Source::FormOtherButton => &ft.other_buttons,
                Source::FormLink => &ft.links,
                Source::FormCheckbox => &ft.checkboxes,
                _ => return None,
            })
        }
    }
}

struct FormScore {
    scores: [i32; 7],
    rules: Vec<String>,
}

impl FormScore {
    fn add(&mut self, id: &str, t: FormType, w: i32) {
        self.scores[form_slot(t)] += w;
        self.rules.push(format!("{id}:{w:+}"));
    }
    fn fired(&self, id: &str) -> bool {
        self.rules
            .iter()
            .any(|r| r.split(':').next().is_some_and(|x| x == id))
    }

    /// The winning type and a confidence from the margin to the runner-up.
    fn decide(&self) -> (FormType, f64) {
        let mut best = FormType::Other;
        let mut best_score = i32::MIN;
        for t in TIE_ORDER {
            let s = self.scores[form_slot(*t)];
            if s > best_score {
                best = *t;
                best_score = s;
            }
        }
        if best_score < FORM_MIN_SCORE {
            return (FormType::Other, 0.5);
        }
        let second = FORM_TYPES
            .iter()
            .filter(|t| **t != best)
            .map(|t| self.scores[form_slot(*t)])
            .max()
            .unwrap_or(0)
            .max(0);
        let margin = (best_score - second).clamp(0, FORM_FULL_MARGIN);
        (best, 0.5 + 0.5 * margin as f64 / FORM_FULL_MARGIN as f64)
    }
}

/// Structural facts of a form, from its record and its fields' scores.
fn form_fact(
    fact: FormFact,
    form: Option<&FormFeatures>,
    fields: &[(&FieldFeatures, &FieldScore)],
    page: &PageTexts,
    described: bool,
) -> bool {
    let (pw_count, acs): (u32, &[String]) = match form {
        Some(f) => (f.password_count, &f.password_autocompletes),
        None => (
            fields
                .iter()
                .filter(|(f, _)| f.input_type == "password")
                .count() as u32,
            &[],
        ),
    };
    let has_ac = |v: &str| acs.iter().any(|a| has_token(&a.to_ascii_lowercase(), v));
    let (new, cur) = (has_ac("new-password"), has_ac("current-password"));
    let hinted = new || cur;
    let emails = fields.iter().filter(|(_, s)| s.is_email()).count();
    let text_fields = fields
        .iter()
        .filter(|(f, _)| {
            f.input_type != "password" && (f.tag != "input" || f.input_type != "checkbox")
        })
        .count();
    let lone_email = pw_count == 0 && emails == 1 && text_fields == 1;
    match fact {
        FormFact::NewPassword => new && !cur,
        FormFact::CurrentPassword => cur && !new,
        FormFact::CurrentAndNewPassword => cur && new,
        FormFact::TwoPasswords => pw_count == 2 && !hinted,
        FormFact::ThreePasswords => pw_count >= 3 && !hinted,
        FormFact::OnePassword => pw_count == 1 && !hinted,
        FormFact::LoneEmail => lone_email,
        FormFact::LoneEmailUsernameHint => {
            lone_email
                && fields
                    .iter()
                    .any(|(f, s)| s.is_email() && field_fact(f, FieldFact::AutocompleteUsername))
        }
        // "Newsletter anmelden" is a newsletter page, whatever "anmelden" also means.
        FormFact::LoneEmailLoginPage => {
            lone_email
                && !described
                && !page.has_login_form
                && page.says(rules::LOGIN_PAGE_WORDS)
                && !page.says(rules::NEWSLETTER_PAGE_WORDS)
        }
        FormFact::LoneEmailSignupPage => {
            lone_email
                && !described
                && page.says(rules::SIGNUP_PAGE_WORDS)
                && !page.says(rules::NEWSLETTER_PAGE_WORDS)
        }
        FormFact::EmailAndPhoneNoPassword => {
            pw_count == 0
                && emails == 1
                && fields
                    .iter()
                    .any(|(_, s)| s.is_email() && !s.has(Cue::OtherPerson))
                && fields
                    .iter()
                    .any(|(f, _)| f.tag == "input" && f.input_type == "tel")
        }
        // Not on a login page when the form says nothing: an SSO step (work e-mail and company).
        FormFact::OwnEmailNoPassword => {
            pw_count == 0
                && (described
                    || !page.says(rules::LOGIN_PAGE_WORDS)
                    || page.says(rules::SIGNUP_PAGE_WORDS))
                && emails == 1
                && text_fields >= 2
                && fields.iter().any(|(f, s)| {
                    s.is_email()
                        && !s.has(Cue::OtherPerson)
                        && (field_fact(f, FieldFact::TypeEmail)
                            || field_fact(f, FieldFact::AutocompleteEmail))
                })
                && !fields.iter().any(|(_, s)| {
                    s.is_username()
                        || s.is_search()
                        || (!s.is_email() && (s.has(Cue::Message) || s.has(Cue::Address)))
                })
        }
        FormFact::ConfirmEmail => {
            emails >= 2
                && fields
                    .iter()
                    .any(|(_, s)| s.is_email() && s.has(Cue::Confirm))
        }
        FormFact::UsernameEmailPassword => {
            pw_count >= 1 && emails >= 1 && fields.iter().any(|(_, s)| s.is_username())
        }
        FormFact::AddressFields => {
            fields
                .iter()
                .filter(|(_, s)| !s.is_email() && s.has(Cue::Address))
                .count()
                >= 2
        }
        FormFact::MessageField => fields
            .iter()
            .any(|(_, s)| s.has(Cue::Message) && !s.is_email()),
        FormFact::OnlySearch => !fields.is_empty() && fields.iter().all(|(_, s)| s.is_search()),
        FormFact::ManyFieldsNoPassword => pw_count == 0 && text_fields >= 4,
        FormFact::ManyFieldsWithPassword => pw_count >= 1 && text_fields >= 3,
        FormFact::OnlyOtherPersonEmail => {
            emails >= 1
                && fields
                    .iter()
                    .filter(|(_, s)| s.is_email())
                    .all(|(_, s)| s.has(Cue::OtherPerson) && !s.has(Cue::Own))
        }
        FormFact::NoIdentityField => {
            pw_count == 0 && !fields.iter().any(|(_, s)| s.is_email() || s.is_username())
        }
    }
}

fn score_form(
    form: Option<&FormFeatures>,
    fields: &[(&FieldFeatures, &FieldScore)],
    page: &PageTexts,
) -> FormScore {
    let mut fs = FormScore {
        scores: [0; 7],
        rules: Vec::new(),
    };
    let texts = form.map(FormTexts::new);
    // Whether the form speaks for itself (a heading or button rule, or any newsletter cue):
    // then the page around it does not decide (a footer newsletter box on /login).
    let mut described = false;
    for rule in rules::RULES {
        let Effect::Form(t) = rule.effect else {
            continue;
        };
        let Some(hay) = form_text(rule.source, texts.as_ref(), page) else {
            continue;
        };
        if rule
            .keywords
            .iter()
            .any(|k| matches(hay, k, rule.source.infix()))
        {
            fs.add(rule.id, t, rule.weight);
            described |= matches!(rule.source, Source::FormHeading | Source::FormSubmit)
                || t == FormType::Newsletter;
        }
    }
    // Pushes from field texts: each rule once per form, however many fields match.
    for (_, s) in fields {
        for (id, t, w) in &s.form_push {
            if !fs.fired(id) {
                described |= *t == FormType::Newsletter;
                fs.add(id, *t, *w);
            }
        }
    }
    for fr in rules::FORM_FACTS {
        if form_fact(fr.fact, form, fields, page, described) {
            fs.add(fr.id, fr.form_type, fr.weight);
        }
    }
    fs
}

/// Field type of an e-mail field within a form of type `form_type`.
fn email_type(form_type: FormType) -> FieldType {
    match form_type {
        FormType::Signup | FormType::GuestCheckout => FieldType::EmailNewAccount,
        FormType::Newsletter => FieldType::EmailNewsletter,
        FormType::Login | FormType::PasswordChange => FieldType::EmailLogin,
        // The address a reply goes to, and unknown forms: no button, the context menu
        // still works (user-requests note item 16).
        FormType::Contact | FormType::Other => FieldType::Other,
    }
}

/// Classifies a batch (see [`super::classify_batch`]).
pub(super) fn classify(batch: &Batch) -> Result<Classification, FormsError> {
    check_batch(batch)?;
    let page = PageTexts {
        title: normalize(&batch.page.title),
        path: normalize(&batch.page.url_path),
        has_login_form: batch.forms.iter().any(|f| {
            f.password_count == 1
                && !f
                    .password_autocompletes
                    .iter()
                    .any(|a| has_token(&a.to_ascii_lowercase(), "new-password"))
        }),
    };
    let scores: Vec<FieldScore> = batch.fields.iter().map(score_field).collect();

    // Group fields by form; formless fields (form_index -1) form one group of their own
    // each, since unrelated inputs (a header search box, a lone e-mail box) share nothing.
    let members = |fi: i32| -> Vec<usize> {
        batch
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.form_index == fi)
            .map(|(i, _)| i)
            .collect()
    };

    let mut form_results = Vec::with_capacity(batch.forms.len());
    let mut form_of_field: Vec<(FormType, f64, usize)> =
        vec![(FormType::Other, 0.5, usize::MAX); batch.fields.len()];
    let mut form_rules: Vec<Vec<String>> = Vec::new();
    for (fi, form) in batch.forms.iter().enumerate() {
        let idx = members(fi as i32);
        let group: Vec<(&FieldFeatures, &FieldScore)> = idx
            .iter()
            .map(|&i| (&batch.fields[i], &scores[i]))
            .collect();
        let fs = score_form(Some(form), &group, &page);
        let (t, conf) = fs.decide();
        for &i in &idx {
            form_of_field[i] = (t, conf, fi);
        }
        form_results.push(FormResult {
            index: form.index,
            form_type: t,
            confidence: conf,
            rules: fs.rules.clone(),
        });
        form_rules.push(fs.rules);
    }
    for (i, f) in batch.fields.iter().enumerate() {
        if f.form_index < 0 {
            let group = [(f, &scores[i])];
            let fs = score_form(None, &group, &page);
            let (t, conf) = fs.decide();
            form_of_field[i] = (t, conf, usize::MAX);
        }
    }

    // Field types.
    let mut types: Vec<(FieldType, f64)> = Vec::with_capacity(batch.fields.len());
    for (i, f) in batch.fields.iter().enumerate() {
        let s = &scores[i];
        let (form_type, form_conf, fi) = form_of_field[i];
        let earlier_email_in_form = fi != usize::MAX
            && batch.fields[..i].iter().enumerate().any(|(j, g)| {
                g.form_index == f.form_index
                    && scores[j].is_email()
                    && !scores[j].has(Cue::OtherPerson)
            });
        // An invite/gift form (decided as Other) makes its addresses someone else's; a
        // French "commande en tant qu'invité" (guest) is a checkout and keeps them own.
        let form_other_person = fi != usize::MAX
            && form_type == FormType::Other
            && form_rules[fi].iter().any(|r| {
                r.starts_with("heading.other_person") || r.starts_with("submit.other_person")
            });
        let email_conf = (s.cue(Cue::Email) as f64 / EMAIL_FULL_SCORE as f64).min(1.0) * form_conf;
        let t = if s.is_email() {
            if (s.has(Cue::OtherPerson) || form_other_person) && !s.has(Cue::Own) {
                (FieldType::EmailOtherPerson, email_conf)
            } else if earlier_email_in_form
                && (s.has(Cue::Confirm)
                    || matches!(
                        form_type,
                        FormType::Signup | FormType::Newsletter | FormType::GuestCheckout
                    ) && !s.has(Cue::Own))
            {
                // A second own address in a signup form is its confirmation, labelled
                // or not (user-requests note item 5).
                (FieldType::EmailConfirm, email_conf)
            } else {
                (email_type(form_type), email_conf)
            }
        } else if s.is_search() {
            (FieldType::Search, 0.8)
        } else if s.is_username() {
            (FieldType::Username, form_conf)
        } else {
            (FieldType::Other, 0.5)
        };
        types.push(t);
    }

    // UI decisions.
    let mut fields = Vec::with_capacity(batch.fields.len());
    for (i, f) in batch.fields.iter().enumerate() {
        let (field_type, confidence) = types[i];
        let (form_type, _, fi) = form_of_field[i];
        let button = matches!(
            field_type,
            FieldType::EmailNewAccount | FieldType::EmailNewsletter
        );
        let offer_existing = field_type == FieldType::EmailLogin
            || (field_type == FieldType::Username
                && matches!(form_type, FormType::Login | FormType::PasswordChange));
        let mut fills = Vec::new();
        if button {
            fills.push(f.index);
            if fi != usize::MAX {
                for (j, g) in batch.fields.iter().enumerate() {
                    if g.form_index == f.form_index && types[j].0 == FieldType::EmailConfirm {
                        fills.push(g.index);
                    }
                }
            }
        }
        let mut rules = scores[i].rules.clone();
        if fi != usize::MAX {
            rules.extend(form_rules[fi].iter().map(|r| format!("form.{r}")));
        }
        fields.push(FieldResult {
            index: f.index,
            field_type,
            confidence: (confidence * 100.0).round() / 100.0,
            button,
            offer_existing,
            fills,
            rules,
        });
    }
    Ok(Classification {
        fields,
        forms: form_results,
    })
}
