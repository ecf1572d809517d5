//! Keyword lists per intent, in the 13 languages we support: English, German, French,
//! Spanish, Italian, Portuguese, Dutch, Polish, Russian, Turkish, Japanese, Chinese, Korean.
//!
//! Every keyword is written in the form the normaliser produces (see [`super::normalize`]):
//! lowercase, Latin diacritics stripped (`ü`→`u`, `ł`→`l`, `ı`→`i`, `ß`→`ss`), Cyrillic `ё`→`е`,
//! punctuation turned into single spaces. Matching rules (in [`super::text::matches`]):
//! - a keyword of Latin/Cyrillic words matches whole tokens; a multi-word keyword matches
//!   the same tokens in a row (`"sign up"` matches "Sign-up now" but not "design update");
//! - a trailing `*` makes the last word a prefix (`"regist*"`: register, registration,
//!   registrieren, registrarse, registrati, ...);
//! - a keyword containing CJK, kana or hangul matches as a plain substring, since those
//!   scripts do not separate words with spaces;
//! - in attribute values (`name`, `id`, `class`, form `action`) Latin keywords of five or more
//!   letters also match inside a token (`"signup"` in `signupform`), because developers glue
//!   words together there.
//!
//! Lists are kept short on purpose: a word that is common in unrelated places (e.g. "news" or
//! "alta") costs more false positives than it wins.

use crate::words;
use crate::words::Words;

/// Intent to create an account (buttons, headings, ids).
pub static SIGNUP: Words = words![
    // en
    "sign up",
    "signup",
    "sign me up",
    "regist*",
    "create account",
    "create an account",
    "create your account",
    "create my account",
    "create a free account",
    "create free account",
    "join",
    "join now",
    "join free",
    "join us",
    "get started",
    "new account",
    "open an account",
    "start free trial",
    "start your free trial",
    "try it free",
    "enroll",
    "become a member",
    "new customer",
    "create profile",
    "become a customer",
    "open your account",
    // de (registrieren is covered by regist*)
    "konto erstellen",
    "konto anlegen",
    "kundenkonto anlegen",
    "neues konto",
    "mitglied werden",
    "konto eroffnen",
    "kunde werden",
    "jetzt kunde werden",
    "jetzt starten",
    // fr
    "inscri*",
    "s inscrire",
    "creer un compte",
    "creer mon compte",
    "creer votre compte",
    "creez votre compte",
    "ouvrir un compte",
    "rejoindre",
    "devenir membre",
    "nouveau client",
    "devenir client",
    "devenez client",
    // es
    "crear cuenta",
    "crear una cuenta",
    "crear mi cuenta",
    "crea tu cuenta",
    "unete",
    "abrir cuenta",
    "hazte socio",
    "nuevo cliente",
    "hazte cliente",
    "abre tu cuenta",
    "hacerse cliente",
    // it
    "registrati",
    "crea account",
    "crea un account",
    "crea il tuo account",
    "iscriviti",
    "nuovo cliente",
    "diventa cliente",
    "apri il conto",
    "apri un conto",
    "apri conto",
    // pt
    "cadastr*",
    "criar conta",
    "criar uma conta",
    "crie sua conta",
    "crie a sua conta",
    "registar",
    "inscrever*",
    "inscreva*",
    "abra sua conta",
    "abrir conta",
    "torne se cliente",
    // nl
    "account aanmaken",
    "maak een account",
    "maak account aan",
    "word lid",
    "nieuw account",
    "word klant",
    "rekening openen",
    // pl
    "zarejestruj*",
    "rejestracj*",
    "zaloz konto",
    "utworz konto",
    "stworz konto",
    "dolacz",
    "zostan klientem",
    "zaloz rachunek",
    "otworz konto",
    // ru
    "зарегистр*",
    "регистрац*",
    "создать аккаунт",
    "создать учетную запись",
    "присоединиться",
    "стать клиентом",
    "открыть счет",
    "записаться",
    "запишитесь",
    // tr
    "kayit ol",
    "uye ol",
    "kaydol",
    "hesap olustur",
    "yeni hesap",
    "uyelik",
    "musteri ol",
    "hesap ac",
    // ja
    "新規登録",
    "会員登録",
    "アカウント作成",
    "アカウントを作成",
    "無料登録",
    "新規会員",
    // zh
    "注册",
    "註冊",
    "创建账户",
    "创建帐户",
    "建立帳戶",
    "创建账号",
    // ko
    "회원가입",
    "가입하기",
    "계정 만들기",
    "계정 생성",
];

