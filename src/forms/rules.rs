//! The matching rules, as data: which keyword list, found where, pushes which decision by
//! how much. Modelled on duckduckgo-autofill's matching config: the classifier in
//! `super::classify` only adds up the weights listed here and applies the thresholds at
//! the end of this file, so tuning never touches code.
//!
//! Weights are small integers. A form's type is the one with the highest total (ties go to
//! the type that shows no button, see [`TIE_ORDER`]); a field's cues decide its type
//! within that form.

use super::features::FormType;
use super::lang;
use crate::words::Words;

/// Where a keyword list is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Field `name`, `id`, framework hints (`formcontrolname`, `data-testid`), classes and
    /// `autocomplete` (infix matching allowed).
    FieldAttr,
    /// Field label, `aria-label`, placeholder and `aria-describedby` text.
    FieldText,
    /// Short text near the field when no label was found.
    FieldNearby,
    /// Form `id`, `name`, classes and action path (infix matching allowed).
    FormAttr,
    /// Heading in or before the form.
    FormHeading,
    /// The primary (first submit) button's text.
    FormSubmit,
    /// The other buttons' texts (social logins, secondary actions).
    FormOtherButton,
    /// Link texts inside the form.
    FormLink,
    /// Checkbox labels inside the form.
    FormCheckbox,
    /// `document.title`.
    PageTitle,
    /// `location.pathname` (infix matching allowed).
    PagePath,
}

impl Source {
    /// Whether keywords may match inside glued-together tokens for this source.
    pub fn infix(self) -> bool {
        matches!(
            self,
            Source::FieldAttr | Source::FormAttr | Source::PagePath
        )
    }
}

/// A per-field cue (accumulated per field, then read by the field decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// The field holds an e-mail address.
    Email,
    /// The field holds a user name.
    Username,
    /// The field repeats another one.
    Confirm,
    /// The field is about someone else (friend, recipient).
    OtherPerson,
    /// The field is explicitly about the person filling in ("your email").
    Own,
    /// The field is a search box.
    Search,
    /// The field is part of a postal/payment address.
    Address,
    /// The field is a free-text message.
    Message,
}

/// Number of [`Cue`] variants (size of the per-field score array).
pub const CUE_COUNT: usize = 8;

impl Cue {
    /// Position in the per-field score array.
    pub fn slot(self) -> usize {
        self as usize
    }
}

/// What a rule pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Adds to the score of a form type (for field sources: the field's form).
    Form(FormType),
    /// Adds to a cue of the field (only for field sources).
    Field(Cue),
}

/// One keyword rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id, shown in [`super::FieldResult::rules`] for debugging.
    pub id: &'static str,
    /// Where to look.
    pub source: Source,
    /// What to look for.
    pub keywords: Words,
    /// What it pushes.
    pub effect: Effect,
    /// By how much (may be negative).
    pub weight: i32,
}

use Cue as C;
use Effect::{Field as F, Form as T};
use FormType as Ft;
use Source as S;

const fn r(id: &'static str, source: Source, keywords: Words, effect: Effect, weight: i32) -> Rule {
    Rule {
        id,
        source,
        keywords,
        effect,
        weight,
    }
}

