//! SimpleLogin (simple-login/app `docs/api.md`): header `Authentication: <api key>` (not
//! `Authorization`).
//!
//! - create: `POST /api/alias/random/new?hostname=<host>` `{"note"}` -> 201 alias object
//!   (`id`, `email`; older servers `alias`);
//! - list: `GET /api/v2/aliases?page_id=N` -> `{"aliases":[...]}`, 20 per page;
//! - disable/enable: `GET /api/aliases/:id` then, only if needed, `POST
//!   /api/aliases/:id/toggle` -> `{"enabled"}` (toggle is not idempotent, so read first);
//! - delete: `DELETE /api/aliases/:id` -> `{"deleted":true}`.

use super::*;

/// Aliases per page of `GET /api/v2/aliases`.
const PAGE_SIZE: usize = 20;

fn auth(c: &Ctx) -> Option<(&'static str, String)> {
    Some(("Authentication", c.key.expose().to_string()))
}

fn alias_url(c: &Ctx, id: &str) -> Result<String, AliasError> {
    Ok(format!(
        "{}/api/aliases/{}",
        c.base,
        segment(c.provider, id)?
    ))
}

fn page(c: &Ctx, n: u32) -> HttpRequest {
    let url = format!("{}/api/v2/aliases?page_id={n}", c.base);
    json_request(Method::Get, url, auth(c), None)
}

pub(crate) fn start(c: &mut Ctx, op: &Op) -> Result<Next, AliasError> {
    Ok(match op {
        Op::Create(req) => {
            let url = format!(
                "{}/api/alias/random/new?hostname={}",
                c.base,
                percent_encode(&req.hostname)
            );
            let body = serde_json::json!({ "note": note(&req.note) });
            Next::Send(
                json_request(Method::Post, url, auth(c), Some(body)),
                Stage::Call,
            )
        }
        Op::List => Next::Send(page(c, 0), Stage::Page(0, Vec::new())),
        Op::SetEnabled { id, .. } => Next::Send(
            json_request(Method::Get, alias_url(c, id)?, auth(c), None),
            Stage::Lookup,
        ),
        Op::Delete { id } => Next::Send(
            json_request(Method::Delete, alias_url(c, id)?, auth(c), None),
            Stage::Call,
        ),
        _ => {
            return Err(AliasError::Unsupported {
                provider: c.provider,
                operation: Operation::ReadInbox,
            })
        }
    })
}