/// One field that takes an e-mail address *or* a phone number / user name: the identifier of
/// an existing account (a login, or the e-mail-first step of one); a newsletter never takes a
/// phone number, and a signup form asks for each in a field of its own.
pub static EMAIL_OR_IDENTIFIER: Words = words![
    // en
    "email or phone",
    "email or mobile",
    "email or username",
    "email or user name",
    "email address or phone",
    "email address or mobile",
    "email address or username",
    "phone or email",
    "phone number or email",
    "mobile number or email",
    "mobile or email",
    "username or email",
    "user name or email",
    // de
    "e mail oder telefon*",
    "e mail oder handy*",
    "e mail oder benutzername",
    "telefonnummer oder e mail",
    "benutzername oder e mail",
    // fr
    "e mail ou telephone",
    "email ou telephone",
    "adresse e mail ou telephone",
    "telephone ou e mail",
    "telephone ou email",
    "e mail ou identifiant",
    "identifiant ou e mail",
    // es
    "correo o telefono",
    "correo electronico o telefono",
    "email o telefono",
    "telefono o correo",
    "usuario o correo",
    // it
    "email o telefono",
    "email o cellulare",
    "telefono o email",
    "cellulare o email",
    "nome utente o email",
    // pt
    "e mail ou telefone",
    "email ou telefone",
    "e mail ou celular",
    "email ou celular",
    "telefone ou e mail",
    "celular ou e mail",
    "cpf ou e mail",
    // nl
    "e mail of telefoon*",
    "e mailadres of telefoon*",
    "telefoonnummer of e mail",
    "gebruikersnaam of e mail",
    // pl
    "e mail lub telefon",
    "e mail lub numer telefonu",
    "telefon lub e mail",
    "login lub e mail",
    // ru
    "email или телефон",
    "e mail или телефон",
    "почта или телефон",
    "телефон или email",
    "телефон или почта",
    "логин или email",
    "логин или почта",
    // tr
    "e posta veya telefon",
    "telefon veya e posta",
    "e posta adresi veya telefon",
    "kullanici adi veya e posta",
    // ja
    "メールアドレスまたは電話番号",
    "電話番号またはメールアドレス",
    "メールアドレスまたはユーザー",
    // zh
    "邮箱或手机",
    "手机号或邮箱",
    "手机或邮箱",
    "邮箱 手机",
    "手机 邮箱",
    // ko
    "이메일 또는 전화",
    "전화번호 또는 이메일",
    "아이디 또는 이메일",
];

/// Someone in the person's care or charge (child, parent, guardian, guest): a second address
/// in a signup form that belongs to them, not a confirmation of the person's own. Field texts
/// only: "Parents, sign up here" as a heading is still a signup.
pub static GUARDIAN: Words = words![
    // en
    "parent",
    "parent s",
    "parents",
    "guardian*",
    "child",
    "child s",
    "guest s",
    // de
    "eltern*",
    "erziehungsberechtigt*",
    "kind*",
    // fr
    "tuteur*",
    "enfant*",
    // es
    "padre*",
    "madre*",
    "tutor*",
    "hijo*",
    // it
    "genitor*",
    "figli*",
    // pt
    "responsavel",
    "pais",
    "filho*",
    // nl
    "ouder*",
    "voogd*",
    // pl
    "rodzic*",
    "opiekun*",
    "dzieck*",
    // ru
    "родител*",
    "опекун*",
    "ребен*",
    // tr
    "veli*",
    "ebeveyn*",
    // ja
    "保護者",
    "親権者",
    // zh
    "家长",
    "监护人",
    "家長",
    // ko
    "보호자",
    "법정대리인",
];

/// The domain half of an address split in two boxes (`name@` `domain`), common in Korean and
/// Japanese signups: the alias goes in the first box, never here.
pub static EMAIL_DOMAIN: Words = words![
    "domain*",
    "email domain",
    "mail domain",
    "도메인",
    "ドメイン",
    "域名",
];

