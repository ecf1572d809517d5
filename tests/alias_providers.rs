//! Provider flows against local mock servers on 127.0.0.1 (no external network).
//!
//! Each mock implements the provider's documented endpoints and checks method, path,
//! auth header and body, answering 401/400 when they are wrong; a tiny blocking
//! HTTP/1.1 client runs the core's `HttpRequest`s and feeds back `HttpResponse`s.
#![allow(clippy::unwrap_used, clippy::panic)]

use impalemail::alias::{
    AliasError, CreateRequest, Flow, HttpRequest, HttpResponse, InboxCredentials, Outcome,
    Provider, ProviderConfig, Step,
};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const NOW: u64 = 1_700_000_000;
const KEY: &str = "good-key-0123";

#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

struct Resp {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn resp(status: u16, body: impl ToString) -> Resp {
    Resp {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

/// Starts a mock serving at most `max` connections; returns its base URL.
fn serve<F>(max: usize, handler: F) -> String
where
    F: Fn(&Req) -> Resp + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max) {
            let Ok(stream) = stream else { continue };
            let _ = handle(stream, &handler);
        }
    });
    base
}

fn handle<F: Fn(&Req) -> Resp>(stream: TcpStream, handler: &F) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let req = Req {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let r = handler(&req);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        r.status,
        r.body.len()
    );
    for (n, v) in &r.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&r.body);
    let mut stream = stream;
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

/// Runs one core request against 127.0.0.1 only.
fn execute(req: &HttpRequest) -> HttpResponse {
    let rest = req
        .url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("test tried to leave 127.0.0.1: {}", req.url));
    let (port, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut s = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = req.body.clone().unwrap_or_default();
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n",
        req.method.as_str(),
        body.len()
    );
    for (n, v) in &req.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Drives a flow to its end (bounded).
fn drive(mut flow: Flow) -> (Result<Outcome, AliasError>, usize) {
    let mut step = flow.next(None);
    for n in 0..100 {
        match step {
            Step::Request(r) => step = flow.next(Some(execute(&r))),
            Step::Done(result) => return (result, n),
        }
    }
    panic!("flow did not end");
}

fn config(provider: Provider, base: &str, key: &str) -> ProviderConfig {
    let mut c = ProviderConfig::new(provider, key);
    c.base_url = Some(base.to_string());
    c
}

fn create_req() -> CreateRequest {
    CreateRequest::for_url("https://login.example.co.uk/signup").unwrap()
}

const NOTE: &str = "generated by ImpaleMail for example.co.uk";

// ---------------------------------------------------------------- SimpleLogin

fn simplelogin_mock(max: usize) -> String {
    let enabled = Arc::new(Mutex::new(true));
    serve(max, move |r| {
        if r.header("Authentication") != Some(KEY) {
            return resp(401, json!({"error": "Wrong api key"}));
        }
        let path = r.path.as_str();
        match (r.method.as_str(), path) {
            ("POST", "/api/alias/random/new?hostname=login.example.co.uk") => {
                if r.json() != json!({"note": NOTE}) {
                    return resp(400, json!({"error": "bad body"}));
                }
                resp(
                    201,
                    json!({"id": 42, "email": "sunny.maple@sl.test", "enabled": true, "note": NOTE}),
                )
            }
            ("GET", p) if p.starts_with("/api/v2/aliases?page_id=") => {
                let page: usize = p.rsplit('=').next().unwrap().parse().unwrap();
                let n = if page == 0 { 20 } else { 3 };
                let aliases: Vec<Value> = (0..n)
                    .map(|i| json!({"id": page * 100 + i, "email": format!("a{page}-{i}@sl.test"), "enabled": true}))
                    .collect();
                resp(200, json!({"aliases": aliases}))
            }
            ("GET", "/api/aliases/42") => resp(
                200,
                json!({"id": 42, "email": "sunny.maple@sl.test", "enabled": *enabled.lock().unwrap()}),
            ),
            ("POST", "/api/aliases/42/toggle") => {
                let mut e = enabled.lock().unwrap();
                *e = !*e;
                resp(200, json!({"enabled": *e}))
            }
            ("DELETE", "/api/aliases/42") => resp(200, json!({"deleted": true})),
            ("DELETE", _) => resp(404, json!({"error": "Forbidden"})),
            _ => resp(
                400,
                json!({"error": format!("unexpected {} {}", r.method, r.path)}),
            ),
        }
    })
}

