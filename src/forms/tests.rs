//! Unit tests for the rule groups, on hand-built records.

use super::*;

fn field(index: u32, form_index: i32, ty: &str) -> FieldFeatures {
    FieldFeatures {
        index,
        form_index,
        tag: "input".into(),
        input_type: ty.into(),
        max_length: -1,
        ..Default::default()
    }
}

fn form(index: u32, submit: &str) -> FormFeatures {
    FormFeatures {
        index,
        is_form: true,
        buttons: vec![submit.into()],
        ..Default::default()
    }
}

fn run(fields: Vec<FieldFeatures>, forms: Vec<FormFeatures>) -> Classification {
    classify_batch(&Batch {
        fields,
        forms,
        page: PageInfo::default(),
    })
    .unwrap()
}

fn email(index: u32, form_index: i32, label: &str) -> FieldFeatures {
    FieldFeatures {
        label: label.into(),
        ..field(index, form_index, "email")
    }
}

fn pw(index: u32, form_index: i32) -> FieldFeatures {
    field(index, form_index, "password")
}

fn form_pw(index: u32, submit: &str, acs: &[&str]) -> FormFeatures {
    FormFeatures {
        password_count: acs.len() as u32,
        password_autocompletes: acs.iter().map(|s| s.to_string()).collect(),
        ..form(index, submit)
    }
}

#[test]
fn submit_button_keywords_decide_the_form_in_each_language() {
    let cases = [
        ("Create account", FormType::Signup),
        ("Registrieren", FormType::Signup),
        ("S'inscrire", FormType::Signup),
        ("Zarejestruj się", FormType::Signup),
        ("Зарегистрироваться", FormType::Signup),
        ("会員登録", FormType::Signup),
        ("회원가입", FormType::Signup),
        ("Subscribe", FormType::Newsletter),
        ("Abonnieren", FormType::Newsletter),
        ("Suscribirme", FormType::Newsletter),
        ("订阅", FormType::Newsletter),
        ("Abone ol", FormType::Newsletter),
    ];
    for (submit, want) in cases {
        let c = run(vec![email(0, 0, "Email")], vec![form(0, submit)]);
        assert_eq!(
            c.forms[0].form_type, want,
            "{submit}: {:?}",
            c.forms[0].rules
        );
        assert!(c.fields[0].button, "{submit}");
    }
}

#[test]
fn login_keywords_never_get_a_button() {
    for submit in [
        "Sign in",
        "Anmelden",
        "Se connecter",
        "Iniciar sesión",
        "Accedi",
        "Entrar",
        "Inloggen",
        "Zaloguj",
        "Войти",
        "Giriş yap",
        "ログイン",
        "登录",
        "로그인",
    ] {
        let c = run(
            vec![email(0, 0, "Email"), pw(1, 0)],
            vec![form_pw(0, submit, &[""])],
        );
        assert_eq!(c.forms[0].form_type, FormType::Login, "{submit}");
        assert_eq!(c.fields[0].field_type, FieldType::EmailLogin, "{submit}");
        assert!(
            !c.fields[0].button && c.fields[0].offer_existing,
            "{submit}"
        );
    }
}

#[test]
fn password_autocomplete_hints() {
    let signup = run(
        vec![email(0, 0, "Email"), pw(1, 0)],
        vec![form_pw(0, "Continue", &["new-password"])],
    );
    assert_eq!(signup.forms[0].form_type, FormType::Signup);
    let login = run(
        vec![email(0, 0, "Email"), pw(1, 0)],
        vec![form_pw(0, "Continue", &["current-password"])],
    );
    assert_eq!(login.forms[0].form_type, FormType::Login);
    let change = run(
        vec![pw(0, 0), pw(1, 0), pw(2, 0)],
        vec![form_pw(
            0,
            "Save",
            &["current-password", "new-password", "new-password"],
        )],
    );
    assert_eq!(change.forms[0].form_type, FormType::PasswordChange);
}