/// The keyword rules. Each fires at most once per field (field cues) or once per form
/// (form scores), however many keywords or fields match.
pub static RULES: &[Rule] = &[
    // --- The primary button says what the form does: the strongest text cue.
    r(
        "submit.signup",
        S::FormSubmit,
        lang::SIGNUP,
        T(Ft::Signup),
        5,
    ), // "Create account"
    r("submit.login", S::FormSubmit, lang::LOGIN, T(Ft::Login), 5), // "Sign in"
    r(
        "submit.newsletter",
        S::FormSubmit,
        lang::NEWSLETTER,
        T(Ft::Newsletter),
        5,
    ), // "Subscribe"
    r(
        "submit.unsubscribe",
        S::FormSubmit,
        lang::UNSUBSCRIBE,
        T(Ft::Other),
        8,
    ), // beats "subscribe" cues elsewhere
    r(
        "submit.reset",
        S::FormSubmit,
        lang::PASSWORD_RESET,
        T(Ft::PasswordChange),
        5,
    ), // "Send reset link"
    r(
        "submit.contact",
        S::FormSubmit,
        lang::CONTACT,
        T(Ft::Contact),
        4,
    ), // "Send message"
    r(
        "submit.checkout",
        S::FormSubmit,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        4,
    ), // "Continue to shipping"
    r(
        "submit.other_person",
        S::FormSubmit,
        lang::OTHER_PERSON,
        T(Ft::Other),
        4,
    ), // "Send invite"
    // Petitions and donations say so on their button: the signer's address joins the
    // campaign's list (newsletter); a donor gives an address as a guest buyer does.
    r(
        "submit.petition",
        S::FormSubmit,
        lang::PETITION,
        T(Ft::Newsletter),
        5,
    ), // "Sign this petition"
    r(
        "submit.donate",
        S::FormSubmit,
        lang::DONATE,
        T(Ft::GuestCheckout),
        4,
    ), // "Donate now"
    r(
        "submit.search",
        S::FormSubmit,
        lang::SEARCH,
        T(Ft::Other),
        3,
    ), // "Search"
    // --- Secondary buttons: social logins ("Sign up with Google") repeat the intent, but a
    // login form also offers "Create account" as a second button, so they count less.
    r(
        "button.signup",
        S::FormOtherButton,
        lang::SIGNUP,
        T(Ft::Signup),
        1,
    ),
    r(
        "button.login",
        S::FormOtherButton,
        lang::LOGIN,
        T(Ft::Login),
        1,
    ),
    r(
        "button.checkout",
        S::FormOtherButton,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        2,
    ), // "Continue as guest"
    // --- Headings: nearly as telling as the button, but may belong to a larger section.
    r(
        "heading.signup",
        S::FormHeading,
        lang::SIGNUP,
        T(Ft::Signup),
        4,
    ),
    r(
        "heading.login",
        S::FormHeading,
        lang::LOGIN,
        T(Ft::Login),
        4,
    ),
    r(
        "heading.newsletter",
        S::FormHeading,
        lang::NEWSLETTER,
        T(Ft::Newsletter),
        4,
    ),
    r(
        "heading.unsubscribe",
        S::FormHeading,
        lang::UNSUBSCRIBE,
        T(Ft::Other),
        6,
    ),
    r(
        "heading.reset",
        S::FormHeading,
        lang::PASSWORD_RESET,
        T(Ft::PasswordChange),
        4,
    ),
    r(
        "heading.contact",
        S::FormHeading,
        lang::CONTACT,
        T(Ft::Contact),
        3,
    ),
    r(
        "heading.checkout",
        S::FormHeading,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        3,
    ),
    // "Sign up for our newsletter", "Iscriviti alla newsletter": a heading that names the
    // newsletter is about it, whatever sign-up verb it uses (cancels `heading.signup`).
    r(
        "heading.newsletter.not_signup",
        S::FormHeading,
        lang::NEWSLETTER,
        T(Ft::Signup),
        -4,
    ),
    r(
        "heading.petition",
        S::FormHeading,
        lang::PETITION,
        T(Ft::Newsletter),
        4,
    ),
    r(
        "heading.donate",
        S::FormHeading,
        lang::DONATE,
        T(Ft::GuestCheckout),
        3,
    ),
    r(
        "heading.other_person",
        S::FormHeading,
        lang::OTHER_PERSON,
        T(Ft::Other),
        4,
    ), // "Invite your team"
    // --- Form id/name/class/action: developers name forms after their purpose.
    r(
        "form_attr.signup",
        S::FormAttr,
        lang::SIGNUP,
        T(Ft::Signup),
        3,
    ),
    r("form_attr.login", S::FormAttr, lang::LOGIN, T(Ft::Login), 3),
    r(
        "form_attr.newsletter",
        S::FormAttr,
        lang::NEWSLETTER,
        T(Ft::Newsletter),
        3,
    ),
    r(
        "form_attr.unsubscribe",
        S::FormAttr,
        lang::UNSUBSCRIBE,
        T(Ft::Other),
        5,
    ),
    r(
        "form_attr.reset",
        S::FormAttr,
        lang::PASSWORD_RESET,
        T(Ft::PasswordChange),
        3,
    ),
    r(
        "form_attr.contact",
        S::FormAttr,
        lang::CONTACT,
        T(Ft::Contact),
        3,
    ),
    r(
        "form_attr.checkout",
        S::FormAttr,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        3,
    ),
    r(
        "form_attr.search",
        S::FormAttr,
        lang::SEARCH,
        T(Ft::Other),
        3,
    ),
    r(
        "form_attr.other_person",
        S::FormAttr,
        lang::OTHER_PERSON,
        T(Ft::Other),
        3,
    ),
    // --- Links point elsewhere: "Forgot password?" sits in login forms, "Already have an
    // account? Log in" sits in signup forms, "New here? Sign up" in login forms.
    r(
        "link.forgot",
        S::FormLink,
        lang::PASSWORD_RESET,
        T(Ft::Login),
        3,
    ),
    r(
        "link.have_account",
        S::FormLink,
        lang::HAVE_ACCOUNT,
        T(Ft::Signup),
        3,
    ),
    r("link.to_login", S::FormLink, lang::LOGIN, T(Ft::Signup), 1),
    r(
        "link.no_account",
        S::FormLink,
        lang::NO_ACCOUNT,
        T(Ft::Login),
        3,
    ),
    r("link.to_signup", S::FormLink, lang::SIGNUP, T(Ft::Login), 1),
    // --- Checkboxes: terms are accepted when an account is made; "remember me" only logs in.
    r(
        "checkbox.terms",
        S::FormCheckbox,
        lang::TERMS,
        T(Ft::Signup),
        2,
    ),
    r(
        "checkbox.remember",
        S::FormCheckbox,
        lang::REMEMBER,
        T(Ft::Login),
        4,
    ),
    // --- Page title and path: weak, a page hosts several forms (footer newsletter on /login).
    r("title.signup", S::PageTitle, lang::SIGNUP, T(Ft::Signup), 1),
    r("title.login", S::PageTitle, lang::LOGIN, T(Ft::Login), 1),
    r(
        "title.reset",
        S::PageTitle,
        lang::PASSWORD_RESET,
        T(Ft::PasswordChange),
        1,
    ),
    r(
        "title.contact",
        S::PageTitle,
        lang::CONTACT,
        T(Ft::Contact),
        1,
    ),
    r(
        "title.checkout",
        S::PageTitle,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        1,
    ),
    r("path.signup", S::PagePath, lang::SIGNUP, T(Ft::Signup), 1),
    r("path.login", S::PagePath, lang::LOGIN, T(Ft::Login), 1),
    r(
        "path.reset",
        S::PagePath,
        lang::PASSWORD_RESET,
        T(Ft::PasswordChange),
        1,
    ),
    r(
        "path.contact",
        S::PagePath,
        lang::CONTACT,
        T(Ft::Contact),
        1,
    ),
    r(
        "path.checkout",
        S::PagePath,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        1,
    ),
    // --- Field names tell the form's purpose too (`signupEmail`, `newsletter_email`).
    r(
        "field_attr.signup",
        S::FieldAttr,
        lang::SIGNUP,
        T(Ft::Signup),
        2,
    ),
    r(
        "field_attr.login",
        S::FieldAttr,
        lang::LOGIN,
        T(Ft::Login),
        2,
    ),
    r(
        "field_attr.newsletter",
        S::FieldAttr,
        lang::NEWSLETTER,
        T(Ft::Newsletter),
        3,
    ),
    r(
        "field_attr.checkout",
        S::FieldAttr,
        lang::CHECKOUT,
        T(Ft::GuestCheckout),
        2,
    ),
    r(
        "field_text.newsletter",
        S::FieldText,
        lang::NEWSLETTER,
        T(Ft::Newsletter),
        3,
    ), // placeholder "Join our newsletter"
    // A box whose label names the newsletter is not a log-in, whatever its button says
    // (Dutch "Aanmelden" is both "subscribe" and "log in").
    r(
        "field_text.newsletter.not_login",
        S::FieldText,
        lang::NEWSLETTER,
        T(Ft::Login),
        -3,
    ),
    // "Email or phone number": one box for any identifier of an existing account (the
    // e-mail-first step of a login says nothing else); newsletters never take a phone number.
    r(
        "field_text.email_or_identifier",
        S::FieldText,
        lang::EMAIL_OR_IDENTIFIER,
        T(Ft::Login),
        3,
    ),
    r(
        "field_text.signup",
        S::FieldText,
        lang::SIGNUP,
        T(Ft::Signup),
        1,
    ),
    // --- Field cues.
    r("attr.email", S::FieldAttr, lang::EMAIL, F(C::Email), 3),
    r("text.email", S::FieldText, lang::EMAIL, F(C::Email), 3),
    r("near.email", S::FieldNearby, lang::EMAIL, F(C::Email), 2),
    r(
        "attr.username",
        S::FieldAttr,
        lang::USERNAME,
        F(C::Username),
        3,
    ),
    r(
        "text.username",
        S::FieldText,
        lang::USERNAME,
        F(C::Username),
        3,
    ),
    r(
        "attr.confirm",
        S::FieldAttr,
        lang::CONFIRM,
        F(C::Confirm),
        3,
    ),
    r(
        "text.confirm",
        S::FieldText,
        lang::CONFIRM,
        F(C::Confirm),
        3,
    ),
    r(
        "near.confirm",
        S::FieldNearby,
        lang::CONFIRM,
        F(C::Confirm),
        2,
    ),
    r(
        "attr.other_person",
        S::FieldAttr,
        lang::OTHER_PERSON,
        F(C::OtherPerson),
        3,
    ),
    r(
        "text.other_person",
        S::FieldText,
        lang::OTHER_PERSON,
        F(C::OtherPerson),
        3,
    ),
    r(
        "near.other_person",
        S::FieldNearby,
        lang::OTHER_PERSON,
        F(C::OtherPerson),
        2,
    ),
    // A child's, parent's or guest's address beside the person's own (`childEmail`,
    // "Email di un genitore"): someone else's, not a confirmation.
    r(
        "attr.guardian",
        S::FieldAttr,
        lang::GUARDIAN,
        F(C::OtherPerson),
        3,
    ),
    r(
        "text.guardian",
        S::FieldText,
        lang::GUARDIAN,
        F(C::OtherPerson),
        3,
    ),
    // `emailDomain`, "이메일 도메인": the domain half of a split address is not an e-mail
    // field (cancels the `email` in its name and the e-mail type facts up to `type=text`).
    r(
        "attr.email_domain",
        S::FieldAttr,
        lang::EMAIL_DOMAIN,
        F(C::Email),
        -6,
    ),
    r(
        "text.email_domain",
        S::FieldText,
        lang::EMAIL_DOMAIN,
        F(C::Email),
        -6,
    ),
    // "First name" under `new_user_first_name`: a person's name, not a user name.
    r(
        "attr.person_name",
        S::FieldAttr,
        lang::PERSON_NAME,
        F(C::Username),
        -4,
    ),
    r(
        "text.person_name",
        S::FieldText,
        lang::PERSON_NAME,
        F(C::Username),
        -4,
    ),
    r("attr.own", S::FieldAttr, lang::OWN, F(C::Own), 3), // `senderEmail`
    r("text.own", S::FieldText, lang::OWN, F(C::Own), 3), // "Your email"
    r("attr.search", S::FieldAttr, lang::SEARCH, F(C::Search), 3),
    r("text.search", S::FieldText, lang::SEARCH, F(C::Search), 3),
    r(
        "attr.search_name",
        S::FieldAttr,
        lang::SEARCH_NAMES,
        F(C::Search),
        3,
    ), // name=q / s / wd
    r(
        "attr.address",
        S::FieldAttr,
        lang::ADDRESS,
        F(C::Address),
        3,
    ),
    r(
        "text.address",
        S::FieldText,
        lang::ADDRESS,
        F(C::Address),
        3,
    ),
    r(
        "attr.message",
        S::FieldAttr,
        lang::MESSAGE,
        F(C::Message),
        2,
    ),
    r(
        "text.message",
        S::FieldText,
        lang::MESSAGE,
        F(C::Message),
        2,
    ),
];

