//! DuckDuckGo Email Protection (the DuckDuckGo extension and Bitwarden's forwarder):
//! `POST /api/email/addresses` with `Authorization: Bearer <token>` and no body ->
//! `{"address":"<local>"}`; the alias is `<local>@duck.com`. No public list, disable or
//! delete call exists, so [`Capabilities`] says create only.

use super::*;

/// The domain DuckDuckGo addresses live on.
const DUCK_DOMAIN: &str = "duck.com";

pub(crate) fn start(c: &mut Ctx, op: &Op) -> Result<Next, AliasError> {
    match op {
        Op::Create(_) => {
            let auth = Some(("Authorization", format!("Bearer {}", c.key.expose())));
            let url = format!("{}/api/email/addresses", c.base);
            Ok(Next::Send(
                json_request(Method::Post, url, auth, None),
                Stage::Call,
            ))
        }
        _ => Err(AliasError::Unsupported {
            provider: c.provider,
            operation: Operation::List,
        }),
    }
}

pub(crate) fn step(
    c: &mut Ctx,
    op: &Op,
    _stage: Stage,
    resp: &HttpResponse,
) -> Result<Next, AliasError> {
    let Op::Create(r) = op else {
        return Err(AliasError::FlowMisuse {
            provider: c.provider,
            reason: "unexpected operation",
        });
    };
    let v = ok_json(c, resp)?;
    let local = get_str(&v, &["address"]).ok_or_else(|| missing(c, "`address` (string)"))?;
    let address = if local.contains('@') {
        local
    } else {
        format!("{local}@{DUCK_DOMAIN}")
    };
    generators::validate_address(&address).map_err(|_| AliasError::Malformed {
        provider: c.provider,
        what: "`address` is not an e-mail address".into(),
    })?;
    Ok(Next::Done(Outcome::Created {
        alias: RemoteAlias {
            address,
            provider: c.provider,
            provider_id: None,
            enabled: true,
            note: None,
            site: Some(r.site.clone()),
        },
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn create_request_and_response() {
        let cfg = ProviderConfig::new(Provider::DuckDuckGo, "ddg-token");
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let r = request(&mut f, None);
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://quack.duckduckgo.com/api/email/addresses");
        assert_eq!(r.header("Authorization"), Some("Bearer ddg-token"));
        assert_eq!(r.body, None);
        let out = done(&mut f, 201, r#"{"address":"quiet-otter-lamp"}"#).unwrap();
        let Outcome::Created { alias } = out else {
            panic!()
        };
        assert_eq!(alias.address, "quiet-otter-lamp@duck.com");
        let mut f = Flow::create(&cfg, &create_req(), NOW).unwrap();
        let _ = request(&mut f, None);
        assert!(matches!(
            done(&mut f, 201, r#"{"address":"bad address"}"#),
            Err(AliasError::Malformed { .. })
        ));
    }
}