#[test]
fn unsubscribe_is_not_a_newsletter_signup() {
    let c = run(vec![email(0, 0, "Email")], vec![form(0, "Unsubscribe")]);
    assert_eq!(c.forms[0].form_type, FormType::Other);
    assert!(!c.fields[0].button);
}

#[test]
fn confirm_email_by_keyword_or_by_position_in_a_signup() {
    let labelled = run(
        vec![email(0, 0, "Email"), email(1, 0, "Confirm email"), pw(2, 0)],
        vec![form_pw(0, "Sign up", &[""])],
    );
    assert_eq!(labelled.fields[1].field_type, FieldType::EmailConfirm);
    assert_eq!(labelled.fields[0].fills, vec![0, 1]);
    // An unlabelled second address (`name=email2`, placeholder "Email") in a signup.
    let mut second = email(1, 0, "");
    second.name = "email2".into();
    let c = run(
        vec![email(0, 0, "Email"), second, pw(2, 0)],
        vec![form_pw(0, "Create account", &[""])],
    );
    assert_eq!(c.fields[1].field_type, FieldType::EmailConfirm);
    assert!(!c.fields[1].button);
}

#[test]
fn someone_elses_address_and_own_address() {
    let c = run(
        vec![email(0, 0, "Recipient email"), email(1, 0, "Your email")],
        vec![FormFeatures {
            heading: "Send a gift card".into(),
            ..form(0, "Add to cart")
        }],
    );
    assert_eq!(c.fields[0].field_type, FieldType::EmailOtherPerson);
    assert_ne!(c.fields[1].field_type, FieldType::EmailOtherPerson);
    assert!(!c.fields[0].button);
}

#[test]
fn search_boxes_win_over_search_mail() {
    let mut f = field(0, -1, "text");
    f.name = "q".into();
    f.placeholder = "Search mail".into();
    let c = run(vec![f], vec![]);
    assert_eq!(c.fields[0].field_type, FieldType::Search);
    let mut s = field(0, 0, "text");
    s.name = "s".into();
    let c = run(vec![s], vec![form(0, "Go")]);
    assert_eq!(c.fields[0].field_type, FieldType::Search);
    assert_eq!(c.forms[0].form_type, FormType::Other);
}

#[test]
fn placeholder_address_marks_a_type_text_email() {
    let mut f = field(0, 0, "text");
    f.placeholder = "you@company.com".into();
    let c = run(
        vec![f, pw(1, 0)],
        vec![form_pw(0, "Create account", &["new-password"])],
    );
    assert_eq!(c.fields[0].field_type, FieldType::EmailNewAccount);
    let mut handle = field(0, 0, "text");
    handle.placeholder = "@handle".into();
    let c = run(vec![handle], vec![form(0, "Create account")]);
    assert_eq!(c.fields[0].field_type, FieldType::Username);
    assert!(!c.fields[0].button);
}

#[test]
fn lone_email_without_cues_is_a_newsletter_but_a_heading_overrides() {
    let c = run(vec![email(0, 0, "Email")], vec![form(0, "Go")]);
    assert_eq!(c.forms[0].form_type, FormType::Newsletter);
    let c = run(
        vec![email(0, 0, "Email")],
        vec![FormFeatures {
            heading: "Sign in".into(),
            ..form(0, "Next")
        }],
    );
    assert_eq!(c.forms[0].form_type, FormType::Login);
    let c = run(
        vec![email(0, 0, "Email")],
        vec![FormFeatures {
            heading: "Create your account".into(),
            ..form(0, "Continue")
        }],
    );
    assert_eq!(c.forms[0].form_type, FormType::Signup);
}

#[test]
fn checkboxes_and_links() {
    let c = run(
        vec![email(0, 0, "Email"), pw(1, 0)],
        vec![FormFeatures {
            checkboxes: vec!["Remember me".into()],
            links: vec!["Forgot password?".into()],
            ..form_pw(0, "Continue", &[""])
        }],
    );
    assert_eq!(c.forms[0].form_type, FormType::Login);
    let c = run(
        vec![email(0, 0, "Email"), pw(1, 0)],
        vec![FormFeatures {
            checkboxes: vec!["I agree to the terms".into()],
            links: vec!["Already have an account? Log in".into()],
            ..form_pw(0, "Continue", &[""])
        }],
    );
    assert_eq!(c.forms[0].form_type, FormType::Signup);
}

