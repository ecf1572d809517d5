//! Forward Email (forwardemail.net/email-api): HTTP Basic auth with the API token as the
//! user name and an empty password, `Authorization: Basic base64("<token>:")` (RFC 7617).
//! Aliases live on the user's domain, a required setting.
//!
//! - create: `POST /v1/domains/{domain}/aliases` `{"labels","description","is_enabled"}`
//!   (no `name`: the server picks a random one) -> `{id, name, domain:{name}, is_enabled}`;
//! - list: `GET /v1/domains/{domain}/aliases?page=N&limit=50`, pages from `X-Page-Count`;
//! - disable/enable: `PUT /v1/domains/{domain}/aliases/{id}` `{"is_enabled"}`;
//! - delete: `DELETE /v1/domains/{domain}/aliases/{id}`.

use super::*;
use base64::Engine as _;

/// Aliases per page asked for.
const PAGE_SIZE: u32 = 50;

fn req(c: &Ctx, method: Method, url: String, body: Option<Value>) -> HttpRequest {
    let creds = base64::engine::general_purpose::STANDARD.encode(format!("{}:", c.key.expose()));
    json_request(
        method,
        url,
        Some(("Authorization", format!("Basic {creds}"))),
        body,
    )
}

fn aliases_url(c: &Ctx) -> Result<String, AliasError> {
    let domain = c.domain.as_deref().ok_or(AliasError::MissingSetting {
        provider: c.provider,
        setting: "the domain your aliases live on",
    })?;
    Ok(format!(
        "{}/v1/domains/{}/aliases",
        c.base,
        percent_encode(domain)
    ))
}

fn page(c: &Ctx, n: u32) -> Result<HttpRequest, AliasError> {
    let url = format!("{}?page={n}&limit={PAGE_SIZE}", aliases_url(c)?);
    Ok(req(c, Method::Get, url, None))
}

pub(crate) fn start(c: &mut Ctx, op: &Op) -> Result<Next, AliasError> {
    let item = |c: &Ctx, id: &str| -> Result<String, AliasError> {
        Ok(format!("{}/{}", aliases_url(c)?, segment(c.provider, id)?))
    };
    Ok(match op {
        Op::Create(r) => {
            let body = serde_json::json!({
                "labels": [r.site],
                "description": note(&r.note),
                "is_enabled": true,
            });
            Next::Send(
                req(c, Method::Post, aliases_url(c)?, Some(body)),
                Stage::Call,
            )
        }
        Op::List => Next::Send(page(c, 1)?, Stage::Page(1, Vec::new())),
        Op::SetEnabled { id, enabled } => {
            let body = serde_json::json!({ "is_enabled": enabled });
            Next::Send(req(c, Method::Put, item(c, id)?, Some(body)), Stage::Call)
        }
        Op::Delete { id } => Next::Send(req(c, Method::Delete, item(c, id)?, None), Stage::Call),
        _ => {
            return Err(AliasError::Unsupported {
                provider: c.provider,
                operation: Operation::ReadInbox,
            })
        }
    })
}

fn parse_alias(c: &Ctx, v: &Value) -> Result<RemoteAlias, AliasError> {
    let name = get_str(v, &["name"]).ok_or_else(|| missing(c, "`name` (string)"))?;
    let domain = get_str(v, &["domain", "name"])
        .or_else(|| c.domain.clone())
        .ok_or_else(|| missing(c, "`domain.name` (string)"))?;
    let site = v
        .get("labels")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(RemoteAlias {
        address: format!("{name}@{domain}"),
        provider: c.provider,
        provider_id: get_str(v, &["id"]),
        enabled: get_bool(v, &["is_enabled"]).unwrap_or(true),
        note: opt_str(v, "description"),
        site,
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
            let mut alias = parse_alias(c, &v)?;
            alias.site = Some(r.site.clone());
            Ok(Next::Done(Outcome::Created { alias }))
        }
        (Op::List, Stage::Page(n, mut acc)) => {
            let v = ok_json(c, resp)?;
            let items = v
                .as_array()
                .ok_or_else(|| missing(c, "the list of aliases (array)"))?;
            for item in items {
                acc.push(parse_alias(c, item)?);
            }
            let pages = resp
                .header("x-page-count")
                .and_then(|p| p.trim().parse::<u32>().ok())
                .unwrap_or(n);
            if items.is_empty() || n >= pages {
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
                Ok(Next::Send(page(c, n + 1)?, Stage::Page(n + 1, acc)))
            }
        }
        (Op::SetEnabled { id, enabled }, _) => {
            let v = ok_json_for(c, resp, id)?;
            Ok(Next::Done(Outcome::StateChanged {
                provider_id: id.clone(),
                enabled: get_bool(&v, &["is_enabled"]).unwrap_or(*enabled),
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
    fn create_uses_basic_auth_with_a_colon() {
        let mut cfg = ProviderConfig::new(Provider::ForwardEmail, "fe-token");
        cfg.domain = Some("Mine.Example".into());
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://api.forwardemail.net/v1/domains/mine.example/aliases"
        );
        // base64("fe-token:")
        assert_eq!(r.header("Authorization"), Some("Basic ZmUtdG9rZW46"));
        assert_eq!(
            body_json(&r),
            serde_json::json!({"labels":["example.co.uk"],"description":"generated by ImpaleMail for example.co.uk","is_enabled":true})
        );
        let out = done(
            &mut f,
            200,
            r#"{"id":"fe1","name":"r4nd0m","domain":{"name":"mine.example"},"is_enabled":true}"#,
        );
        let Outcome::Created { alias } = out.unwrap() else {
            panic!()
        };
        assert_eq!(alias.address, "r4nd0m@mine.example");
    }

    #[test]
    fn list_follows_page_count() {
        let mut cfg = ProviderConfig::new(Provider::ForwardEmail, "fe-token");
        cfg.domain = Some("mine.example".into());
        let mut f = Flow::list(&cfg, NOW).unwrap();
        let r = request(&mut f, None);
        assert!(r.url.ends_with("/aliases?page=1&limit=50"), "{}", r.url);
        let mut resp = HttpResponse::new(200, r#"[{"id":"1","name":"a"}]"#);
        resp.headers.push(("X-Page-Count".into(), "2".into()));
        let r = request(&mut f, Some(resp));
        assert!(r.url.ends_with("page=2&limit=50"));
        let Outcome::Listed { aliases, complete } =
            done(&mut f, 200, r#"[{"id":"2","name":"b","is_enabled":false}]"#).unwrap()
        else {
            panic!()
        };
        assert!(complete);
        assert_eq!(aliases[1].address, "b@mine.example");
    }
}