fn parse_alias(c: &Ctx, v: &Value) -> Result<RemoteAlias, AliasError> {
    let address = get_str(v, &["email"])
        .or_else(|| get_str(v, &["alias"]))
        .ok_or_else(|| missing(c, "`email` (string)"))?;
    Ok(RemoteAlias {
        address,
        provider: c.provider,
        provider_id: get_str(v, &["id"]),
        enabled: get_bool(v, &["enabled"]).unwrap_or(true),
        note: opt_str(v, "note"),
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
        (Op::Create(req), _) => {
            let v = ok_json(c, resp)?;
            let mut alias = parse_alias(c, &v)?;
            alias.site = Some(req.site.clone());
            Ok(Next::Done(Outcome::Created { alias }))
        }
        (Op::List, Stage::Page(n, mut acc)) => {
            let v = ok_json(c, resp)?;
            let items = v
                .get("aliases")
                .and_then(Value::as_array)
                .ok_or_else(|| missing(c, "`aliases` (array)"))?;
            for item in items {
                acc.push(parse_alias(c, item)?);
            }
            if items.len() < PAGE_SIZE {
                Ok(Next::Done(Outcome::Listed {
                    aliases: acc,
                    complete: true,
                }))
            } else if n + 1 >= MAX_LIST_PAGES {
                Ok(Next::Done(Outcome::Listed {
                    aliases: acc,
                    complete: false,
                }))
            } else {
                Ok(Next::Send(page(c, n + 1), Stage::Page(n + 1, acc)))
            }
        }
        (Op::SetEnabled { id, enabled }, Stage::Lookup) => {
            let v = ok_json_for(c, resp, id)?;
            let now = get_bool(&v, &["enabled"]).ok_or_else(|| missing(c, "`enabled` (bool)"))?;
            if now == *enabled {
                return Ok(Next::Done(Outcome::StateChanged {
                    provider_id: id.clone(),
                    enabled: now,
                }));
            }
            let url = format!("{}/toggle", alias_url(c, id)?);
            Ok(Next::Send(
                json_request(Method::Post, url, auth(c), None),
                Stage::Toggle,
            ))
        }
        (Op::SetEnabled { id, .. }, _) => {
            let v = ok_json_for(c, resp, id)?;
            let enabled =
                get_bool(&v, &["enabled"]).ok_or_else(|| missing(c, "`enabled` (bool)"))?;
            Ok(Next::Done(Outcome::StateChanged {
                provider_id: id.clone(),
                enabled,
            }))
        }
        (Op::Delete { id }, _) => {
            let v = ok_json_for(c, resp, id)?;
            if get_bool(&v, &["deleted"]) == Some(false) {
                return Err(missing(c, "`deleted: true`"));
            }
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn create_request_and_response() {
        let cfg = ProviderConfig::new(Provider::SimpleLogin, "sl-key");
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://app.simplelogin.io/api/alias/random/new?hostname=login.example.co.uk"
        );
        assert_eq!(r.header("Authentication"), Some("sl-key"));
        assert_eq!(r.header("Authorization"), None);
        assert_eq!(
            body_json(&r),
            serde_json::json!({"note": "generated by ImpaleMail for example.co.uk"})
        );
        let out = done(
            &mut f,
            201,
            r#"{"id":42,"email":"x.y@sl.local","enabled":true}"#,
        );
        let Outcome::Created { alias } = out.unwrap() else {
            panic!()
        };
        assert_eq!(alias.address, "x.y@sl.local");
        assert_eq!(alias.provider_id.as_deref(), Some("42"));
        assert_eq!(alias.site.as_deref(), Some("example.co.uk"));
    }

    #[test]
    fn plan_limit_message_is_recognized() {
        let cfg = ProviderConfig::new(Provider::SimpleLogin, "sl-key");
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let _ = request(&mut f, None);
        let e = done(
            &mut f,
            400,
            r#"{"error":"You have reached the limitation of a free account, please upgrade"}"#,
        )
        .unwrap_err();
        assert!(
            matches!(e, AliasError::PlanLimit { status: 400, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn disable_reads_then_toggles_only_when_needed() {
        let cfg = ProviderConfig::new(Provider::SimpleLogin, "sl-key");
        let mut f = Flow::set_enabled(&cfg, "7", false, NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Get, "https://app.simplelogin.io/api/aliases/7")
        );
        let r = request(
            &mut f,
            Some(HttpResponse::new(200, r#"{"id":7,"enabled":true}"#)),
        );
        assert_eq!(r.method, Method::Post);
        assert!(r.url.ends_with("/api/aliases/7/toggle"));
        let out = done(&mut f, 200, r#"{"enabled":false}"#).unwrap();
        assert_eq!(
            out,
            Outcome::StateChanged {
                provider_id: "7".into(),
                enabled: false
            }
        );
        // Already disabled: no toggle.
        let mut f = Flow::set_enabled(&cfg, "7", false, NOW).unwrap();
        let _ = request(&mut f, None);
        assert!(done(&mut f, 200, r#"{"id":7,"enabled":false}"#).is_ok());
    }

    #[test]
    fn list_pages_until_a_short_page() {
        let cfg = ProviderConfig::new(Provider::SimpleLogin, "sl-key");
        let mut f = Flow::list(&cfg, NOW).unwrap();
        let r = request(&mut f, None);
        assert!(r.url.ends_with("/api/v2/aliases?page_id=0"));
        let full: Vec<String> = (0..20)
            .map(|i| format!(r#"{{"id":{i},"email":"a{i}@sl.local","enabled":true}}"#))
            .collect();
        let r = request(
            &mut f,
            Some(HttpResponse::new(
                200,
                format!(r#"{{"aliases":[{}]}}"#, full.join(",")),
            )),
        );
        assert!(r.url.ends_with("page_id=1"));
        let out = done(
            &mut f,
            200,
            r#"{"aliases":[{"id":99,"email":"z@sl.local","enabled":false}]}"#,
        );
        let Outcome::Listed { aliases, complete } = out.unwrap() else {
            panic!()
        };
        assert_eq!(aliases.len(), 21);
        assert!(complete);
        assert!(!aliases[20].enabled);
    }
}