#[test]
fn contact_and_checkout_structure() {
    let mut msg = field(1, 0, "");
    msg.tag = "textarea".into();
    let c = run(vec![email(0, 0, "Email"), msg], vec![form(0, "Send")]);
    assert_eq!(c.forms[0].form_type, FormType::Contact);
    assert!(!c.fields[0].button);
    let addr = |i: u32, l: &str| FieldFeatures {
        label: l.into(),
        ..field(i, 0, "text")
    };
    let c = run(
        vec![
            email(0, 0, "Email"),
            addr(1, "Street address"),
            addr(2, "City"),
            addr(3, "ZIP"),
        ],
        vec![form(0, "Continue")],
    );
    assert_eq!(c.forms[0].form_type, FormType::GuestCheckout);
    assert!(c.fields[0].button);
}

#[test]
fn ties_prefer_no_button() {
    // "Sign in" and "Sign up" as equally strong cues: the login reading wins.
    let c = run(
        vec![email(0, 0, "Email")],
        vec![FormFeatures {
            heading: "Sign up".into(),
            ..form(0, "Sign in")
        }],
    );
    assert_eq!(c.forms[0].form_type, FormType::Login);
}

#[test]
fn formless_fields_are_classified_alone() {
    let mut f = email(0, -1, "Email");
    f.name = "newsletter_email".into();
    let c = run(vec![f], vec![]);
    assert_eq!(c.fields[0].field_type, FieldType::EmailNewsletter);
    assert_eq!(c.fields[0].fills, vec![0]);
}

#[test]
fn non_text_inputs_are_never_email_fields() {
    let mut f = field(0, 0, "tel");
    f.label = "Email or phone".into();
    let c = run(vec![f], vec![form(0, "Sign up")]);
    assert_eq!(c.fields[0].field_type, FieldType::Other);
    assert!(!c.fields[0].button);
}

fn run_on_page(
    fields: Vec<FieldFeatures>,
    forms: Vec<FormFeatures>,
    title: &str,
    path: &str,
) -> Classification {
    classify_batch(&Batch {
        fields,
        forms,
        page: PageInfo {
            url_path: path.into(),
            title: title.into(),
        },
    })
    .unwrap()
}

#[test]
fn lone_email_step_on_a_login_page_is_a_login() {
    // `lone_email.login_page`: "Continue" says nothing; the page says "sign in".
    let step = || vec![email(0, 0, "Email")];
    let c = run_on_page(
        step(),
        vec![form(0, "Continue")],
        "Entrar - Site",
        "/account",
    );
    assert_eq!(
        c.forms[0].form_type,
        FormType::Login,
        "{:?}",
        c.forms[0].rules
    );
    assert!(!c.fields[0].button);
    assert!(c.fields[0].offer_existing);
    let c = run_on_page(step(), vec![form(0, "Continue")], "Site", "/login/new");
    assert_eq!(c.forms[0].form_type, FormType::Login);
    // Without the page's word it stays the newsletter box it looks like.
    let c = run_on_page(step(), vec![form(0, "Continue")], "Site", "/");
    assert_eq!(c.forms[0].form_type, FormType::Newsletter);
}

#[test]
fn footer_newsletter_box_on_a_login_page_stays_a_newsletter() {
    // The box's own words ("Newsletter" heading, any newsletter cue) outweigh the page.
    let f = FormFeatures {
        heading: "Unser Newsletter".into(),
        ..form(0, "Anmelden")
    };
    let c = run_on_page(
        vec![email(0, 0, "E-Mail")],
        vec![f],
        "Anmelden | Shop",
        "/konto",
    );
    assert_eq!(
        c.forms[0].form_type,
        FormType::Newsletter,
        "{:?}",
        c.forms[0].rules
    );
    assert!(c.fields[0].button);
    let c = run_on_page(
        vec![email(0, 0, "Email")],
        vec![form(0, "Sign up")],
        "Sign in | Tickets",
        "/signin",
    );
    assert!(c.fields[0].button, "{:?}", c.forms[0].rules);
}