/// Facts about a field's markup that are not keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFact {
    /// `type=email`.
    TypeEmail,
    /// `autocomplete` contains the `email` token (WHATWG HTML "autofill detail tokens").
    AutocompleteEmail,
    /// `autocomplete` contains `username`.
    AutocompleteUsername,
    /// `inputmode=email`.
    InputModeEmail,
    /// `type=search` or `inputmode=search`.
    TypeSearch,
    /// A `textarea`.
    Textarea,
    /// The placeholder shows an address (`you@example.com`); a leading `@` is a handle.
    PlaceholderAt,
    /// The text just before the field is a lone `@`: the domain half of a split address.
    LabelAt,
}

/// One field-fact rule.
#[derive(Debug, Clone, Copy)]
pub struct FactRule {
    /// Stable id.
    pub id: &'static str,
    /// The fact.
    pub fact: FieldFact,
    /// The cue it adds to.
    pub cue: Cue,
    /// By how much.
    pub weight: i32,
}

/// Markup facts of a field.
pub static FIELD_FACTS: &[FactRule] = &[
    // The page says so itself: the strongest e-mail cue there is.
    FactRule {
        id: "type.email",
        fact: FieldFact::TypeEmail,
        cue: C::Email,
        weight: 6,
    },
    // Same strength: autocomplete=email is set for password managers.
    FactRule {
        id: "ac.email",
        fact: FieldFact::AutocompleteEmail,
        cue: C::Email,
        weight: 6,
    },
    // Mobile keyboards with "@": set on type=text e-mail fields by careful sites.
    FactRule {
        id: "inputmode.email",
        fact: FieldFact::InputModeEmail,
        cue: C::Email,
        weight: 3,
    },
    // autocomplete=username is also set on e-mail login fields, so it is not "not e-mail".
    FactRule {
        id: "ac.username",
        fact: FieldFact::AutocompleteUsername,
        cue: C::Username,
        weight: 4,
    },
    FactRule {
        id: "type.search",
        fact: FieldFact::TypeSearch,
        cue: C::Search,
        weight: 6,
    },
    // Contact forms ask for a message; other forms rarely have a textarea.
    FactRule {
        id: "tag.textarea",
        fact: FieldFact::Textarea,
        cue: C::Message,
        weight: 3,
    },
    // Placeholder-only e-mail fields show an example address.
    FactRule {
        id: "placeholder.at",
        fact: FieldFact::PlaceholderAt,
        cue: C::Email,
        weight: 4,
    },
    // `email1` "@" `email2` (Korean and Japanese signups): the box after the "@" holds the
    // domain, not an address or its confirmation, whatever its name says.
    FactRule {
        id: "label.at",
        fact: FieldFact::LabelAt,
        cue: C::Email,
        weight: -6,
    },
];