/// Intent to log in to an existing account.
pub static LOGIN: Words = words![
    // en
    "log in",
    "login",
    "log on",
    "logon",
    "sign in",
    "signin",
    "sign on",
    "welcome back",
    // de ("anmelden" is also used for newsletters; newsletter cues outweigh it)
    "anmelden",
    "einloggen",
    "einlogg*",
    "jetzt anmelden",
    // fr
    "connexion",
    "se connecter",
    "connectez vous",
    "identifiez vous",
    "s identifier",
    // es
    "iniciar sesion",
    "inicia sesion",
    "ingresar",
    "ingresa",
    "acceder",
    // it
    "accedi",
    "accesso",
    // pt
    "entrar",
    "iniciar sessao",
    "fazer login",
    "entre na sua conta",
    "acesse sua conta",
    "acessar",
    "aceder",
    // nl
    "inloggen",
    "log in",
    "aanmelden",
    // pl
    "zaloguj*",
    "logowanie",
    // ru
    "войти",
    "вход",
    "авторизац*",
    // tr
    "giris yap",
    "giris",
    "oturum ac",
    // ja
    "ログイン",
    "サインイン",
    // zh
    "登录",
    "登入",
    "登錄",
    // ko
    "로그인",
];

/// Intent to receive a newsletter or updates.
pub static NEWSLETTER: Words = words![
    // en
    "newsletter*",
    "subscribe",
    "mailing list",
    "stay in the loop",
    "stay updated",
    "stay informed",
    "get updates",
    "email updates",
    "weekly digest",
    "your inbox",
    "notify me",
    "keep me posted",
    "get the latest",
    "exclusive offers",
    "email offers",
    "special offers",
    "early access",
    "request invite",
    "request an invite",
    "waitlist",
    "wait list",
    // job and e-mail alerts are subscriptions too ("Create job alert", "Job-Agent anlegen")
    "job alert*",
    "email alert*",
    "e mail alert*",
    "job agent*",
    // de
    "abonnieren",
    "abonniere",
    "neuigkeiten",
    "bleib auf dem laufenden",
    "bleiben sie auf dem laufenden",
    "angebote",
    // fr
    "abonne*",
    "lettre d information",
    "infolettre",
    "restez informe*",
    "actualites",
    // es
    "suscrib*",
    "suscripcion",
    "boletin",
    "novedades",
    "ofertas",
    // it
    "abbonati",
    "resta aggiornato",
    "rimani aggiornato",
    "novita",
    "offerte",
    // pt
    "assine",
    "assinar",
    "novidades",
    "boletim",
    "fique por dentro",
    // nl
    "nieuwsbrief*",
    "abonneren",
    "blijf op de hoogte",
    "aanbiedingen",
    // pl
    "subskryb*",
    "zapisz sie",
    "badz na biezaco",
    "nowosci",
    // ru
    "подписат*",
    "подпишит*",
    "подписк*",
    "рассылк*",
    // tr
    "bulten*",
    "abone ol",
    "abone",
    "haberdar ol",
    // ja
    "メルマガ",
    "ニュースレター",
    "購読",
    "メールマガジン",
    // zh
    "订阅",
    "訂閱",
    "邮件列表",
    "新闻通讯",
    "电子报",
    // ko
    "뉴스레터",
    "구독",
];

/// The opposite of subscribing: an unsubscribe form is not a newsletter signup
/// (duckduckgo-autofill PR #944: "unsubscribe" matched signup).
pub static UNSUBSCRIBE: Words = words![
    "unsubscribe",
    "opt out",
    "abbestellen",
    "austragen",
    "se desabonner",
    "desinscri*",
    "darse de baja",
    "cancelar suscripcion",
    "disiscriviti",
    "cancelar assinatura",
    "descadastrar",
    "afmelden",
    "uitschrijven",
    "wypisz",
    "отписат*",
    "abonelikten cik",
    "配信停止",
    "退订",
    "取消订阅",
    "수신거부",
    "구독 취소",
];