#[test]
fn lone_email_step_on_a_signup_page_is_a_signup() {
    // `lone_email.signup_page`: the e-mail-first step of a signup, even with a neutral button.
    let c = run_on_page(
        vec![email(0, 0, "Email")],
        vec![form(0, "Continue")],
        "Reddit - Sign up",
        "/account/register",
    );
    assert_eq!(
        c.forms[0].form_type,
        FormType::Signup,
        "{:?}",
        c.forms[0].rules
    );
    assert_eq!(c.fields[0].field_type, FieldType::EmailNewAccount);
    assert!(c.fields[0].button);
}

#[test]
fn email_or_phone_box_is_a_login_identifier() {
    // `field_text.email_or_identifier`, in three languages, with no page cue at all.
    for label in [
        "Enter phone number or email",
        "E-posta veya telefon numarası",
        "手机号或邮箱",
    ] {
        let f = FieldFeatures {
            placeholder: label.into(),
            autocomplete: "email".into(),
            ..field(0, 0, "text")
        };
        let c = run(vec![f], vec![form(0, "Continue")]);
        assert_eq!(
            c.forms[0].form_type,
            FormType::Login,
            "{label}: {:?}",
            c.forms[0].rules
        );
        assert!(!c.fields[0].button, "{label}");
    }
}

#[test]
fn email_and_phone_without_password_is_an_enrolment() {
    // `email_phone`: "Hazte cliente" / "Apri il conto" lead forms with a neutral button.
    let fields = || {
        vec![
            email(0, 0, "Email"),
            FieldFeatures {
                label: "Móvil".into(),
                ..field(1, 0, "tel")
            },
        ]
    };
    let c = run(fields(), vec![form(0, "Empezar")]);
    assert_eq!(
        c.forms[0].form_type,
        FormType::Signup,
        "{:?}",
        c.forms[0].rules
    );
    assert!(c.fields[0].button);
    // A message field makes it a contact form (no button).
    let mut with_message = fields();
    with_message.push(FieldFeatures {
        tag: "textarea".into(),
        label: "Message".into(),
        ..field(2, 0, "")
    });
    let c = run(with_message, vec![form(0, "Send")]);
    assert_eq!(
        c.forms[0].form_type,
        FormType::Contact,
        "{:?}",
        c.forms[0].rules
    );
    assert!(!c.fields[0].button);
}

#[test]
fn become_a_customer_headings_in_several_languages_are_signups() {
    for heading in [
        "Hazte cliente en unos minutos",
        "Apri il conto online",
        "Jetzt Kunde werden",
    ] {
        let f = FormFeatures {
            heading: heading.into(),
            ..form(0, "Weiter")
        };
        let c = run(vec![email(0, 0, "Email")], vec![f]);
        assert_eq!(
            c.forms[0].form_type,
            FormType::Signup,
            "{heading}: {:?}",
            c.forms[0].rules
        );
    }
}

#[test]
fn forgotten_password_headings_are_reset_forms_not_newsletters() {
    // "¿Has olvidado tu contraseña?" with a lone e-mail and "Enviar" was a newsletter box.
    for heading in ["¿Has olvidado tu contraseña?", "Code confidentiel oublié ?"] {
        let f = FormFeatures {
            heading: heading.into(),
            ..form(0, "Enviar")
        };
        let c = run(vec![email(0, 0, "Email")], vec![f]);
        assert_eq!(
            c.forms[0].form_type,
            FormType::PasswordChange,
            "{heading}: {:?}",
            c.forms[0].rules
        );
        assert!(!c.fields[0].button, "{heading}");
    }
}

