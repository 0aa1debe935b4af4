//! Upstream (layer 4): for 5xx, the provider, the gateway, a long non-streaming request, or the
//! network. What the provider and the gateway share: who answered, from the forwarder tag and
//! from the error body.
//!
//! A forwarder tag names a component; an error body names who wrote it. The provider's own error
//! (`overloaded_error`, `Overloaded`, `api_error`) is decisive whoever forwarded it (a gateway
//! passing the provider's 529 through is still the provider's 529). A tag outweighs a proxy's
//! wording (Envoy's `no healthy upstream`, nginx's 502 page), which says *a* proxy answered, not
//! whose: the provider's edge speaks Envoy too. Failures carrying a network error are the
//! network's, never a tag's.

pub mod middleware_exhaustion;
pub mod network_loss;
pub mod provider_overload;
pub mod timeout_non_streaming;

use std::collections::BTreeMap;

use super::reading::{join_statuses, n, shorten, statuses_text, Facts};
use super::{Assessment, Claim, Item, Kind, Strength, Unit};
use crate::diagnose::model::Confidence;
use crate::diagnose::summary::StatusCounts;
use crate::knowledge::Origin;

/// Whether the log told who answered (a hop of `provider` or `gateway`) for some records: the
/// hop then decides ahead of forwarder tags, which are read only for the records without one.
pub fn has_hop(s: &crate::diagnose::summary::Summary) -> bool {
    s.by_hop.top.iter().any(|b| b.value != "network" && b.requests() > 0)
}

/// Claims of `cause` (provider or middleware origin), one per status: the failures the log
/// records as answered by that hop, plus those under the forwarder tags of that origin (less
/// their network errors; only records without a hop when the log records hops), or those whose
/// body matches one of the cause's signatures, whichever is more (they mostly name the same
/// failures), with both as evidence.
pub fn origin_claims(f: &Facts<'_>, a: &mut Assessment, cause: &str, origin: Origin) {
    let statuses = f.statuses(cause);
    let word = if origin == Origin::Provider { "provider" } else { "middleware" };
    let hop_value = if origin == Origin::Provider { "provider" } else { "gateway" };
    let hop_known = has_hop(f.s);
    let pick = |m: &StatusCounts| -> StatusCounts {
        statuses.iter().filter_map(|st| m.get(st).filter(|c| **c > 0).map(|c| (*st, *c))).collect()
    };
    let hop: StatusCounts = if hop_known {
        f.s.by_hop.get(hop_value).map(|b| pick(&b.by_status)).unwrap_or_default()
    } else {
        StatusCounts::new()
    };
    let hop_item = (!hop.is_empty()).then(|| {
        Item::new(
            Kind::Origin,
            Strength::Strong,
            format!(
                "{} × {} answered by the {hop_value} itself, as the log records it ({word} origin)",
                n(hop.values().sum()),
                join_statuses(&hop.keys().copied().collect::<Vec<_>>())
            ),
        )
    });
    // Per tag of this origin: its failures of the cause's statuses.
    let tag_breakdown = if hop_known { &f.s.by_forwarder_tag_without_hop } else { &f.s.by_forwarder_tag };
    let mut tags: Vec<(&str, StatusCounts)> = Vec::new();
    for b in &tag_breakdown.top {
        if f.tag_origin(&b.value) != Some(origin) {
            continue;
        }
        // With hops, the network's records carry the hop `network`: none is among these.
        let net = f.s.network_errors.by_forwarder_tag.get(&b.value).filter(|_| !hop_known);
        let counts: StatusCounts = statuses
            .iter()
            .filter_map(|st| {
                let c = b.by_status.get(st).copied().unwrap_or(0);
                let c = c.saturating_sub(net.and_then(|x| x.by_status.get(st)).copied().unwrap_or(0));
                (c > 0).then_some((*st, c))
            })
            .collect();
        if !counts.is_empty() {
            tags.push((&b.value, counts));
        }
    }
    // Per signature of the cause: the failures whose body matches it.
    let mut words: BTreeMap<&str, (Strength, StatusCounts, &str)> = BTreeMap::new();
    for &st in &statuses {
        for (message, count) in f.message_groups(st) {
            if let Some(sig) = f.signature(message, cause) {
                let e = words.entry(sig.def.id.as_str()).or_insert((sig.def.strength, StatusCounts::new(), message));
                *e.1.entry(st).or_insert(0) += count;
            }
        }
    }
    let tag_items: Vec<(Item, &StatusCounts)> = tags
        .iter()
        .map(|(tag, counts)| {
            let item = Item::new(
                Kind::Origin,
                Strength::Strong,
                format!(
                    "{} × {} tagged `{tag}` ({word} origin)",
                    n(counts.values().sum()),
                    join_statuses(&counts.keys().copied().collect::<Vec<_>>())
                ),
            );
            (item, counts)
        })
        .collect();
    let word_items: Vec<(Item, &StatusCounts)> = words
        .iter()
        .map(|(id, (strength, counts, example))| {
            let item = Item::new(
                Kind::ApiWording,
                *strength,
                format!("{} answered \"{}\" (`{id}`)", statuses_text(counts), shorten(example)),
            );
            (item, counts)
        })
        .collect();
    for &st in &statuses {
        let answered = hop.get(&st).copied().unwrap_or(0);
        let tagged: u64 = tags.iter().filter_map(|(_, c)| c.get(&st)).sum::<u64>() + answered;
        let worded: u64 = words.values().filter_map(|(_, c, _)| c.get(&st)).sum();
        let count = tagged.max(worded);
        if count == 0 {
            continue;
        }
        let mut claim = Claim::new(Unit::Other, Confidence::High);
        if answered > 0 {
            claim.evidence.extend(hop_item.clone());
        }
        for (item, counts) in tag_items.iter().chain(&word_items) {
            if counts.contains_key(&st) {
                claim.evidence.push(item.clone());
            }
        }
        if claim.strength() < Strength::Strong {
            claim.confidence = Confidence::Medium;
        }
        claim.add(st, count);
        claim.span(f.span_of(&[st]));
        let ids = f.ids((0..f.s.samples.len()).filter(|&i| {
            let x = f.sample(i);
            x.status == st
                && (x.hop.as_deref() == Some(hop_value) && answered > 0
                    || x.forwarder_tag.as_deref().is_some_and(|t| tags.iter().any(|(tag, _)| tag == &t))
                    || x.error_message
                        .as_deref()
                        .is_some_and(|m| f.signature(&crate::diagnose::summary::normalise_message(m), cause).is_some()))
        }));
        claim.samples = ids;
        a.claims.push(claim);
    }
    let lines: Vec<String> = tags.iter().map(|(tag, c)| format!("`{tag}`: {}", statuses_text(c))).collect();
    if !lines.is_empty() {
        a.checked.push(format!("forwarder tags of {word} origin on 5xx: {}", lines.join("; ")));
    }
    if !hop.is_empty() {
        a.checked.push(format!("answered by the {hop_value} (the log's hop): {}", statuses_text(&hop)));
    }
    if !f.s.has_field("forwarder_tag") && !hop_known && f.failing(&statuses) > 0 {
        a.limited_by.push(
            "no `forwarder_tag` field: provider and middleware answers are told apart by their error bodies only"
                .into(),
        );
        if !f.s.has_field("error_message") && a.claims.is_empty() {
            a.not_found = Some(super::NotFound::Unchecked(
                "no `forwarder_tag` or `error_message` field: who answered cannot be told".into(),
            ));
        }
    }
}