/// Password reset, recovery and change.
pub static PASSWORD_RESET: Words = words![
    // en
    "forgot*",
    "reset",
    "reset password",
    "recover",
    "recovery",
    "send reset link",
    "change password",
    "new password",
    "update password",
    "lost password",
    "set password",
    "trouble signing in",
    // de
    "passwort vergessen",
    "kennwort vergessen",
    "zurucksetzen",
    "passwort andern",
    "neues passwort",
    "passwort zurucksetzen",
    // fr
    "mot de passe oublie",
    "reinitialiser",
    "reinitialisation",
    "changer le mot de passe",
    "nouveau mot de passe",
    "changer mon mot de passe",
    "code oublie",
    "code confidentiel oublie",
    // es
    "olvidaste",
    "olvido",
    "olvidado tu contrasena",
    "restablecer*",
    "recuperar",
    "cambiar contrasena",
    "nueva contrasena",
    // it
    "password dimenticata",
    "reimposta",
    "recupera",
    "cambia password",
    "nuova password",
    // pt
    "esqueceu",
    "esqueci",
    "redefinir",
    "recuperar senha",
    "alterar senha",
    "nova senha",
    // nl
    "wachtwoord vergeten",
    "herstellen",
    "opnieuw instellen",
    "wachtwoord wijzigen",
    "nieuw wachtwoord",
    // pl
    "zapomnial*",
    "resetuj",
    "odzyskaj",
    "zmien haslo",
    "nowe haslo",
    "przypomnij haslo",
    // ru
    "забыли",
    "восстанов*",
    "сбросить",
    "сменить пароль",
    "новый пароль",
    // tr
    "sifremi unuttum",
    "sifre sifirla",
    "sifirla",
    "sifre degistir",
    "yeni sifre",
    "sifrenizi mi unuttunuz",
    // ja
    "パスワードを忘れ",
    "パスワード再設定",
    "パスワードリセット",
    "パスワード変更",
    "新しいパスワード",
    "パスワードをお忘れ",
    // zh
    "忘记密码",
    "忘記密碼",
    "重置密码",
    "找回密码",
    "修改密码",
    "新密码",
    // ko
    "비밀번호 찾기",
    "계정 찾기",
    "비밀번호 재설정",
    "비밀번호 변경",
    "새 비밀번호",
    "비밀번호를 잊",
];

/// Contact, support and enquiry forms.
pub static CONTACT: Words = words![
    // en
    "contact*",
    "send message",
    "get in touch",
    "your message",
    "inquiry",
    "enquiry",
    "support request",
    "submit request",
    "talk to sales",
    "request a demo",
    "feedback",
    // de
    "kontakt*",
    "nachricht senden",
    "ihre nachricht",
    "anfrage senden",
    "anfrage",
    // fr
    "envoyer le message",
    "votre message",
    "nous contacter",
    "envoyer ma demande",
    // es
    "contacto",
    "enviar mensaje",
    "tu mensaje",
    "consulta",
    "contactanos",
    // it
    "contatt*",
    "invia messaggio",
    "il tuo messaggio",
    "richiesta",
    // pt
    "contato",
    "fale conosco",
    "enviar mensagem",
    "sua mensagem",
    // nl
    "verstuur bericht",
    "stel een vraag",
    "uw bericht",
    "bericht versturen",
    // pl
    "kontakt*",
    "wyslij wiadomosc",
    "zapytanie",
    // ru
    "обратная связь",
    "связаться",
    "контакт*",
    "отправить сообщение",
    // tr
    "iletisim",
    "mesaj gonder",
    "bize ulasin",
    // ja
    "お問い合わせ",
    "問い合わせ",
    // zh
    "联系我们",
    "聯絡我們",
    "留言",
    "咨询",
    // ko
    "문의",
];

