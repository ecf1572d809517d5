//! mail.tm temporary inboxes (docs.mail.tm): no account or key. `GET /domains`, `POST
//! /accounts {address,password}` and `POST /token {address,password}` are open; the rest
//! need `Authorization: Bearer <token>` (a JWT that expires; on 401 the flow gets a new one
//! once and reports it in `new_token` for JavaScript to store).
//!
//! - create: `GET /domains` -> first active public domain; `POST /accounts` (201 `{id,
//!   address}`); `POST /token` (200 `{id, token}`);
//! - messages: `GET /messages?page=1` (array, or JSON-LD `hydra:member`);
//! - message: `GET /messages/{id}`; raw source (RFC 5322): `GET /messages/{id}/download`
//!   (the message's `downloadUrl`);
//! - delete the inbox: `DELETE /accounts/{id}`.
//!
//! The service allows about 8 requests per second per IP; 429 is handled like elsewhere.

use super::*;

/// Random bytes in a generated inbox password (hex-encoded, 128 bits).
const PASSWORD_BYTES: usize = 16;

fn bearer(c: &Ctx) -> Option<(&'static str, String)> {
    let token = c
        .new_token
        .as_ref()
        .or(c.inbox.as_ref().and_then(|i| i.token.as_ref()))?;
    Some(("Authorization", format!("Bearer {}", token.expose())))
}

fn token_request(c: &Ctx, address: &str, password: &Secret) -> HttpRequest {
    let body = serde_json::json!({ "address": address, "password": password.expose() });
    json_request(Method::Post, format!("{}/token", c.base), None, Some(body))
}

fn inbox(c: &Ctx) -> Result<&InboxCredentials, AliasError> {
    c.inbox.as_ref().ok_or(AliasError::MissingSetting {
        provider: c.provider,
        setting: "the inbox credentials",
    })
}

fn inbox_call(c: &Ctx, op: &Op) -> Result<HttpRequest, AliasError> {
    let p = c.provider;
    let (method, path) = match op {
        Op::Messages => (Method::Get, "/messages?page=1".to_string()),
        Op::Message { id } => (Method::Get, format!("/messages/{}", segment(p, id)?)),
        Op::RawSource { id } => (
            Method::Get,
            format!("/messages/{}/download", segment(p, id)?),
        ),
        Op::DeleteInbox => {
            let id = inbox(c)?
                .account_id
                .as_deref()
                .ok_or(AliasError::MissingSetting {
                    provider: p,
                    setting: "the inbox's account id",
                })?;
            (Method::Delete, format!("/accounts/{}", segment(p, id)?))
        }
        _ => {
            return Err(AliasError::Unsupported {
                provider: p,
                operation: Operation::List,
            })
        }
    };
    Ok(json_request(
        method,
        format!("{}{path}", c.base),
        bearer(c),
        None,
    ))
}

pub(crate) fn start(c: &mut Ctx, op: &Op) -> Result<Next, AliasError> {
    if let Op::Create(_) = op {
        let url = format!("{}/domains", c.base);
        return Ok(Next::Send(
            json_request(Method::Get, url, None, None),
            Stage::Domains,
        ));
    }
    let creds = inbox(c)?.clone();
    if creds.token.is_none() {
        return Ok(Next::Send(
            token_request(c, &creds.address, &creds.password),
            Stage::Token {
                address: creds.address,
                password: creds.password,
                account_id: creds.account_id,
                renewed: true,
            },
        ));
    }
    Ok(Next::Send(
        inbox_call(c, op)?,
        Stage::InboxCall { renewed: false },
    ))
}

/// The items of a Hydra collection or a plain array.
fn members<'a>(c: &Ctx, v: &'a Value, what: &str) -> Result<&'a Vec<Value>, AliasError> {
    v.as_array()
        .or_else(|| v.get("hydra:member").and_then(Value::as_array))
        .ok_or_else(|| missing(c, what))
}