#[test]
fn simplelogin_create_list_disable_enable_delete() {
    let base = simplelogin_mock(20);
    let cfg = config(Provider::SimpleLogin, &base, KEY);
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let Outcome::Created { alias } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "sunny.maple@sl.test");
    assert_eq!(alias.provider_id.as_deref(), Some("42"));

    let (out, steps) = drive(Flow::list(&cfg, NOW).unwrap());
    let Outcome::Listed { aliases, complete } = out.unwrap() else {
        panic!()
    };
    assert_eq!((aliases.len(), complete, steps), (23, true, 2));

    let (out, steps) = drive(Flow::set_enabled(&cfg, "42", false, NOW).unwrap());
    assert_eq!(
        out.unwrap(),
        Outcome::StateChanged {
            provider_id: "42".into(),
            enabled: false
        }
    );
    assert_eq!(steps, 2, "read, then toggle");
    let (out, steps) = drive(Flow::set_enabled(&cfg, "42", false, NOW).unwrap());
    assert!(out.is_ok());
    assert_eq!(steps, 1, "already disabled: no toggle");
    let (out, _) = drive(Flow::set_enabled(&cfg, "42", true, NOW).unwrap());
    assert!(matches!(
        out.unwrap(),
        Outcome::StateChanged { enabled: true, .. }
    ));

    let (out, _) = drive(Flow::delete(&cfg, "42", NOW).unwrap());
    assert!(matches!(out.unwrap(), Outcome::Deleted { .. }));
    let (out, _) = drive(Flow::delete(&cfg, "43", NOW).unwrap());
    assert!(matches!(out, Err(AliasError::NotFound { ref id, .. }) if id == "43"));
}

#[test]
fn simplelogin_wrong_key_is_unauthorized_and_never_shown() {
    let base = simplelogin_mock(2);
    let cfg = config(Provider::SimpleLogin, &base, "wrong-key-9999");
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let e = out.unwrap_err();
    assert!(matches!(e, AliasError::Unauthorized { status: 401, .. }));
    let text = format!("{e} {e:?}");
    assert!(text.contains("Check your SimpleLogin API key"));
    assert!(!text.contains("wrong-key-9999"));
}

// ---------------------------------------------------------------- addy.io

