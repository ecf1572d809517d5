//! Fastmail Masked Email over JMAP (RFC 8620; fastmail.com/developer/maskedemail):
//! `Authorization: Bearer <API token with the Masked Email scope>`, two calls per
//! operation:
//!
//! 1. `GET /jmap/session` (RFC 8620 §2) -> `apiUrl` and
//!    `primaryAccounts["https://www.fastmail.com/dev/maskedemail"]`;
//! 2. `POST <apiUrl>` (RFC 8620 §3.3) with one method call: `MaskedEmail/set` `create`
//!    (`state:"enabled"`, `forDomain` = the page's origin, `description`), `MaskedEmail/get`
//!    for the list, `MaskedEmail/set` `update` `{state: disabled|enabled|deleted}`.
//!
//! The `apiUrl` must have the base URL's origin: the token is never sent elsewhere.

use super::*;

/// JMAP capability of Masked Email.
const CAPABILITY: &str = "https://www.fastmail.com/dev/maskedemail";
/// JMAP core capability (RFC 8620 §2).
const CORE: &str = "urn:ietf:params:jmap:core";
/// Creation id used in `MaskedEmail/set create`.
const CREATION_ID: &str = "impalemail";

fn req(c: &Ctx, method: Method, url: String, body: Option<Value>) -> HttpRequest {
    let auth = Some(("Authorization", format!("Bearer {}", c.key.expose())));
    json_request(method, url, auth, body)
}

pub(crate) fn start(c: &mut Ctx, op: &Op) -> Result<Next, AliasError> {
    if matches!(
        op,
        Op::Messages | Op::Message { .. } | Op::RawSource { .. } | Op::DeleteInbox
    ) {
        return Err(AliasError::Unsupported {
            provider: c.provider,
            operation: Operation::ReadInbox,
        });
    }
    let url = format!("{}/jmap/session", c.base);
    Ok(Next::Send(req(c, Method::Get, url, None), Stage::Session))
}

fn method_call(op: &Op, account_id: &str) -> Value {
    use serde_json::json;
    let (name, args) = match op {
        Op::Create(r) => (
            "MaskedEmail/set",
            json!({"accountId": account_id, "create": {CREATION_ID: {
                "state": "enabled",
                "forDomain": r.origin,
                "description": note(&r.note),
            }}}),
        ),
        Op::SetEnabled { id, enabled } => (
            "MaskedEmail/set",
            json!({"accountId": account_id, "update": {id.as_str(): {
                "state": if *enabled { "enabled" } else { "disabled" }
            }}}),
        ),
        Op::Delete { id } => (
            "MaskedEmail/set",
            json!({"accountId": account_id, "update": {id.as_str(): {"state": "deleted"}}}),
        ),
        _ => (
            "MaskedEmail/get",
            json!({"accountId": account_id, "ids": null}),
        ),
    };
    json!({"using": [CORE, CAPABILITY], "methodCalls": [[name, args, "0"]]})
}

fn parse_masked(c: &Ctx, v: &Value) -> Result<RemoteAlias, AliasError> {
    let state = get_str(v, &["state"]).unwrap_or_else(|| "enabled".into());
    Ok(RemoteAlias {
        address: get_str(v, &["email"]).ok_or_else(|| missing(c, "`email` of the MaskedEmail"))?,
        provider: c.provider,
        provider_id: get_str(v, &["id"]),
        enabled: state == "enabled" || state == "pending",
        note: opt_str(v, "description"),
        site: opt_str(v, "forDomain").map(|d| crate::site::registrable_domain(&d).unwrap_or(d)),
    })
}

/// The SetError `description`/`type` of a notCreated/notUpdated entry.
fn set_error(c: &Ctx, e: &Value, id: &str) -> AliasError {
    let kind = get_str(e, &["type"]).unwrap_or_default();
    if kind == "notFound" {
        return AliasError::NotFound {
            provider: c.provider,
            id: id.to_string(),
        };
    }
    let text = get_str(e, &["description"]).unwrap_or_else(|| kind.clone());
    let limit = kind == "overQuota" || kind == "tooManyMaskedEmails";
    let message = Some(text.chars().take(MAX_PROVIDER_MESSAGE_CHARS).collect());
    if limit {
        AliasError::PlanLimit {
            provider: c.provider,
            status: 200,
            message,
        }
    } else {
        AliasError::Rejected {
            provider: c.provider,
            status: 200,
            message,
        }
    }
}

