//! addy.io, formerly AnonAddy (app.addy.io/docs; anonaddy/anonaddy `routes/api.php`):
//! `Authorization: Bearer <token>`, `X-Requested-With: XMLHttpRequest`.
//!
//! - create: `POST /api/v1/aliases` `{"domain","description"}` -> 201 `{"data":{id,email,active}}`;
//!   the domain is the user's setting, `anonaddy.me` by default;
//! - list: `GET /api/v1/aliases?page[number]=N&page[size]=100` -> `{"data":[...],"meta":{last_page}}`;
//! - disable: `DELETE /api/v1/active-aliases/{id}` (204); enable: `POST
//!   /api/v1/active-aliases` `{"id"}`;
//! - delete: `DELETE /api/v1/aliases/{id}` (204).

use super::*;

/// Alias domain used when the user has not chosen one (shared domain, needs the API).
pub(crate) const DEFAULT_DOMAIN: &str = "anonaddy.me";
/// Aliases per page asked for.
const PAGE_SIZE: u32 = 100;

fn req(c: &Ctx, method: Method, url: String, body: Option<Value>) -> HttpRequest {
    let auth = Some(("Authorization", format!("Bearer {}", c.key.expose())));
    let mut r = json_request(method, url, auth, body);
    r.headers
        .push(("X-Requested-With".into(), "XMLHttpRequest".into()));
    r
}

fn page(c: &Ctx, n: u32) -> HttpRequest {
    let url = format!(
        "{}/api/v1/aliases?page%5Bnumber%5D={n}&page%5Bsize%5D={PAGE_SIZE}",
        c.base
    );
    req(c, Method::Get, url, None)
}

pub(crate) fn start(c: &mut Ctx, op: &Op) -> Result<Next, AliasError> {
    let p = c.provider;
    Ok(match op {
        Op::Create(r) => {
            let body = serde_json::json!({
                "domain": c.domain.as_deref().unwrap_or(DEFAULT_DOMAIN),
                "description": note(&r.note),
            });
            let url = format!("{}/api/v1/aliases", c.base);
            Next::Send(req(c, Method::Post, url, Some(body)), Stage::Call)
        }
        Op::List => Next::Send(page(c, 1), Stage::Page(1, Vec::new())),
        Op::SetEnabled { id, enabled: false } => {
            let url = format!("{}/api/v1/active-aliases/{}", c.base, segment(p, id)?);
            Next::Send(req(c, Method::Delete, url, None), Stage::Call)
        }
        Op::SetEnabled { id, enabled: true } => {
            let url = format!("{}/api/v1/active-aliases", c.base);
            let body = serde_json::json!({ "id": id });
            Next::Send(req(c, Method::Post, url, Some(body)), Stage::Call)
        }
        Op::Delete { id } => {
            let url = format!("{}/api/v1/aliases/{}", c.base, segment(p, id)?);
            Next::Send(req(c, Method::Delete, url, None), Stage::Call)
        }
        _ => {
            return Err(AliasError::Unsupported {
                provider: p,
                operation: Operation::ReadInbox,
            })
        }
    })
}

fn parse_alias(c: &Ctx, v: &Value) -> Result<RemoteAlias, AliasError> {
    Ok(RemoteAlias {
        address: get_str(v, &["email"]).ok_or_else(|| missing(c, "`data.email` (string)"))?,
        provider: c.provider,
        provider_id: get_str(v, &["id"]),
        enabled: get_bool(v, &["active"]).unwrap_or(true),
        note: opt_str(v, "description"),
        site: None,
    })
}

pub(crate) fn step(
    c: &mut Ctx,
    op: &Op,
    stage: Stage,
    resp: &HttpResponse,
) -> Result<Next, AliasError> {
    match (op, stage) {
        (Op::Create(r), _) => {
            let v = ok_json(c, resp)?;
            let data = v.get("data").ok_or_else(|| missing(c, "`data` (object)"))?;
            let mut alias = parse_alias(c, data)?;
            alias.site = Some(r.site.clone());
            Ok(Next::Done(Outcome::Created { alias }))
        }
        (Op::List, Stage::Page(n, mut acc)) => {
            let v = ok_json(c, resp)?;
            let items = v
                .get("data")
                .and_then(Value::as_array)
                .ok_or_else(|| missing(c, "`data` (array)"))?;
            for item in items {
                acc.push(parse_alias(c, item)?);
            }
            let last = v
                .get("meta")
                .and_then(|m| m.get("last_page"))
                .and_then(Value::as_u64)
                .unwrap_or(u64::from(n));
            if items.is_empty() || u64::from(n) >= last {
                Ok(Next::Done(Outcome::Listed {
                    aliases: acc,
                    complete: true,
                }))
            } else if n >= MAX_LIST_PAGES {
                Ok(Next::Done(Outcome::Listed {
                    aliases: acc,
                    complete: false,
                }))
            } else {
                Ok(Next::Send(page(c, n + 1), Stage::Page(n + 1, acc)))
            }
        }
        (Op::SetEnabled { id, enabled }, _) => {
            let v = ok_json_for(c, resp, id)?;
            let reported = get_bool(&v, &["data", "active"]).unwrap_or(*enabled);
            Ok(Next::Done(Outcome::StateChanged {
                provider_id: id.clone(),
                enabled: reported,
            }))
        }
        (Op::Delete { id }, _) => {
            ok_json_for(c, resp, id)?;
            Ok(Next::Done(Outcome::Deleted {
                provider_id: id.clone(),
            }))
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

    #[test]
    fn create_request_and_response() {
        let mut cfg = ProviderConfig::new(Provider::Addy, "addy-token");
        cfg.base_url = Some("https://addy.self.example/".into());
        cfg.domain = Some("me.anonaddy.com".into());
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://addy.self.example/api/v1/aliases");
        assert_eq!(r.header("authorization"), Some("Bearer addy-token"));
        assert_eq!(r.header("X-Requested-With"), Some("XMLHttpRequest"));
        assert_eq!(
            body_json(&r),
            serde_json::json!({"domain":"me.anonaddy.com","description":"generated by ImpaleMail for example.co.uk"})
        );
        let out = done(
            &mut f,
            201,
            r#"{"data":{"id":"50c9e585","email":"abc@me.anonaddy.com","active":true}}"#,
        );
        let Outcome::Created { alias } = out.unwrap() else {
            panic!()
        };
        assert_eq!(alias.address, "abc@me.anonaddy.com");
        assert_eq!(alias.provider_id.as_deref(), Some("50c9e585"));
    }

    #[test]
    fn default_domain_and_state_calls() {
        let cfg = ProviderConfig::new(Provider::Addy, "t");
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        assert_eq!(body_json(&request(&mut f, None))["domain"], "anonaddy.me");
        let mut f = Flow::set_enabled(&cfg, "ab-1", false, NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(
            (r.method, r.url.as_str()),
            (
                Method::Delete,
                "https://app.addy.io/api/v1/active-aliases/ab-1"
            )
        );
        assert!(matches!(
            done(&mut f, 204, ""),
            Ok(Outcome::StateChanged { enabled: false, .. })
        ));
        let mut f = Flow::set_enabled(&cfg, "ab-1", true, NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(r.method, Method::Post);
        assert_eq!(body_json(&r), serde_json::json!({"id":"ab-1"}));
        let mut f = Flow::delete(&cfg, "ab-1", NOW).unwrap();
        let _ = request(&mut f, None);
        assert!(matches!(
            done(&mut f, 404, r#"{"message":"Not found"}"#),
            Err(AliasError::NotFound { id, .. }) if id == "ab-1"
        ));
    }
}