/// Buying without an account: checkout, guest, shipping, payment.
pub static CHECKOUT: Words = words![
    // en
    "checkout",
    "check out",
    "guest",
    "continue as guest",
    "guest checkout",
    "place order",
    "shipping",
    "delivery",
    "billing",
    "payment",
    "pay now",
    "continue to shipping",
    "continue to payment",
    "order summary",
    // de
    "kasse",
    "zur kasse",
    "als gast",
    "gastbestellung",
    "bestellen",
    "bestellung",
    "lieferadresse",
    "versand",
    "zahlung",
    "zahlungspflichtig bestellen",
    // fr
    "commande",
    "commander",
    "en tant qu invite",
    "livraison",
    "paiement",
    "valider la commande",
    // es
    "pagar",
    "pedido",
    "como invitado",
    "invitado",
    "envio",
    "finalizar compra",
    "tramitar pedido",
    // it
    "cassa",
    "ordine",
    "come ospite",
    "ospite",
    "spedizione",
    "pagamento",
    // pt
    "pedido",
    "como convidado",
    "convidado",
    "entrega",
    "pagamento",
    // nl
    "afrekenen",
    "bestelling",
    "als gast",
    "bezorging",
    "betalen",
    // pl
    "zamowienie",
    "zamow",
    "jako gosc",
    "dostawa",
    "platnosc",
    // ru
    "оформить заказ",
    "заказ*",
    "как гость",
    "доставк*",
    "оплат*",
    // tr
    "odeme",
    "siparis*",
    "misafir",
    "teslimat",
    // ja
    "購入手続き",
    "ゲスト",
    "注文",
    "お届け先",
    "配送",
    // zh
    "结账",
    "結帳",
    "访客",
    "游客",
    "订单",
    "下单",
    "收货",
    // ko
    "결제",
    "주문",
    "비회원",
    "배송",
];

/// Someone else's address: invite, gift, referral, share, recipient.
pub static OTHER_PERSON: Words = words![
    // en
    "friend*",
    "recipient*",
    "gift",
    "giftee",
    "invite*",
    "invitation*",
    "refer*",
    "colleague*",
    "teammate*",
    "coworker*",
    "their email",
    "his email",
    "her email",
    "share with",
    "send to",
    "send this",
    "share by email",
    "share via email",
    "email this",
    "tell a friend",
    "receiver",
    "team member*",
    "add member*",
    // de
    "freund*",
    "empfanger*",
    "geschenk*",
    "einlad*",
    "kolleg*",
    "empfehl*",
    // fr
    "ami",
    "amie",
    "amis",
    "destinataire*",
    "cadeau",
    "inviter",
    "invitez",
    "parrain*",
    "collegue*",
    // es
    "amigo*",
    "amiga*",
    "destinatario*",
    "regalo",
    "invitar",
    "invita",
    "invitacion",
    "referido*",
    "colega*",
    // it
    "amico",
    "amici",
    "amica",
    "invitare",
    "invita un",
    "collega",
    "colleghi",
    // pt
    "presente",
    "convidar",
    "convide",
    "convite",
    "indique",
    "indicar",
    // nl
    "vriend*",
    "ontvanger*",
    "uitnodig*",
    "collega*",
    "doorverwijz*",
    // pl
    "znajom*",
    "przyjaciel*",
    "odbiorc*",
    "prezent*",
    "zapros*",
    "polec*",
    // ru
    "друг*",
    "друз*",
    "получател*",
    "подар*",
    "пригла*",
    "коллег*",
    // tr
    "arkadas*",
    "alici*",
    "hediye*",
    "davet*",
    // ja
    "友達",
    "友人",
    "受取人",
    "ギフト",
    "贈り物",
    "招待",
    "紹介",
    "プレゼント",
    "相手",
    // zh
    "朋友",
    "好友",
    "收件人",
    "礼物",
    "禮物",
    "邀请",
    "邀請",
    "推荐",
    "同事",
    "对方",
    // ko
    "친구",
    "받는 사람",
    "선물",
    "초대",
    "추천",
    "상대방",
];

/// The person filling in the form ("your email", "sender"): cancels an other-person cue
/// that comes from the form around the field (gift forms ask for both addresses).
pub static OWN: Words = words![
    "your email",
    "your e mail",
    "your address",
    "sender",
    "from",
    "my email",
    "ihre e mail",
    "deine e mail",
    "ihre email",
    "deine email",
    "absender",
    "votre e mail",
    "votre adresse",
    "ton e mail",
    "expediteur",
    "tu correo",
    "su correo",
    "tu email",
    "remitente",
    "la tua email",
    "il tuo indirizzo",
    "mittente",
    "seu e mail",
    "seu email",
    "o seu e mail",
    "remetente",
    "uw e mail",
    "je e mail",
    "jouw e mail",
    "afzender",
    "twoj e mail",
    "twoj adres",
    "nadawca",
    "ваш email",
    "ваша почта",
    "ваш e mail",
    "отправител*",
    "e posta adresiniz",
    "gonderen",
    "あなたのメール",
    "ご自身",
    "送り主",
    "您的邮箱",
    "你的邮箱",
    "您的电子邮件",
    "发件人",
    "본인",
    "보내는 사람",
];