pub(crate) fn step(
    c: &mut Ctx,
    op: &Op,
    stage: Stage,
    resp: &HttpResponse,
) -> Result<Next, AliasError> {
    let v = ok_json(c, resp)?;
    if let Stage::Session = stage {
        let api_url =
            get_str(&v, &["apiUrl"]).ok_or_else(|| missing(c, "`apiUrl` in the JMAP session"))?;
        let account_id = v
            .get("primaryAccounts")
            .and_then(|p| p.get(CAPABILITY))
            .and_then(Value::as_str)
            .ok_or_else(|| AliasError::Malformed {
                provider: c.provider,
                what: "no Masked Email account in the session; give the API token the Masked Email scope".into(),
            })?
            .to_string();
        if origin_of(&api_url) != origin_of(&c.base) {
            return Err(AliasError::Malformed {
                provider: c.provider,
                what: "the session's `apiUrl` is on another server; the token was not sent there"
                    .into(),
            });
        }
        let body = method_call(op, &account_id);
        return Ok(Next::Send(
            req(c, Method::Post, api_url, Some(body)),
            Stage::Call,
        ));
    }
    let response = v
        .get("methodResponses")
        .and_then(|m| m.get(0))
        .ok_or_else(|| missing(c, "`methodResponses[0]`"))?;
    let name = response.get(0).and_then(Value::as_str).unwrap_or_default();
    let args = response
        .get(1)
        .ok_or_else(|| missing(c, "`methodResponses[0][1]`"))?;
    if name == "error" {
        // RFC 8620 §3.6.2 method-level errors.
        let kind = get_str(args, &["type"]).unwrap_or_default();
        return Err(match kind.as_str() {
            "forbidden" | "accountNotFound" => AliasError::Unauthorized {
                provider: c.provider,
                status: 200,
            },
            "rateLimit" => AliasError::RateLimited {
                provider: c.provider,
                retry_after_secs: None,
            },
            _ => AliasError::Rejected {
                provider: c.provider,
                status: 200,
                message: Some(kind.chars().take(MAX_PROVIDER_MESSAGE_CHARS).collect()),
            },
        });
    }
    match op {
        Op::Create(r) => {
            if let Some(e) = args.get("notCreated").and_then(|n| n.get(CREATION_ID)) {
                return Err(set_error(c, e, CREATION_ID));
            }
            let created = args
                .get("created")
                .and_then(|n| n.get(CREATION_ID))
                .ok_or_else(|| missing(c, "`created` MaskedEmail"))?;
            let mut alias = parse_masked(c, created)?;
            alias.site = Some(r.site.clone());
            alias.enabled = true;
            Ok(Next::Done(Outcome::Created { alias }))
        }
        Op::SetEnabled { id, .. } | Op::Delete { id } => {
            if let Some(e) = args.get("notUpdated").and_then(|n| n.get(id.as_str())) {
                return Err(set_error(c, e, id));
            }
            if args
                .get("updated")
                .and_then(|u| u.get(id.as_str()))
                .is_none()
            {
                return Err(missing(c, "`updated` entry for the alias"));
            }
            Ok(Next::Done(match op {
                Op::SetEnabled { enabled, .. } => Outcome::StateChanged {
                    provider_id: id.clone(),
                    enabled: *enabled,
                },
                _ => Outcome::Deleted {
                    provider_id: id.clone(),
                },
            }))
        }
        _ => {
            let list = args
                .get("list")
                .and_then(Value::as_array)
                .ok_or_else(|| missing(c, "`list` of MaskedEmail/get"))?;
            let mut aliases = Vec::with_capacity(list.len());
            for item in list {
                if get_str(item, &["state"]).as_deref() != Some("deleted") {
                    aliases.push(parse_masked(c, item)?);
                }
            }
            Ok(Next::Done(Outcome::Listed {
                aliases,
                complete: true,
            }))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    const SESSION: &str = r#"{"apiUrl":"https://api.fastmail.com/jmap/api/","primaryAccounts":{"https://www.fastmail.com/dev/maskedemail":"u1234"}}"#;

    #[test]
    fn two_step_create() {
        let cfg = ProviderConfig::new(Provider::Fastmail, "fmu1-token");
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Get, "https://api.fastmail.com/jmap/session")
        );
        assert_eq!(r.header("Authorization"), Some("Bearer fmu1-token"));
        let r = request(&mut f, Some(HttpResponse::new(200, SESSION)));
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Post, "https://api.fastmail.com/jmap/api/")
        );
        let b = body_json(&r);
        assert_eq!(b["using"][1], CAPABILITY);
        assert_eq!(b["methodCalls"][0][0], "MaskedEmail/set");
        let created = &b["methodCalls"][0][1]["create"][CREATION_ID];
        assert_eq!(b["methodCalls"][0][1]["accountId"], "u1234");
        assert_eq!(created["forDomain"], "https://login.example.co.uk");
        assert_eq!(created["state"], "enabled");
        let out = done(
            &mut f,
            200,
            r#"{"methodResponses":[["MaskedEmail/set",{"created":{"impalemail":{"id":"me1","email":"abc.xyz@fastmail.com","state":"pending"}}},"0"]]}"#,
        )
        .unwrap();
        let Outcome::Created { alias } = out else {
            panic!()
        };
        assert_eq!(alias.address, "abc.xyz@fastmail.com");
    }

    #[test]
    fn session_without_scope_or_on_another_origin_is_refused() {
        let cfg = ProviderConfig::new(Provider::Fastmail, "t");
        let mut f = Flow::list(&cfg, NOW).unwrap();
        let _ = request(&mut f, None);
        let e = done(
            &mut f,
            200,
            r#"{"apiUrl":"https://api.fastmail.com/jmap/api/","primaryAccounts":{}}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("Masked Email scope"), "{e}");
        let mut f = Flow::list(&cfg, NOW).unwrap();
        let _ = request(&mut f, None);
        let evil = SESSION.replace("api.fastmail.com", "evil.example");
        assert!(matches!(
            done(&mut f, 200, &evil),
            Err(AliasError::Malformed { .. })
        ));
    }

    #[test]
    fn set_errors_and_disable() {
        let cfg = ProviderConfig::new(Provider::Fastmail, "t");
        let mut f = Flow::set_enabled(&cfg, "me1", false, NOW).unwrap();
        let _ = request(&mut f, None);
        let r = request(&mut f, Some(HttpResponse::new(200, SESSION)));
        assert_eq!(
            body_json(&r)["methodCalls"][0][1]["update"]["me1"]["state"],
            "disabled"
        );
        let e = done(
            &mut f,
            200,
            r#"{"methodResponses":[["MaskedEmail/set",{"notUpdated":{"me1":{"type":"notFound"}}},"0"]]}"#,
        )
        .unwrap_err();
        assert!(matches!(e, AliasError::NotFound { .. }));
    }
}