fn summary(c: &Ctx, v: &Value) -> Result<MessageSummary, AliasError> {
    Ok(MessageSummary {
        id: get_str(v, &["id"]).ok_or_else(|| missing(c, "message `id`"))?,
        from: get_str(v, &["from", "address"]).unwrap_or_default(),
        subject: get_str(v, &["subject"]).unwrap_or_default(),
        intro: get_str(v, &["intro"]).unwrap_or_default(),
        created_at: get_str(v, &["createdAt"]).unwrap_or_default(),
        seen: get_bool(v, &["seen"]).unwrap_or(false),
    })
}

pub(crate) fn step(
    c: &mut Ctx,
    op: &Op,
    stage: Stage,
    resp: &HttpResponse,
) -> Result<Next, AliasError> {
    match stage {
        Stage::Domains => {
            let Op::Create(r) = op else {
                return Err(missing(c, "create operation"));
            };
            let v = ok_json(c, resp)?;
            let domain = members(c, &v, "the list of domains")?
                .iter()
                .filter(|d| get_bool(d, &["isActive"]).unwrap_or(true))
                .filter(|d| !get_bool(d, &["isPrivate"]).unwrap_or(false))
                .find_map(|d| get_str(d, &["domain"]))
                .ok_or(AliasError::NoDomain {
                    provider: c.provider,
                })?;
            let local = match &r.local_part {
                Some(l) => l.to_ascii_lowercase(),
                None => generators::catch_all("x.example", generators::Style::Words)?
                    .split('@')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            };
            let address = generators::validate_address(&format!("{local}@{domain}"))?;
            let password = Secret::new(generators::hex(
                &generators::random_bytes::<PASSWORD_BYTES>()?,
            ));
            let body = serde_json::json!({ "address": address, "password": password.expose() });
            let req = json_request(
                Method::Post,
                format!("{}/accounts", c.base),
                None,
                Some(body),
            );
            Ok(Next::Send(req, Stage::Account { address, password }))
        }
        Stage::Account { address, password } => {
            let v = ok_json(c, resp)?;
            let account_id = get_str(&v, &["id"]).ok_or_else(|| missing(c, "account `id`"))?;
            let req = token_request(c, &address, &password);
            Ok(Next::Send(
                req,
                Stage::Token {
                    address,
                    password,
                    account_id: Some(account_id),
                    renewed: false,
                },
            ))
        }
        Stage::Token {
            address,
            password,
            account_id,
            renewed,
        } => {
            let v = ok_json(c, resp)?;
            let token =
                Secret::new(get_str(&v, &["token"]).ok_or_else(|| missing(c, "`token` (string)"))?);
            let account_id = account_id.or_else(|| get_str(&v, &["id"]));
            if let Op::Create(r) = op {
                return Ok(Next::Done(Outcome::InboxCreated {
                    alias: RemoteAlias {
                        address: address.clone(),
                        provider: c.provider,
                        provider_id: account_id.clone(),
                        enabled: true,
                        note: None,
                        site: Some(r.site.clone()),
                    },
                    inbox: InboxCredentials {
                        address,
                        password,
                        account_id,
                        token: Some(token),
                    },
                }));
            }
            c.new_token = Some(token);
            Ok(Next::Send(inbox_call(c, op)?, Stage::InboxCall { renewed }))
        }
        Stage::InboxCall { renewed } => {
            if resp.status == 401 && !renewed {
                let creds = inbox(c)?.clone();
                return Ok(Next::Send(
                    token_request(c, &creds.address, &creds.password),
                    Stage::Token {
                        address: creds.address,
                        password: creds.password,
                        account_id: creds.account_id,
                        renewed: true,
                    },
                ));
            }
            let new_token = c.new_token.clone();
            match op {
                Op::RawSource { id } => {
                    if !(200..300).contains(&resp.status) {
                        ok_json_for(c, resp, id)?;
                    }
                    Ok(Next::Done(Outcome::RawSource {
                        source: resp.body.clone(),
                        new_token,
                    }))
                }
                Op::Messages => {
                    let v = ok_json(c, resp)?;
                    let messages = members(c, &v, "the list of messages")?
                        .iter()
                        .map(|m| summary(c, m))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(Next::Done(Outcome::Messages {
                        messages,
                        new_token,
                    }))
                }
                Op::Message { id } => {
                    let v = ok_json_for(c, resp, id)?;
                    let html = match v.get("html") {
                        Some(Value::Array(parts)) => parts
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n"),
                        Some(Value::String(s)) => s.clone(),
                        _ => String::new(),
                    };
                    Ok(Next::Done(Outcome::Message {
                        message: InboxMessage {
                            summary: summary(c, &v)?,
                            text: get_str(&v, &["text"]).unwrap_or_default(),
                            html,
                        },
                        new_token,
                    }))
                }
                _ => {
                    let id = inbox(c)?.account_id.clone().unwrap_or_default();
                    ok_json_for(c, resp, &id)?;
                    Ok(Next::Done(Outcome::Deleted { provider_id: id }))
                }
            }
        }
        _ => Err(AliasError::FlowMisuse {
            provider: c.provider,
            reason: "unexpected stage",
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn cfg() -> ProviderConfig {
        ProviderConfig::new(Provider::MailTm, "")
    }

    #[test]
    fn no_public_domain_is_its_own_error() {
        let mut f = Flow::create(&cfg(), &create_req(), NOW).unwrap();
        request(&mut f, None);
        let e = done(
            &mut f,
            200,
            r#"{"hydra:member":[{"domain":"p.example","isActive":true,"isPrivate":true}]}"#,
        )
        .unwrap_err();
        assert!(matches!(e, AliasError::NoDomain { .. }), "{e:?}");
        assert!(e.is_transient());
        assert!(e.to_string().contains("no address domain"), "{e}");
    }

    #[test]
    fn create_chain_domains_account_token() {
        let mut req = create_req();
        req.local_part = Some("Fixed".into());
        let mut f = Flow::create(&cfg(), &req, NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Get, "https://api.mail.tm/domains")
        );
        assert_eq!(r.header("Authorization"), None);
        let r = request(
            &mut f,
            Some(HttpResponse::new(
                200,
                r#"{"hydra:member":[{"domain":"old.example","isActive":false},{"domain":"tm.example","isActive":true,"isPrivate":false}]}"#,
            )),
        );
        assert_eq!(r.url, "https://api.mail.tm/accounts");
        let b = body_json(&r);
        assert_eq!(b["address"], "fixed@tm.example");
        let password = b["password"].as_str().unwrap().to_string();
        assert_eq!(password.len(), 32);
        let r = request(
            &mut f,
            Some(HttpResponse::new(
                201,
                r#"{"id":"acc1","address":"fixed@tm.example"}"#,
            )),
        );
        assert_eq!(r.url, "https://api.mail.tm/token");
        assert_eq!(body_json(&r)["password"], password.as_str());
        let out = done(&mut f, 200, r#"{"id":"acc1","token":"jwt-1"}"#).unwrap();
        let Outcome::InboxCreated { alias, inbox } = out else {
            panic!()
        };
        assert_eq!(alias.address, "fixed@tm.example");
        assert_eq!(inbox.token.unwrap().expose(), "jwt-1");
        assert_eq!(inbox.account_id.as_deref(), Some("acc1"));
    }

    #[test]
    fn expired_token_is_renewed_once() {
        let creds = InboxCredentials {
            address: "a@tm.example".into(),
            password: Secret::new("pw"),
            account_id: Some("acc1".into()),
            token: Some(Secret::new("old")),
        };
        let mut f = Flow::messages(&cfg(), &creds, NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(r.header("Authorization"), Some("Bearer old"));
        let r = request(&mut f, Some(HttpResponse::new(401, "")));
        assert!(r.url.ends_with("/token"));
        let r = request(&mut f, Some(HttpResponse::new(200, r#"{"token":"new"}"#)));
        assert_eq!(r.header("Authorization"), Some("Bearer new"));
        // A second 401 is final.
        assert!(matches!(
            done(&mut f, 401, ""),
            Err(AliasError::Unauthorized { .. })
        ));
    }
}