/// A second entry of the same value: confirm / repeat / retype.
pub static CONFIRM: Words = words![
    // en
    "confirm*",
    "repeat",
    "re enter",
    "reenter",
    "retype",
    "re type",
    "again",
    "verify",
    // de
    "bestatig*",
    "wiederhol*",
    "erneut",
    "nochmal",
    "noch einmal",
    // fr
    "retaper",
    "repeter",
    "a nouveau",
    "de nouveau",
    "ressaisir",
    // es
    "repetir",
    "repite",
    "vuelve a",
    "nuevamente",
    "de nuevo",
    // it
    "conferma*",
    "ripeti",
    "di nuovo",
    "reinserisci",
    // pt
    "repita",
    "novamente",
    "digite novamente",
    // nl
    "bevestig*",
    "herhaal",
    "opnieuw",
    // pl
    "potwierdz*",
    "powtorz",
    // ru
    "подтверд*",
    "повтор*",
    "еще раз",
    // tr
    "tekrar*",
    "dogrula*",
    "onayla*",
    // ja
    "確認",
    "再入力",
    "もう一度",
    // zh
    "确认",
    "確認",
    "再次",
    "重复",
    // ko
    "확인",
    "재입력",
    "다시",
];

/// An e-mail address.
pub static EMAIL: Words = words![
    // en (also de/it/nl/pl/pt use "e-mail" / "email")
    "email",
    "e mail",
    "mail",
    "email address",
    "emailadress*",
    "mailadres*",
    "emailadres*",
    // `mailaddress`, `mailaddr` glued (common on Japanese sites; `mail` alone is too short to
    // match inside a token)
    "mailaddr*",
    // fr
    "courriel",
    "adresse electronique",
    // es
    "correo",
    "correo electronico",
    // it
    "posta elettronica",
    // pt
    "correio eletronico",
    // ru
    "почт*",
    "емейл",
    "имейл",
    "эл почта",
    // tr
    "e posta",
    "eposta",
    // ja
    "メール",
    // zh
    "邮箱",
    "郵箱",
    "电子邮件",
    "電子郵件",
    "邮件地址",
    "电邮",
    // ko
    "이메일",
    "메일",
];

/// A user name or login identifier that is not explicitly an e-mail address.
pub static USERNAME: Words = words![
    // en
    "username",
    "user name",
    "user",
    "userid",
    "user id",
    "login",
    "login id",
    "nickname",
    "screen name",
    "handle",
    "account name",
    "member id",
    // de
    "benutzername",
    "benutzer",
    "nutzername",
    "anmeldename",
    "kennung",
    // fr
    "nom d utilisateur",
    "identifiant",
    "pseudo",
    // es / pt
    "usuario",
    "nombre de usuario",
    "nome de usuario",
    "utilizador",
    // it
    "nome utente",
    "utente",
    // nl
    "gebruikersnaam",
    "gebruiker",
    // pl
    "nazwa uzytkownika",
    "uzytkownik",
    // ru
    "логин",
    "имя пользователя",
    "пользовател*",
    // tr
    "kullanici adi",
    "kullanici",
    // ja
    "ユーザー名",
    "ユーザ名",
    "ログインid",
    // zh
    "用户名",
    "用戶名",
    "账号",
    "帳號",
    // ko
    "아이디",
    "사용자 이름",
    "사용자명",
];