#[test]
fn addy_create_states_delete_and_plan_limit() {
    let created = Arc::new(Mutex::new(0));
    let count = created.clone();
    let base = serve(10, move |r| {
        if r.header("Authorization") != Some(&format!("Bearer {KEY}")) {
            return resp(401, json!({"message": "Unauthenticated."}));
        }
        if r.header("X-Requested-With") != Some("XMLHttpRequest") {
            return resp(400, json!({"message": "missing X-Requested-With"}));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/api/v1/aliases") => {
                if r.json() != json!({"domain": "me.anonaddy.com", "description": NOTE}) {
                    return resp(400, json!({"message": "bad body"}));
                }
                let mut n = count.lock().unwrap();
                *n += 1;
                if *n > 1 {
                    return resp(
                        403,
                        json!({"message": "You have reached your limit for shared domain aliases. Upgrade to create more."}),
                    );
                }
                resp(
                    201,
                    json!({"data": {"id": "uuid-1", "email": "x1@me.anonaddy.com", "active": true}}),
                )
            }
            ("DELETE", "/api/v1/active-aliases/uuid-1") => resp(204, ""),
            ("POST", "/api/v1/active-aliases") if r.json() == json!({"id": "uuid-1"}) => {
                resp(200, json!({"data": {"id": "uuid-1", "active": true}}))
            }
            ("DELETE", "/api/v1/aliases/uuid-1") => resp(204, ""),
            _ => resp(404, json!({"message": "Not found"})),
        }
    });
    let mut cfg = config(Provider::Addy, &base, KEY);
    cfg.domain = Some("me.anonaddy.com".into());
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let Outcome::Created { alias } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "x1@me.anonaddy.com");
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let e = out.unwrap_err();
    assert!(
        matches!(e, AliasError::PlanLimit { status: 403, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("addy.io"));
    let (out, _) = drive(Flow::set_enabled(&cfg, "uuid-1", false, NOW).unwrap());
    assert!(matches!(
        out.unwrap(),
        Outcome::StateChanged { enabled: false, .. }
    ));
    let (out, _) = drive(Flow::set_enabled(&cfg, "uuid-1", true, NOW).unwrap());
    assert!(matches!(
        out.unwrap(),
        Outcome::StateChanged { enabled: true, .. }
    ));
    let (out, _) = drive(Flow::delete(&cfg, "uuid-1", NOW).unwrap());
    assert!(matches!(out.unwrap(), Outcome::Deleted { .. }));
}

// ---------------------------------------------------------------- Firefox Relay

#[test]
fn relay_create_patch_delete_and_free_tier_402() {
    let first = Arc::new(Mutex::new(true));
    let base = serve(10, move |r| {
        if r.header("Authorization") != Some(&format!("Token {KEY}")) {
            return resp(401, json!({"detail": "Invalid token."}));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/api/v1/relayaddresses/") => {
                let b = r.json();
                if b["enabled"] != true
                    || b["generated_for"] != "example.co.uk"
                    || b["description"] != NOTE
                {
                    return resp(400, json!({"detail": "bad body"}));
                }
                let mut f = first.lock().unwrap();
                if !*f {
                    return resp(
                        402,
                        json!({"detail": "You must be a premium subscriber to make more than 5 email masks."}),
                    );
                }
                *f = false;
                resp(
                    201,
                    json!({"id": 7, "full_address": "q1w2e3@mozmail.com", "enabled": true, "generated_for": "example.co.uk"}),
                )
            }
            ("PATCH", "/api/v1/relayaddresses/7/") => {
                let enabled = r.json()["enabled"].clone();
                if !enabled.is_boolean() {
                    return resp(400, json!({"detail": "enabled"}));
                }
                resp(
                    200,
                    json!({"id": 7, "full_address": "q1w2e3@mozmail.com", "enabled": enabled}),
                )
            }
            ("DELETE", "/api/v1/relayaddresses/7/") => resp(204, ""),
            ("GET", "/api/v1/relayaddresses/") => resp(
                200,
                json!([{"id": 7, "full_address": "q1w2e3@mozmail.com", "enabled": true}]),
            ),
            _ => resp(404, json!({"detail": "Not found."})),
        }
    });
    let cfg = config(Provider::FirefoxRelay, &base, KEY);
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let Outcome::Created { alias } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "q1w2e3@mozmail.com");
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    assert!(matches!(
        out,
        Err(AliasError::PlanLimit { status: 402, .. })
    ));
    let (out, _) = drive(Flow::set_enabled(&cfg, "7", false, NOW).unwrap());
    assert!(matches!(
        out.unwrap(),
        Outcome::StateChanged { enabled: false, .. }
    ));
    let (out, _) = drive(Flow::list(&cfg, NOW).unwrap());
    assert!(matches!(out.unwrap(), Outcome::Listed { aliases, .. } if aliases.len() == 1));
    let (out, _) = drive(Flow::delete(&cfg, "7", NOW).unwrap());
    assert!(matches!(out.unwrap(), Outcome::Deleted { .. }));
}

// ---------------------------------------------------------------- DuckDuckGo

#[test]
fn duckduckgo_create_and_rate_limit() {
    let calls = Arc::new(Mutex::new(0));
    let base = serve(3, move |r| {
        if r.header("Authorization") != Some(&format!("Bearer {KEY}")) {
            return resp(401, "");
        }
        if r.method != "POST" || r.path != "/api/email/addresses" || !r.body.is_empty() {
            return resp(400, "");
        }
        let mut n = calls.lock().unwrap();
        *n += 1;
        if *n == 2 {
            return Resp {
                status: 429,
                headers: vec![("Retry-After", "30".into())],
                body: String::new(),
            };
        }
        resp(201, json!({"address": "quiet-otter-lamp"}))
    });
    let cfg = config(Provider::DuckDuckGo, &base, KEY);
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let Outcome::Created { alias } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "quiet-otter-lamp@duck.com");
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let e = out.unwrap_err();
    assert_eq!(e.retry_after_secs(), Some(30));
    assert!(
        e.to_string()
            .contains("DuckDuckGo Email Protection asks to wait 30 s"),
        "{e}"
    );
}