/// Facts about a whole form (computed from its record and its fields' cues).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFact {
    /// A password field with `autocomplete=new-password` and none with `current-password`.
    NewPassword,
    /// `current-password` and no `new-password`.
    CurrentPassword,
    /// Both `current-password` and `new-password`.
    CurrentAndNewPassword,
    /// Two password fields without autocomplete hints (password + confirm).
    TwoPasswords,
    /// Three or more password fields (old, new, repeat).
    ThreePasswords,
    /// One password field without hints.
    OnePassword,
    /// No password, and an e-mail field is the only text field (footer newsletter,
    /// first step of a login or signup).
    LoneEmail,
    /// A confirm-email field.
    ConfirmEmail,
    /// Both a user name and an e-mail field, plus a password.
    UsernameEmailPassword,
    /// Two or more postal/payment fields.
    AddressFields,
    /// A free-text message field.
    MessageField,
    /// Only a search field.
    OnlySearch,
    /// Four or more text fields and no password: not a login, rarely a newsletter.
    ManyFieldsNoPassword,
    /// A password plus three or more other text fields (names, e-mail, birthday): logins
    /// ask for one identifier only.
    ManyFieldsWithPassword,
    /// Every e-mail field asks for someone else's address.
    OnlyOtherPersonEmail,
    /// No e-mail and no user-name field at all.
    NoIdentityField,
    /// [`FormFact::LoneEmail`] on a page whose title or path says "log in", in a form whose
    /// own heading and button say nothing and that has no newsletter cue: the first step of
    /// an e-mail-first login, not a newsletter box.
    /// Not when another form of the page is a login form with its own password field: the
    /// login is that form, and the lone box is a footer newsletter or the like.
    LoneEmailLoginPage,
    /// [`FormFact::LoneEmail`] on a page whose title or path says "sign up", in a form that
    /// does not speak for itself (as above): the first step of an e-mail-first signup.
    LoneEmailSignupPage,
    /// No password, one own e-mail field and a phone field (`type=tel`): an enrolment or lead
    /// form (open an account, book a trial), where the person gives this site an address.
    EmailAndPhoneNoPassword,
    /// No password, one e-mail field marked as such in its markup (`type=email` or
    /// `autocomplete=email`) that is the person's own, beside other fields (a name, a company),
    /// and no message, address, user-name or search field: the person gives this site an address
    /// (a signup's first step, a waitlist, a trial), whatever the button says. Not on a page
    /// whose title or path says "log in" (and not "sign up") when the form's heading and button
    /// say nothing: there it may be a login's single-sign-on step (work e-mail, company).
    OwnEmailNoPassword,
    /// [`FormFact::LoneEmail`] whose field carries `autocomplete=username`: the page marks it
    /// as the identifier of an account for password managers, which no newsletter box does.
    LoneEmailUsernameHint,
}