/// A search box.
pub static SEARCH: Words = words![
    "search",
    "query",
    "keyword*",
    "look up",
    "find",
    "suche*",
    "suchbegriff",
    "durchsuchen",
    "recherch*",
    "buscar",
    "busqueda",
    "busca",
    "cerca",
    "ricerca",
    "pesquis*",
    "procurar",
    "zoek*",
    "szukaj",
    "wyszukaj",
    "wyszukiwanie",
    "поиск",
    "найти",
    "искать",
    "ara",
    "arama",
    "検索",
    "搜索",
    "搜尋",
    "查找",
    "검색",
];

/// Conventional search parameter names, only looked for in `name`/`id`: WordPress `s`,
/// Google-style `q`, Baidu `wd`, and common Japanese/Korean `kw`.
pub static SEARCH_NAMES: Words = words!["s", "q", "kw", "wd", "searchterm", "search term"];

/// A postal or payment field (only consulted on fields that are not e-mail fields, since
/// "e-mail address" contains "address").
pub static ADDRESS: Words = words![
    "address",
    "street",
    "city",
    "zip",
    "postal",
    "postcode",
    "country",
    "card number",
    "cvv",
    "cvc",
    "apartment",
    "strasse",
    "plz",
    "ort",
    "hausnummer",
    "adresse",
    "ville",
    "code postal",
    "direccion",
    "ciudad",
    "codigo postal",
    "indirizzo",
    "citta",
    "cap",
    "endereco",
    "cidade",
    "cep",
    "woonplaats",
    "huisnummer",
    "ulica",
    "miasto",
    "kod pocztowy",
    "адрес",
    "город",
    "индекс",
    "adres",
    "sehir",
    "posta kodu",
    "住所",
    "郵便番号",
    "地址",
    "邮编",
    "邮政编码",
    "주소",
    "우편번호",
];

/// A free-text message (contact forms).
pub static MESSAGE: Words = words![
    "message",
    "comment*",
    "your message",
    "question",
    "inquiry",
    "enquiry",
    "nachricht",
    "kommentar",
    "mensaje",
    "comentario*",
    "messaggio",
    "mensagem",
    "bericht",
    "opmerking*",
    "wiadomosc",
    "tresc",
    "сообщени*",
    "комментари*",
    "mesaj*",
    "お問い合わせ内容",
    "本文",
    "留言",
    "内容",
    "메시지",
    "문의 내용",
];

/// Checkbox: accepting terms (account creation, sometimes newsletters).
pub static TERMS: Words = words![
    "terms",
    "agree",
    "privacy policy",
    "accept",
    "conditions",
    "agb",
    "datenschutz*",
    "einverstanden",
    "akzeptiere",
    "conditions generales",
    "j accepte",
    "accepte",
    "terminos",
    "acepto",
    "termini",
    "accetto",
    "termos",
    "aceito",
    "concordo",
    "voorwaarden",
    "akkoord",
    "regulamin",
    "akceptuje",
    "соглас*",
    "условия",
    "kosullar*",
    "kabul",
    "利用規約",
    "同意",
    "条款",
    "協議",
    "약관",
    "동의",
];

/// Checkbox: staying signed in (login forms only).
pub static REMEMBER: Words = words![
    "remember me",
    "keep me signed in",
    "keep me logged in",
    "stay signed in",
    "angemeldet bleiben",
    "eingeloggt bleiben",
    "se souvenir de moi",
    "rester connecte",
    "recordarme",
    "mantener sesion",
    "mantenerme conectado",
    "ricordami",
    "lembrar de mim",
    "manter conectado",
    "mantenha me conectado",
    "ingelogd blijven",
    "onthoud mij",
    "zapamietaj mnie",
    "запомнить меня",
    "beni hatirla",
    "ログインしたままにする",
    "ログイン状態を保持",
    "记住我",
    "保持登录",
    "記住我",
    "로그인 상태 유지",
    "자동 로그인",
];

/// Links inside a signup form that lead to the login page ("Already have an account?").
pub static HAVE_ACCOUNT: Words = words![
    "already have an account",
    // "Have an account? Log in" (the bare "have an account" is also in "don't have an account")
    "have an account log in",
    "have an account sign in",
    "have an account login",
    "already registered",
    "already a member",
    "schon registriert",
    "bereits registriert",
    "bereits ein konto",
    "schon ein konto",
    "deja inscrit",
    "deja un compte",
    "ya tienes cuenta",
    "ya tienes una cuenta",
    "ya estas registrado",
    "hai gia un account",
    "sei gia registrato",
    "ja tem conta",
    "ja tem uma conta",
    "ja tem cadastro",
    "ja possui conta",
    "al een account",
    "masz juz konto",
    "уже есть аккаунт",
    "уже зарегистрированы",
    "zaten uye misiniz",
    "hesabiniz var mi",
    "アカウントをお持ちの方",
    "已有账号",
    "已有帐户",
    "이미 계정이",
    "이미 회원",
];