// ---------------------------------------------------------------- Fastmail (JMAP)

fn fastmail_mock(max: usize) -> String {
    let base_cell: Arc<Mutex<String>> = Arc::new(Mutex::new(String::new()));
    let cell = base_cell.clone();
    let base = serve(max, move |r| {
        if r.header("Authorization") != Some(&format!("Bearer {KEY}")) {
            return resp(401, "");
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/jmap/session") => resp(
                200,
                json!({
                    "apiUrl": format!("{}/jmap/api/", cell.lock().unwrap()),
                    "primaryAccounts": {"urn:ietf:params:jmap:core": "u1", "https://www.fastmail.com/dev/maskedemail": "u1"}
                }),
            ),
            ("POST", "/jmap/api/") => {
                let b = r.json();
                let using = b["using"].as_array().cloned().unwrap_or_default();
                if !using.contains(&json!("https://www.fastmail.com/dev/maskedemail")) {
                    return resp(
                        400,
                        json!({"type": "urn:ietf:params:jmap:error:unknownCapability"}),
                    );
                }
                let call = &b["methodCalls"][0];
                let args = &call[1];
                if args["accountId"] != "u1" {
                    return resp(
                        200,
                        json!({"methodResponses": [["error", {"type": "accountNotFound"}, "0"]]}),
                    );
                }
                match call[0].as_str() {
                    Some("MaskedEmail/set") if args.get("create").is_some() => {
                        let (cid, obj) = args["create"].as_object().unwrap().iter().next().unwrap();
                        if obj["forDomain"] != "https://login.example.co.uk"
                            || obj["state"] != "enabled"
                        {
                            return resp(
                                200,
                                json!({"methodResponses": [["MaskedEmail/set", {"notCreated": {cid: {"type": "invalidProperties"}}}, "0"]]}),
                            );
                        }
                        resp(
                            200,
                            json!({"methodResponses": [["MaskedEmail/set", {"created": {cid: {"id": "me-1", "email": "tidy.owl@fastmail.test", "state": "enabled"}}}, "0"]]}),
                        )
                    }
                    Some("MaskedEmail/set") => {
                        let (id, _) = args["update"].as_object().unwrap().iter().next().unwrap();
                        if id == "me-1" {
                            resp(
                                200,
                                json!({"methodResponses": [["MaskedEmail/set", {"updated": {id: null}}, "0"]]}),
                            )
                        } else {
                            resp(
                                200,
                                json!({"methodResponses": [["MaskedEmail/set", {"notUpdated": {id: {"type": "notFound"}}}, "0"]]}),
                            )
                        }
                    }
                    Some("MaskedEmail/get") => resp(
                        200,
                        json!({"methodResponses": [["MaskedEmail/get", {"list": [
                        {"id": "me-1", "email": "tidy.owl@fastmail.test", "state": "enabled", "forDomain": "https://www.example.com"},
                        {"id": "me-2", "email": "gone@fastmail.test", "state": "deleted"},
                        {"id": "me-3", "email": "off@fastmail.test", "state": "disabled"}
                    ]}, "0"]]}),
                    ),
                    _ => resp(400, ""),
                }
            }
            _ => resp(404, ""),
        }
    });
    *base_cell.lock().unwrap() = base.clone();
    base
}

#[test]
fn fastmail_two_step_flows() {
    let base = fastmail_mock(20);
    let cfg = config(Provider::Fastmail, &base, KEY);
    let (out, steps) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    assert_eq!(steps, 2, "session, then MaskedEmail/set");
    let Outcome::Created { alias } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "tidy.owl@fastmail.test");
    let (out, _) = drive(Flow::list(&cfg, NOW).unwrap());
    let Outcome::Listed { aliases, .. } = out.unwrap() else {
        panic!()
    };
    assert_eq!(aliases.len(), 2, "deleted ones are left out");
    assert_eq!(aliases[0].site.as_deref(), Some("example.com"));
    assert!(!aliases[1].enabled);
    let (out, _) = drive(Flow::set_enabled(&cfg, "me-1", false, NOW).unwrap());
    assert!(matches!(
        out.unwrap(),
        Outcome::StateChanged { enabled: false, .. }
    ));
    let (out, _) = drive(Flow::delete(&cfg, "me-9", NOW).unwrap());
    assert!(matches!(out, Err(AliasError::NotFound { .. })));
    let bad = config(Provider::Fastmail, &base, "nope-nope");
    let (out, steps) = drive(Flow::create(&bad, &create_req(), NOW).unwrap());
    assert!(matches!(out, Err(AliasError::Unauthorized { .. })));
    assert_eq!(steps, 1);
}

