//! The credential (layer 2, validation): the key's bytes, its history, the environment that
//! loads it. What they share: reading a key's sampled answers.

pub mod env_override;
pub mod key_format;
pub mod key_revoked;

use super::reading::Facts;
use crate::diagnose::summary::normalise_message;
use crate::knowledge::Signature;

/// The first answer among a key's sampled 401s that matches a signature of `cause`, with the
/// normalised message.
pub fn key_answer<'a>(f: &Facts<'a>, samples: &[usize], cause: &str) -> Option<(&'a Signature, String)> {
    samples.iter().find_map(|&i| {
        let m = normalise_message(f.sample(i).error_message.as_deref()?);
        f.signature(&m, cause).map(|sig| (sig, m))
    })
}