/// Links inside a login form that lead to the signup page ("New here? Create account").
pub static NO_ACCOUNT: Words = words![
    "don t have an account",
    "dont have an account",
    "no account",
    "new here",
    "not a member",
    "noch kein konto",
    "neu hier",
    "pas encore de compte",
    "no tienes cuenta",
    "no tienes una cuenta",
    "non hai un account",
    "nao tem conta",
    "nog geen account",
    "nie masz konta",
    "нет аккаунта",
    "hesabiniz yok mu",
    "アカウントをお持ちでない",
    "没有账号",
    "还没有账号",
    "계정이 없",
];

/// Signing a petition: the signer's address goes on the campaign's mailing list, which our
/// labels count as a newsletter (a button on the e-mail field).
pub static PETITION: Words = words![
    // en
    "sign the petition",
    "sign this petition",
    "sign petition",
    "sign now",
    "add your name",
    // de
    "unterschreiben",
    "jetzt unterschreiben",
    "petition unterschreiben",
    "unterzeichnen",
    // fr
    "signer la petition",
    "je signe",
    "signez la petition",
    // es
    "firma la peticion",
    "firmar la peticion",
    "firma ahora",
    // it
    "firma la petizione",
    "firma ora",
    // pt
    "assinar a peticao",
    "assine a peticao",
    "assine agora",
    // nl
    "teken de petitie",
    "teken nu",
    // pl
    "podpisz petycje",
    "podpisz teraz",
    // ru
    "подписать петицию",
    "подпишите петицию",
    // tr
    "imzala",
    "kampanyayi imzala",
    // ja
    "署名する",
    // zh
    "签署请愿",
    "簽署請願",
    // ko
    "서명하기",
];

/// Giving money without an account: a donation form asks for the donor's own address, as a
/// guest checkout does (our labels count it as one).
pub static DONATE: Words = words![
    // en
    "donate",
    "donate now",
    "give now",
    "make a donation",
    // de
    "spenden",
    "jetzt spenden",
    // fr
    "faire un don",
    "je donne",
    // es
    "donar",
    "dona ahora",
    "haz un donativo",
    // it
    "dona ora",
    "fai una donazione",
    // pt
    "doar",
    "doe agora",
    "fazer uma doacao",
    // nl
    "doneer",
    "doneer nu",
    // pl
    "wesprzyj",
    "przekaz darowizne",
    // ru
    "пожертвовать",
    "сделать пожертвование",
    // tr
    "bagis yap",
    // ja
    "寄付する",
    // zh
    "捐赠",
    "捐款",
    // ko
    "기부하기",
    "후원하기",
];

/// A person's name (first, last, full, display): not a user name, even when the field's
/// `name` glues "user" to it (`new_user_first_name`, `usernamereg-firstName`).
pub static PERSON_NAME: Words = words![
    // en (and the autocomplete tokens given-name, family-name)
    "first name",
    "firstname",
    "last name",
    "lastname",
    "full name",
    "fullname",
    "display name",
    "displayname",
    "given name",
    "family name",
    "surname",
    // de
    "vorname",
    "nachname",
    // fr
    "prenom",
    "nom de famille",
    // es
    "apellido*",
    "nombre completo",
    // it
    "cognome",
    // pt
    "sobrenome",
    "nome completo",
    // nl
    "voornaam",
    "achternaam",
    // pl
    "imie",
    "nazwisko",
    // ru
    "фамилия",
    "имя и фамилия",
    // tr
    "soyad*",
    "ad soyad",
    // ja
    "氏名",
    "姓名",
    "お名前",
    // zh
    "真实姓名",
    // ko ("이름" alone is also in "사용자 이름", user name)
    "성명",
    "실명",
];
