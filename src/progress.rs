//! Progress on stderr (indicatif): a bar while a large file is read (bytes of total, records/s,
//! skipped lines) and a spinner while the cluster answers. Callers draw only when
//! `RunContext::progress_allowed` says so; nothing here ever touches stdout. The bar knows no
//! backend: the command hands it the byte count and a function that reads the record counts.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Files smaller than this are read too fast for a bar to help (it would only flicker).
pub const MIN_FILE_BYTES: u64 = 4 << 20;

/// How often the bar takes the counters' values.
const TICK: Duration = Duration::from_millis(100);

/// The bar shown while a file (or stdin) is read; cleared when dropped.
pub struct ReadProgress {
    bar: ProgressBar,
    stop: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

/// `(records, skipped)`: what the reader has parsed so far, asked on every redraw.
fn records_text((records, skipped): (u64, u64), state: &ProgressState) -> String {
    let secs = state.elapsed().as_secs_f64().max(0.001);
    let rate = (records as f64 / secs).round() as u64;
    let mut text =
        format!("{} records, {}/s", crate::report::diagnosis::fmt_n(records), crate::report::diagnosis::fmt_n(rate));
    if skipped > 0 {
        text.push_str(&format!(", {} skipped", crate::report::diagnosis::fmt_n(skipped)));
    }
    text
}

impl ReadProgress {
    /// Starts drawing: `bytes` is what the reader has consumed, `total` the file size (a
    /// spinner when unknown), `counts` what the workers have parsed: `(records, skipped)`.
    pub fn start(
        name: &str,
        total: Option<u64>,
        bytes: Arc<AtomicU64>,
        counts: impl Fn() -> (u64, u64) + Send + Sync + 'static,
    ) -> ReadProgress {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = if total.is_some() {
            "{prefix} {bar:30} {bytes}/{total_bytes} · {records} · {eta} left"
        } else {
            "{spinner} {prefix} {bytes} · {records}"
        };
        // A style key must be Clone (indicatif clones styles).
        let counts = Arc::new(counts);
        let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()).with_key(
            "records",
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&records_text(counts(), state));
            },
        );
        bar.set_style(style);
        bar.set_prefix(format!("reading {name}"));
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (bar, stop) = (bar.clone(), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        bar.set_position(bytes.load(Ordering::Relaxed));
                        std::thread::sleep(TICK);
                    }
                })
                .ok()
        };
        ReadProgress { bar, stop, ticker }
    }
}

impl Drop for ReadProgress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

/// A spinner with a message (waiting on the cluster); cleared when dropped.
pub struct Spinner(ProgressBar);

impl Spinner {
    pub fn start(message: String) -> Spinner {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message);
        bar.enable_steady_tick(TICK);
        Spinner(bar)
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_text_reports_rate_and_skips() {
        let state_bar = ProgressBar::hidden();
        // ProgressState is only reachable through a style key; render one to read it.
        let seen = Arc::new(std::sync::Mutex::new(String::new()));
        let s = Arc::clone(&seen);
        let style = ProgressStyle::with_template("{records}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("records", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let text = records_text((12_345, 0), state);
                if let Ok(mut g) = s.lock() {
                    *g = text.clone();
                }
                let _ = w.write_str(&text);
            });
        state_bar.set_style(style);
        state_bar.set_draw_target(ProgressDrawTarget::term_like(Box::new(Sink)));
        state_bar.tick();
        let text = seen.lock().map(|g| g.clone()).unwrap_or_default();
        assert!(text.starts_with("12,345 records, "), "{text}");
        assert!(text.ends_with("/s"), "{text}");
    }

    /// A terminal that swallows everything.
    #[derive(Debug)]
    struct Sink;
    impl indicatif::TermLike for Sink {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, _: &str) -> std::io::Result<()> {
            Ok(())
        }
        fn write_str(&self, _: &str) -> std::io::Result<()> {
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