/// One form-fact rule.
#[derive(Debug, Clone, Copy)]
pub struct FormFactRule {
    /// Stable id.
    pub id: &'static str,
    /// The fact.
    pub fact: FormFact,
    /// The form type it pushes.
    pub form_type: FormType,
    /// By how much (may be negative).
    pub weight: i32,
}

const fn ff(id: &'static str, fact: FormFact, form_type: FormType, weight: i32) -> FormFactRule {
    FormFactRule {
        id,
        fact,
        form_type,
        weight,
    }
}

/// Structural rules for forms.
pub static FORM_FACTS: &[FormFactRule] = &[
    // Password managers key on these hints; sites that set them set them right.
    ff("pw.new", FormFact::NewPassword, Ft::Signup, 6),
    ff("pw.current", FormFact::CurrentPassword, Ft::Login, 6),
    ff(
        "pw.current_and_new",
        FormFact::CurrentAndNewPassword,
        Ft::PasswordChange,
        10,
    ),
    // Password + repeat: signup far more often than a change form (which usually has 3).
    ff("pw.two", FormFact::TwoPasswords, Ft::Signup, 3),
    ff("pw.three", FormFact::ThreePasswords, Ft::PasswordChange, 7),
    // A single password and nothing else telling: most likely a login.
    ff("pw.one", FormFact::OnePassword, Ft::Login, 3),
    // E-mail alone with a button: newsletter footers are the most common such form; a
    // login or signup first step says so in its heading or button, which outweighs this.
    ff("lone_email", FormFact::LoneEmail, Ft::Newsletter, 3),
    // "Sign up" beside a lone e-mail box is usually a newsletter; a real first signup step
    // says "create account" in its heading as well.
    ff("lone_email.not_signup", FormFact::LoneEmail, Ft::Signup, -1),
    // Nobody confirms an e-mail address they log in with.
    ff("confirm_email", FormFact::ConfirmEmail, Ft::Signup, 4),
    ff(
        "confirm_email.not_login",
        FormFact::ConfirmEmail,
        Ft::Login,
        -4,
    ),
    // Logins ask for one identifier; signups ask for a user name AND an e-mail.
    ff(
        "username_email_password",
        FormFact::UsernameEmailPassword,
        Ft::Signup,
        3,
    ),
    ff("address", FormFact::AddressFields, Ft::GuestCheckout, 4),
    ff(
        "address.not_signup",
        FormFact::AddressFields,
        Ft::Signup,
        -1,
    ),
    ff("message", FormFact::MessageField, Ft::Contact, 4),
    ff(
        "message.not_newsletter",
        FormFact::MessageField,
        Ft::Newsletter,
        -3,
    ),
    ff("only_search", FormFact::OnlySearch, Ft::Other, 8),
    ff(
        "many_fields.not_login",
        FormFact::ManyFieldsNoPassword,
        Ft::Login,
        -4,
    ),
    ff(
        "many_fields.not_newsletter",
        FormFact::ManyFieldsNoPassword,
        Ft::Newsletter,
        -2,
    ),
    ff(
        "many_fields_pw",
        FormFact::ManyFieldsWithPassword,
        Ft::Signup,
        3,
    ),
    ff(
        "many_fields_pw.not_login",
        FormFact::ManyFieldsWithPassword,
        Ft::Login,
        -3,
    ),
    // Invite / gift / referral forms: the only address asked for is someone else's.
    ff(
        "only_other_person",
        FormFact::OnlyOtherPersonEmail,
        Ft::Other,
        5,
    ),
    ff("no_identity", FormFact::NoIdentityField, Ft::Other, 2),
    // The page around a lone e-mail box tells its purpose: on /login or "Sign in - Site" it
    // is the e-mail-first step of the login (outweighs `lone_email`, not a "Subscribe" button
    // or newsletter heading of a footer box on the same page).
    ff(
        "lone_email.login_page",
        FormFact::LoneEmailLoginPage,
        Ft::Login,
        3,
    ),
    ff(
        "lone_email.login_page.not_newsletter",
        FormFact::LoneEmailLoginPage,
        Ft::Newsletter,
        -2,
    ),
    ff(
        "lone_email.signup_page",
        FormFact::LoneEmailSignupPage,
        Ft::Signup,
        3,
    ),
    ff(
        "lone_email.signup_page.not_newsletter",
        FormFact::LoneEmailSignupPage,
        Ft::Newsletter,
        -2,
    ),
    // E-mail plus phone and no password: the person enrols (bank account, trial lesson,
    // "become a customer"); a message field (contact) or address fields (checkout) outweigh it.
    ff(
        "email_phone",
        FormFact::EmailAndPhoneNoPassword,
        Ft::Signup,
        3,
    ),
    // A marked own e-mail with a name or two and no password: an enrolment unless the words
    // say otherwise (a login, reset, contact or checkout button or heading outweighs it).
    // An e-mail-first login step with no word on it ("Welcome", "Continue") still tells
    // password managers it is an account's identifier: not a newsletter box. Small enough
    // that a signup heading or button still wins.
    ff(
        "lone_email.username_hint",
        FormFact::LoneEmailUsernameHint,
        Ft::Login,
        2,
    ),
    ff(
        "lone_email.username_hint.not_newsletter",
        FormFact::LoneEmailUsernameHint,
        Ft::Newsletter,
        -3,
    ),
    ff(
        "own_email_no_password",
        FormFact::OwnEmailNoPassword,
        Ft::Signup,
        3,
    ),
];