// ---------------------------------------------------------------- Forward Email

#[test]
fn forwardemail_basic_auth_create_and_server_error() {
    let calls = Arc::new(Mutex::new(0));
    let base = serve(5, move |r| {
        // base64("good-key-0123:")
        if r.header("Authorization") != Some("Basic Z29vZC1rZXktMDEyMzo=") {
            return resp(401, json!({"message": "Invalid API token."}));
        }
        let mut n = calls.lock().unwrap();
        *n += 1;
        if *n == 2 {
            return resp(503, "busy");
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/v1/domains/mine.example/aliases")
                if r.json()["labels"] == json!(["example.co.uk"]) =>
            {
                resp(
                    200,
                    json!({"id": "fe1", "name": "r4nd0m", "domain": {"name": "mine.example"}, "is_enabled": true}),
                )
            }
            ("PUT", "/v1/domains/mine.example/aliases/fe1")
                if r.json() == json!({"is_enabled": false}) =>
            {
                resp(
                    200,
                    json!({"id": "fe1", "name": "r4nd0m", "is_enabled": false}),
                )
            }
            _ => resp(400, json!({"message": "bad request"})),
        }
    });
    let mut cfg = config(Provider::ForwardEmail, &base, KEY);
    cfg.domain = Some("mine.example".into());
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let Outcome::Created { alias } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "r4nd0m@mine.example");
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    assert!(matches!(
        out,
        Err(AliasError::ServerError { status: 503, .. })
    ));
    let (out, _) = drive(Flow::set_enabled(&cfg, "fe1", false, NOW).unwrap());
    assert!(matches!(
        out.unwrap(),
        Outcome::StateChanged { enabled: false, .. }
    ));
}

#[test]
fn malformed_json_from_a_server_is_named() {
    let base = serve(2, |_| resp(201, "{\"id\": 1, \"email\": "));
    let cfg = config(Provider::SimpleLogin, &base, KEY);
    let (out, _) = drive(Flow::create(&cfg, &create_req(), NOW).unwrap());
    let e = out.unwrap_err();
    assert!(matches!(e, AliasError::Malformed { .. }));
    assert!(e.to_string().contains("not JSON"), "{e}");
}

// ---------------------------------------------------------------- mail.tm

const RAW: &str = "From: a@sender.test\r\nTo: x@tm.test\r\nSubject: Your code\r\n\r\n123456\r\n";

fn mailtm_mock(max: usize) -> String {
    let account: Arc<Mutex<Option<(String, String)>>> = Arc::new(Mutex::new(None));
    let tokens = Arc::new(Mutex::new(0u32));
    serve(max, move |r| {
        let current = format!("jwt-{}", tokens.lock().unwrap());
        let authed = r.header("Authorization") == Some(&format!("Bearer {current}"));
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/domains") => resp(
                200,
                json!({"hydra:member": [{"id": "d1", "domain": "tm.test", "isActive": true, "isPrivate": false}]}),
            ),
            ("POST", "/accounts") => {
                let b = r.json();
                let (Some(a), Some(p)) = (b["address"].as_str(), b["password"].as_str()) else {
                    return resp(400, json!({"detail": "address and password"}));
                };
                if !a.ends_with("@tm.test") || p.len() < 8 {
                    return resp(422, json!({"detail": "invalid"}));
                }
                *account.lock().unwrap() = Some((a.to_string(), p.to_string()));
                resp(201, json!({"id": "acc-1", "address": a}))
            }
            ("POST", "/token") => {
                let b = r.json();
                let ok = account.lock().unwrap().as_ref().is_some_and(|(a, p)| {
                    b["address"] == a.as_str() && b["password"] == p.as_str()
                });
                if !ok {
                    return resp(401, json!({"message": "Invalid credentials."}));
                }
                let mut t = tokens.lock().unwrap();
                *t += 1;
                resp(200, json!({"id": "acc-1", "token": format!("jwt-{t}")}))
            }
            _ if !authed => resp(401, json!({"message": "JWT Token not found"})),
            ("GET", "/messages?page=1") => resp(
                200,
                json!([{"id": "m1", "from": {"address": "a@sender.test"}, "subject": "Your code", "intro": "123456", "seen": false, "createdAt": "2023-11-14T22:00:00+00:00", "downloadUrl": "/messages/m1/download"}]),
            ),
            ("GET", "/messages/m1") => resp(
                200,
                json!({"id": "m1", "from": {"address": "a@sender.test"}, "subject": "Your code", "text": "123456", "html": ["<p>123456</p>"]}),
            ),
            ("GET", "/messages/m1/download") => resp(200, RAW),
            ("DELETE", "/accounts/acc-1") => resp(204, ""),
            _ => resp(404, json!({"detail": "Not Found"})),
        }
    })
}

