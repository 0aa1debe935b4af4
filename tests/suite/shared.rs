//! Fixtures every test module may share, built once per test binary: the embedded knowledge base
//! (loading it compiles its patterns, tens of milliseconds in a debug build, and many tests want
//! it) and the logs of the named simulator scenarios that several tests read (the walk, watch
//! and terminal tests all start from `incident` or `healthy`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use faultline::knowledge::Knowledge;
use faultline_sim::Preset;

/// The embedded knowledge base (`rules/*.toml`), loaded on first use.
pub fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| Knowledge::embedded().unwrap_or_else(|e| panic!("the embedded knowledge base: {e}")))
}

type Logs = Mutex<BTreeMap<(String, &'static str), Arc<OnceLock<Arc<Vec<u8>>>>>>;

/// The log of the named scenario (`faultline_sim::scenario(name)`) in `preset`, generated on
/// first use; two tests asking for the same one at once wait for the same generation.
pub fn sim_log(name: &str, preset: Preset) -> Arc<Vec<u8>> {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    let slot = {
        let mut logs = LOGS.get_or_init(Logs::default).lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(logs.entry((name.to_string(), preset.as_str())).or_default())
    };
    let log = slot.get_or_init(|| {
        let s = faultline_sim::scenario(name).unwrap_or_else(|| panic!("no scenario {name}"));
        let mut bytes = Vec::new();
        faultline_sim::generate(&s, preset, &mut bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        Arc::new(bytes)
    });
    Arc::clone(log)
}
