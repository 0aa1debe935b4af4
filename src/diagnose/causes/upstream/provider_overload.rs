//! upstream.provider_overload: the provider is overloaded or failing (500/503/529).
//!
//! For: the provider's own error body (`overloaded_error`, `Overloaded` anywhere in the text,
//! `api_error`; Bedrock's `Too many connections`), decisive whoever forwarded it; a forwarder
//! tag of provider origin (`rules/signatures.toml [forwarder]`), less the failures that carry a
//! network error.

use super::super::reading::Facts;
use super::super::{Assessment, Detector};
use super::origin_claims;
use crate::knowledge::Origin;

pub const ID: &str = "upstream.provider_overload";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    origin_claims(f, &mut a, ID, Origin::Provider);
    let statuses = f.statuses(ID);
    a.finish(|| {
        if f.failing(&statuses) == 0 {
            "no 500/503/529 failures".into()
        } else {
            "no 5xx carries the provider's error body or a provider-origin tag".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::reading::tests::*;
    use super::super::super::Strength;
    use super::*;
    use crate::diagnose::summary::Bucket;

    #[test]
    fn found_from_the_body_under_a_gateway_tag() {
        let mut s = summary(900, &[(529, 100)], &["forwarder_tag"]);
        s.by_forwarder_tag.top =
            vec![Bucket { value: "ai-gateway".into(), by_status: counts(&[(200, 900), (529, 100)]) }];
        message(
            &mut s,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            &[(529, 100)],
        );
        assert_eq!(claimed(ID, &s), counts(&[(529, 100)]));
        assert_eq!(strength(ID, &s), Some(Strength::Decisive));
    }

    #[test]
    fn found_from_litellm_s_older_wording() {
        let mut s = summary(900, &[(500, 30)], &[]);
        message(
            &mut s,
            "litellm.InternalServerError: AnthropicException - Overloaded. Handle with `litellm.InternalServerError`.",
            &[(500, 30)],
        );
        assert_eq!(claimed(ID, &s), counts(&[(500, 30)]));
    }

    #[test]
    fn found_from_the_tag_less_network_errors() {
        let mut s = summary(700, &[(503, 80), (529, 30)], &["forwarder_tag", "network_error"]);
        s.by_forwarder_tag.top =
            vec![Bucket { value: "anthropic-origin".into(), by_status: counts(&[(200, 700), (503, 80), (529, 30)]) }];
        s.network_errors.by_forwarder_tag.top =
            vec![Bucket { value: "anthropic-origin".into(), by_status: counts(&[(503, 10)]) }];
        assert_eq!(claimed(ID, &s), counts(&[(503, 70), (529, 30)]));
    }

    #[test]
    fn a_hop_decides_ahead_of_the_tag() {
        let mut s = summary(900, &[(503, 60), (529, 20)], &["forwarder_tag"]);
        // Every record tagged by the gateway that logs them; the log says who answered.
        s.by_forwarder_tag.top =
            vec![Bucket { value: "envoy-gw".into(), by_status: counts(&[(200, 900), (503, 60), (529, 20)]) }];
        s.by_hop.top = vec![
            Bucket { value: "provider".into(), by_status: counts(&[(200, 900), (529, 20), (503, 15)]) },
            Bucket { value: "gateway".into(), by_status: counts(&[(503, 45)]) },
        ];
        assert_eq!(claimed(ID, &s), counts(&[(503, 15), (529, 20)]));
        assert_eq!(claimed("upstream.middleware_exhaustion", &s), counts(&[(503, 45)]));
    }

    #[test]
    fn a_gateway_s_own_answer_does_not_trigger() {
        let mut s = summary(900, &[(503, 60)], &["forwarder_tag"]);
        s.by_forwarder_tag.top =
            vec![Bucket { value: "upstream-gw".into(), by_status: counts(&[(200, 900), (503, 60)]) }];
        message(&mut s, "no healthy upstream", &[(503, 60)]);
        assert!(claimed(ID, &s).is_empty());
    }
}