#[test]
fn mailtm_inbox_flow_domains_account_token_messages_message_raw() {
    let base = mailtm_mock(30);
    let cfg = config(Provider::MailTm, &base, "");
    let mut req = create_req();
    req.local_part = Some("impale42".into());
    let (out, steps) = drive(Flow::create(&cfg, &req, NOW).unwrap());
    assert_eq!(steps, 3, "domains, account, token");
    let Outcome::InboxCreated { alias, inbox } = out.unwrap() else {
        panic!()
    };
    assert_eq!(alias.address, "impale42@tm.test");
    assert_eq!(inbox.account_id.as_deref(), Some("acc-1"));
    assert!(!format!("{inbox:?}").contains("jwt-1"));

    let (out, _) = drive(Flow::messages(&cfg, &inbox, NOW).unwrap());
    let Outcome::Messages {
        messages,
        new_token,
    } = out.unwrap()
    else {
        panic!()
    };
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].subject, "Your code");
    assert!(new_token.is_none());

    let (out, _) = drive(Flow::message(&cfg, &inbox, "m1", NOW).unwrap());
    let Outcome::Message { message, .. } = out.unwrap() else {
        panic!()
    };
    assert_eq!(
        (message.text.as_str(), message.html.as_str()),
        ("123456", "<p>123456</p>")
    );

    let (out, _) = drive(Flow::raw_source(&cfg, &inbox, "m1", NOW).unwrap());
    let Outcome::RawSource { source, .. } = out.unwrap() else {
        panic!()
    };
    assert_eq!(source, RAW);

    let (out, _) = drive(Flow::message(&cfg, &inbox, "m404", NOW).unwrap());
    assert!(matches!(out, Err(AliasError::NotFound { ref id, .. }) if id == "m404"));

    // A stale token: the flow gets a new one with the password and reports it.
    let stale = InboxCredentials {
        token: Some(impalemail::alias::Secret::new("jwt-0")),
        ..inbox.clone()
    };
    let (out, steps) = drive(Flow::messages(&cfg, &stale, NOW).unwrap());
    assert_eq!(steps, 3, "messages (401), token, messages");
    let Outcome::Messages { new_token, .. } = out.unwrap() else {
        panic!()
    };
    assert_eq!(new_token.unwrap().expose(), "jwt-2");

    let fresh = InboxCredentials {
        token: Some(impalemail::alias::Secret::new("jwt-2")),
        ..inbox
    };
    let (out, _) = drive(Flow::delete_inbox(&cfg, &fresh, NOW).unwrap());
    assert!(matches!(out.unwrap(), Outcome::Deleted { ref provider_id } if provider_id == "acc-1"));
}

#[test]
fn network_failure_is_reported_by_the_caller() {
    // A port with nothing listening: bind, note the port, drop the listener.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = config(
        Provider::SimpleLogin,
        &format!("http://127.0.0.1:{port}"),
        KEY,
    );
    let mut flow = Flow::create(&cfg, &create_req(), NOW).unwrap();
    let Step::Request(r) = flow.next(None) else {
        panic!()
    };
    let err = TcpStream::connect(
        r.url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap(),
    )
    .unwrap_err();
    let Step::Done(Err(e)) = flow.network_error(&err.to_string()) else {
        panic!()
    };
    assert!(matches!(e, AliasError::Network { .. }));
    assert!(e.to_string().contains("could not reach SimpleLogin"));
}