#[test]
fn a_wordless_box_beside_a_login_form_is_not_the_login_step() {
    // Costco-like: "Go" under "Get Email Offers", on a page titled "Sign In" that has its own
    // login form (one password): the box is a newsletter, not the login's e-mail-first step.
    let fields = vec![
        email(0, 0, "Email Address"),
        pw(1, 0),
        email(2, 1, "Enter your email"),
    ];
    let forms = vec![form_pw(0, "Sign In", &["current-password"]), form(1, "Go")];
    let c = run_on_page(fields, forms, "Sign In | Shop", "/LogonForm");
    assert_eq!(c.forms[0].form_type, FormType::Login);
    assert_eq!(
        c.forms[1].form_type,
        FormType::Newsletter,
        "{:?}",
        c.forms[1].rules
    );
    assert!(!c.fields[0].button);
    assert!(c.fields[2].button);
    // Alone on the page, the same box is still the login's first step.
    let c = run_on_page(
        vec![email(0, 0, "Email")],
        vec![form(0, "Go")],
        "Sign In | Shop",
        "/LogonForm",
    );
    assert_eq!(c.forms[0].form_type, FormType::Login);
}

#[test]
fn petitions_are_newsletters_and_donations_are_checkouts() {
    let name = |i: u32| FieldFeatures {
        label: "First name".into(),
        ..field(i, 0, "text")
    };
    for (submit, want) in [
        ("Sign this petition", FormType::Newsletter),
        ("Jetzt unterschreiben", FormType::Newsletter),
        ("Donate now", FormType::GuestCheckout),
        ("Jetzt spenden", FormType::GuestCheckout),
        ("Faire un don", FormType::GuestCheckout),
    ] {
        let c = run(vec![name(0), email(1, 0, "Email")], vec![form(0, submit)]);
        assert_eq!(
            c.forms[0].form_type, want,
            "{submit}: {:?}",
            c.forms[0].rules
        );
        assert!(c.fields[1].button, "{submit}");
    }
}

#[test]
fn person_names_are_not_user_names() {
    for (name, label) in [
        ("new_user_first_name", "First name"),
        ("usernamereg-lastName", "Last name"),
        ("user[display_name]", "Display name"),
    ] {
        let f = FieldFeatures {
            name: name.into(),
            label: label.into(),
            ..field(0, 0, "text")
        };
        let c = run(
            vec![f, email(1, 0, "Email"), pw(2, 0)],
            vec![form_pw(0, "Sign up", &[""])],
        );
        assert_eq!(c.fields[0].field_type, FieldType::Other, "{name}");
    }
    // A user name stays one.
    let f = FieldFeatures {
        name: "user[login]".into(),
        label: "Username".into(),
        ..field(0, 0, "text")
    };
    let c = run(vec![f, pw(1, 0)], vec![form_pw(0, "Sign in", &[""])]);
    assert_eq!(c.fields[0].field_type, FieldType::Username);
}

#[test]
fn a_marked_own_email_with_a_name_and_no_password_is_offered() {
    // `own_email_no_password`: name + type=email + neutral button.
    let name = FieldFeatures {
        label: "Name".into(),
        ..field(0, 0, "text")
    };
    let c = run(
        vec![name.clone(), email(1, 0, "Email")],
        vec![form(0, "Next")],
    );
    assert_eq!(
        c.forms[0].form_type,
        FormType::Signup,
        "{:?}",
        c.forms[0].rules
    );
    assert!(c.fields[1].button);
    // Not when the words say login, nor for someone else's address, nor with a message.
    let c = run(
        vec![name.clone(), email(1, 0, "Email")],
        vec![form(0, "Sign in")],
    );
    assert!(!c.fields[1].button);
    let c = run(
        vec![name.clone(), email(1, 0, "Friend's email")],
        vec![form(0, "Next")],
    );
    assert!(!c.fields[1].button);
    let msg = FieldFeatures {
        tag: "textarea".into(),
        label: "Message".into(),
        ..field(2, 0, "")
    };
    let c = run(vec![name, email(1, 0, "Email"), msg], vec![form(0, "Next")]);
    assert!(!c.fields[1].button, "{:?}", c.forms[0].rules);
}

