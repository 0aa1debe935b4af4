//! The diagnosis against the simulator's ground truth: for each of the twelve causes alone, the
//! mixes, and healthy traffic, in both presets, the top cause is right and every cause holding
//! at least 10 % of the failures is listed with its count within 5 % of the truth.

use faultline::diagnose::{rank, Diagnosis};
use faultline::logs::local::{summarise, Options};
use faultline::logs::reader;
use faultline_sim::{self as sim, Preset, Scenario, Truth};

fn run(scenario: &Scenario, preset: Preset) -> (Truth, Diagnosis) {
    let mut bytes = Vec::new();
    let truth = match sim::generate(scenario, preset, &mut bytes) {
        Ok(t) => t,
        Err(e) => panic!("{}: {e}", scenario.name),
    };
    let k = crate::shared::knowledge();
    let opts = Options::new(k.thresholds.streaming.non_streaming_token_limit, 2);
    let source = match reader::wrap(scenario.name.clone(), Box::new(std::io::Cursor::new(bytes))) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let outcome = match summarise(source, &opts) {
        Ok(o) => o,
        Err(e) => panic!("{}: {e}", scenario.name),
    };
    assert_eq!(outcome.summary.skipped.count, 0, "{}: skipped lines {:?}", scenario.name, outcome.first_errors);
    let expected = match preset {
        Preset::Faultline => "faultline",
        Preset::Ecs => "ecs",
    };
    assert_eq!(outcome.summary.schema, expected, "{}: schema auto-detection", scenario.name);
    (truth, rank::diagnose(&outcome.summary, k))
}

/// Checks one scenario; returns a description of what is wrong.
fn check(scenario: &Scenario, preset: Preset) -> Vec<String> {
    let (truth, d) = run(scenario, preset);
    let mut problems = Vec::new();
    let label = format!("{} [{}]", scenario.name, preset.as_str());
    if truth.failures != d.failures || truth.total_requests != d.total_requests {
        problems.push(format!(
            "{label}: read {} requests / {} failures, truth {} / {}",
            d.total_requests, d.failures, truth.total_requests, truth.failures
        ));
    }
    let found: Vec<(String, u64)> = d.causes.iter().map(|c| (c.id.clone(), c.failures)).collect();
    if truth.failures == 0 {
        if !d.causes.is_empty() {
            problems.push(format!("{label}: healthy traffic but causes {found:?}"));
        }
        return problems;
    }
    let top_truth = truth.by_cause.iter().max_by_key(|(_, n)| **n).map(|(c, _)| c.clone()).unwrap_or_default();
    if d.causes.first().map(|c| c.id.as_str()) != Some(top_truth.as_str()) {
        problems.push(format!(
            "{label}: top cause {:?}, truth {top_truth}; found {found:?}, truth {:?}",
            d.causes.first().map(|c| &c.id),
            truth.by_cause
        ));
    }
    for (cause, n) in &truth.by_cause {
        if (*n as f64) < 0.10 * truth.failures as f64 {
            continue;
        }
        let got = d.causes.iter().find(|c| &c.id == cause).map_or(0, |c| c.failures);
        let err = (got as f64 - *n as f64).abs() / *n as f64;
        if err > 0.05 {
            problems.push(format!(
                "{label}: {cause} {got} vs truth {n}; found {found:?}, unexplained {:?}",
                d.unexplained.by_status
            ));
        }
    }
    problems
}

fn check_all(filter: impl Fn(&Scenario) -> bool) {
    let mut problems = Vec::new();
    for scenario in sim::catalogue().into_iter().filter(|s| filter(s)) {
        for preset in [Preset::Faultline, Preset::Ecs] {
            problems.extend(check(&scenario, preset));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn healthy_traffic_gives_no_cause() {
    check_all(|s| s.name == "healthy");
}

#[test]
fn each_cause_alone_is_found_with_its_count() {
    check_all(|s| s.name.starts_with("cause:"));
}

#[test]
fn mixes_rank_the_top_cause_and_count_each_major_one() {
    check_all(|s| s.name.starts_with("mix:"));
}

#[test]
fn the_bundled_incident_is_diagnosed() {
    let Some(s) = sim::scenario("incident") else { panic!("no incident scenario") };
    let problems = check(&s, Preset::Faultline);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