/// Page title or path words that make a page a login page, for
/// [`FormFact::LoneEmailLoginPage`] (the same words as the `title.login` / `path.login` rules).
pub static LOGIN_PAGE_WORDS: Words = lang::LOGIN;

/// Page title or path words that make a page a signup page, for
/// [`FormFact::LoneEmailSignupPage`].
pub static SIGNUP_PAGE_WORDS: Words = lang::SIGNUP;

/// Page title or path words that make a page a newsletter page: the page facts above do not
/// apply there.
pub static NEWSLETTER_PAGE_WORDS: Words = lang::NEWSLETTER;

/// A form type needs at least this total to win; below it the form is [`FormType::Other`].
pub const FORM_MIN_SCORE: i32 = 3;

/// The margin between the best and the second-best form type at which the form's
/// confidence reaches 1.0.
pub const FORM_FULL_MARGIN: i32 = 8;

/// A field with an e-mail cue total of at least this is treated as an e-mail field.
pub const EMAIL_MIN_SCORE: i32 = 3;

/// The e-mail cue total at which a field's own confidence reaches 1.0.
pub const EMAIL_FULL_SCORE: i32 = 6;

/// Any other cue counts once it reaches this total.
pub const CUE_MIN_SCORE: i32 = 3;

/// Tie-break order between form types with equal scores: the types that show no alias
/// button come first, because a button on a login form is worse than none on a signup
/// form (the user can still use the context menu; user-requests note, items 3 and 14).
pub static TIE_ORDER: &[FormType] = &[
    Ft::Login,
    Ft::PasswordChange,
    Ft::Contact,
    Ft::Other,
    Ft::Signup,
    Ft::Newsletter,
    Ft::GuestCheckout,
];