#[test]
fn have_an_account_line_outside_the_form_makes_a_signup() {
    // "Have an account? Log in" read as a link line beside a form with one unhinted password
    // and a neutral button (which alone reads as a login).
    let fields = || vec![email(0, 0, "Email"), pw(1, 0)];
    let c = run(fields(), vec![form_pw(0, "Submit", &[""])]);
    assert_eq!(c.forms[0].form_type, FormType::Login);
    let f = FormFeatures {
        links: vec!["Have an account? Log in".into()],
        ..form_pw(0, "Submit", &[""])
    };
    let c = run(fields(), vec![f]);
    assert_eq!(
        c.forms[0].form_type,
        FormType::Signup,
        "{:?}",
        c.forms[0].rules
    );
    assert!(c.fields[0].button);
    // "Don't have an account? Sign up" beside a login stays a login.
    let f = FormFeatures {
        links: vec!["Don't have an account? Sign up".into()],
        ..form_pw(0, "Submit", &[""])
    };
    let c = run(fields(), vec![f]);
    assert_eq!(c.forms[0].form_type, FormType::Login);
}

#[test]
fn a_wordless_name_and_email_form_on_a_login_page_is_not_offered() {
    let fields = || {
        vec![
            FieldFeatures {
                label: "Company".into(),
                ..field(0, 0, "text")
            },
            email(1, 0, "Work email"),
        ]
    };
    let c = run_on_page(
        fields(),
        vec![form(0, "Continue")],
        "Sign in | Acme",
        "/sso",
    );
    assert!(!c.fields[1].button, "{:?}", c.forms[0].rules);
    let c = run_on_page(fields(), vec![form(0, "Continue")], "Acme", "/start");
    assert!(c.fields[1].button, "{:?}", c.forms[0].rules);
}

#[test]
fn a_lone_email_marked_as_a_username_is_not_a_newsletter() {
    let f = FieldFeatures {
        autocomplete: "username".into(),
        ..email(0, 0, "Email")
    };
    let c = run(vec![f.clone()], vec![form(0, "Continue")]);
    assert!(!c.fields[0].button, "{:?}", c.forms[0].rules);
    // A signup heading still wins.
    let signup = FormFeatures {
        heading: "Create your account".into(),
        ..form(0, "Continue")
    };
    let c = run(vec![f], vec![signup]);
    assert_eq!(
        c.forms[0].form_type,
        FormType::Signup,
        "{:?}",
        c.forms[0].rules
    );
    assert!(c.fields[0].button);
}

#[test]
fn the_box_after_a_lone_at_sign_is_the_domain_half_of_a_split_address() {
    // `email1` "@" `email2` in a signup: the first box is the address, the second its domain
    // (before `label.at`, the second read as a confirmation and was filled with the alias).
    let mut local = field(0, 0, "text");
    local.name = "email1".into();
    local.placeholder = "이메일".into();
    let mut domain = field(1, 0, "text");
    domain.name = "email2".into();
    domain.label = "@".into();
    let c = run(
        vec![local, domain, pw(2, 0)],
        vec![form_pw(0, "가입하기", &[""])],
    );
    assert_eq!(c.fields[0].field_type, FieldType::EmailNewAccount);
    assert_eq!(c.fields[0].fills, vec![0]);
    assert_eq!(c.fields[1].field_type, FieldType::Other);
}

#[test]
fn a_newsletter_heading_outweighs_its_sign_up_verb() {
    // "Iscriviti alla newsletter" over a box with an "Iscriviti" button: the newsletter.
    let c = run(
        vec![email(0, 0, "Email")],
        vec![FormFeatures {
            heading: "Iscriviti alla newsletter".into(),
            ..form(0, "Iscriviti")
        }],
    );
    assert_eq!(c.forms[0].form_type, FormType::Newsletter);
    // A field whose own text names the newsletter is not a log-in, though Dutch "Aanmelden"
    // is also "log in", even in the footer of a login page.
    let c = run_on_page(
        vec![email(0, 0, "Aanmelden voor de nieuwsbrief")],
        vec![form(0, "Aanmelden")],
        "Inloggen | Winkel",
        "/account/login",
    );
    assert_eq!(c.forms[0].form_type, FormType::Newsletter);
    assert!(c.fields[0].button);
}
