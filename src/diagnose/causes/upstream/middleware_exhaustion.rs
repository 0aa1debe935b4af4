//! upstream.middleware_exhaustion: our own gateway ran out of upstream connections, CPU or
//! memory (502/503).
//!
//! For: a forwarder tag of middleware origin, less the failures that carry a network error;
//! a proxy's own wording (Envoy `no healthy upstream`, its overflow, nginx's 502 page, Kong's
//! upstream errors), weakly: it says a proxy answered, not whose.

use super::super::reading::Facts;
use super::super::{Assessment, Detector};
use super::origin_claims;
use crate::knowledge::Origin;

pub const ID: &str = "upstream.middleware_exhaustion";
pub const DETECTOR: Detector = Detector { id: ID, assess };

pub fn assess(f: &Facts<'_>) -> Assessment {
    let mut a = Assessment::new(ID);
    origin_claims(f, &mut a, ID, Origin::Middleware);
    let statuses = f.statuses(ID);
    a.finish(|| {
        if f.failing(&statuses) == 0 {
            "no 502/503 failures".into()
        } else {
            "no 502/503 carries a middleware-origin tag or a proxy's own error body".into()
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
    fn found_from_a_middleware_tag() {
        let mut s = summary(900, &[(502, 50), (503, 40)], &["forwarder_tag"]);
        s.by_forwarder_tag.top =
            vec![Bucket { value: "envoy-gw-1".into(), by_status: counts(&[(502, 50), (503, 40)]) }];
        assert_eq!(claimed(ID, &s), counts(&[(502, 50), (503, 40)]));
        assert_eq!(strength(ID, &s), Some(Strength::Strong));
    }

    #[test]
    fn found_weakly_from_a_proxy_s_page_without_a_tag() {
        let mut s = summary(900, &[(502, 30)], &[]);
        message(&mut s, "<html><head><title>502 Bad Gateway</title></head></html>", &[(502, 30)]);
        assert_eq!(claimed(ID, &s), counts(&[(502, 30)]));
        assert_eq!(strength(ID, &s), Some(Strength::Weak));
    }

    #[test]
    fn resets_under_a_gateway_tag_do_not_trigger() {
        let mut s = summary(900, &[(503, 40)], &["forwarder_tag", "network_error"]);
        s.by_forwarder_tag.top = vec![Bucket { value: "envoy-egress".into(), by_status: counts(&[(503, 40)]) }];
        s.network_errors.by_forwarder_tag.top =
            vec![Bucket { value: "envoy-egress".into(), by_status: counts(&[(503, 40)]) }];
        assert!(claimed(ID, &s).is_empty());
    }
}