/// Input types that can hold an e-mail address or a user name.
pub static TEXT_LIKE_TYPES: &[&str] = &["text", "email", ""];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.extend(FIELD_FACTS.iter().map(|r| r.id));
        ids.extend(FORM_FACTS.iter().map(|r| r.id));
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn field_cue_rules_only_read_field_sources() {
        for rule in RULES {
            if let Effect::Field(_) = rule.effect {
                assert!(
                    matches!(
                        rule.source,
                        Source::FieldAttr | Source::FieldText | Source::FieldNearby
                    ),
                    "{}",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn every_keyword_is_already_normalised() {
        let lists: &[Words] = &[
            lang::SIGNUP,
            lang::LOGIN,
            lang::NEWSLETTER,
            lang::UNSUBSCRIBE,
            lang::PASSWORD_RESET,
            lang::CONTACT,
            lang::CHECKOUT,
            lang::OTHER_PERSON,
            lang::OWN,
            lang::CONFIRM,
            lang::EMAIL,
            lang::USERNAME,
            lang::SEARCH,
            lang::SEARCH_NAMES,
            lang::ADDRESS,
            lang::MESSAGE,
            lang::TERMS,
            lang::REMEMBER,
            lang::HAVE_ACCOUNT,
            lang::NO_ACCOUNT,
            lang::EMAIL_OR_IDENTIFIER,
            lang::GUARDIAN,
            lang::EMAIL_DOMAIN,
            lang::PETITION,
            lang::DONATE,
            lang::PERSON_NAME,
        ];
        for list in lists {
            for kw in list.iter() {
                let bare = kw.trim_end_matches('*');
                let n = super::super::text::normalize(bare);
                assert_eq!(n.trim(), bare, "keyword {kw:?} is not in normal form");
            }
        }
    }
}
