//! The walk: after the report, a menu to step through the four layers in the diagnosis's order,
//! open a cause, copy the recommended settings, export the markdown report, or quit.
//!
//! Prompts are drawn by dialoguer on the terminal stdout is on (the walk's pages go to stdout
//! too, flushed before each prompt). Esc goes back (and quits from the overview); Ctrl-C quits
//! from anywhere. Either way the cursor is shown again and the process exits 0; dialoguer
//! leaves raw mode after every key it reads, so no raw mode is left behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Select};

use super::views;
use crate::diagnose::model::Diagnosis;
use crate::diagnose::summary::Summary;
use crate::error::{Error, Exit, Result};
use crate::knowledge::Knowledge;
use crate::report::style::Paint;

/// What the walk needs besides the output stream.
pub struct Walk<'a> {
    pub diagnosis: &'a Diagnosis,
    pub summary: &'a Summary,
    pub knowledge: &'a Knowledge,
    pub color: bool,
    pub width: u16,
    /// Relative export paths are resolved against it.
    pub cwd: &'a Path,
    /// With the search backend: more samples for a cause when it is opened.
    pub cluster: Option<&'a dyn super::MoreSamples>,
}

/// The answer to one prompt.
enum Pick<T> {
    Chose(T),
    /// Esc (or `q`).
    Back,
    /// Ctrl-C.
    Quit,
}

enum Screen {
    Overview,
    /// A layer, by its index in `Diagnosis::layers`; `fresh` when its page is still to print.
    Layer {
        index: usize,
        fresh: bool,
    },
}

struct Ui<'t> {
    term: Term,
    theme: &'t dyn Theme,
}

fn interrupted(e: &dialoguer::Error) -> bool {
    let dialoguer::Error::IO(io) = e;
    io.kind() == std::io::ErrorKind::Interrupted
}

impl Ui<'_> {
    fn select(&self, prompt: &str, items: &[String]) -> Result<Pick<usize>> {
        let answer = Select::with_theme(self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(0)
            .report(false)
            .interact_on_opt(&self.term);
        match answer {
            Ok(Some(i)) => Ok(Pick::Chose(i)),
            Ok(None) => Ok(Pick::Back),
            Err(e) if interrupted(&e) => Ok(Pick::Quit),
            Err(e) => Err(prompt_error(e)),
        }
    }

    /// A line of text, `default` when left empty; Esc goes back (dialoguer's `Input` cannot be
    /// left), Ctrl-C quits.
    fn input(&self, prompt: &str, default: String) -> Result<Pick<String>> {
        let io = |e: std::io::Error| prompt_error(dialoguer::Error::IO(e));
        self.term.write_str(&format!("{prompt} [{default}] (Esc to go back): ")).map_err(io)?;
        let mut text = String::new();
        loop {
            match self.term.read_key() {
                Ok(Key::Escape) => {
                    self.term.write_line("").map_err(io)?;
                    return Ok(Pick::Back);
                }
                Ok(Key::Enter) => {
                    self.term.write_line("").map_err(io)?;
                    return Ok(Pick::Chose(if text.trim().is_empty() { default } else { text }));
                }
                Ok(Key::Backspace) => {
                    if text.pop().is_some() {
                        self.term.clear_chars(1).map_err(io)?;
                    }
                }
                Ok(Key::Char(c)) if !c.is_control() => {
                    text.push(c);
                    self.term.write_str(c.encode_utf8(&mut [0; 4])).map_err(io)?;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Ok(Pick::Quit),
                Err(e) => return Err(io(e)),
            }
        }
    }

    fn confirm(&self, prompt: &str) -> Result<Pick<bool>> {
        match Confirm::with_theme(self.theme).with_prompt(prompt).default(false).interact_on_opt(&self.term) {
            Ok(Some(b)) => Ok(Pick::Chose(b)),
            Ok(None) => Ok(Pick::Back),
            Err(e) if interrupted(&e) => Ok(Pick::Quit),
            Err(e) => Err(prompt_error(e)),
        }
    }
}

fn prompt_error(e: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(io) = e;
    Error::Input(format!("cannot read from the terminal: {io}"))
}

/// Leaves the terminal as it was found: cursor visible (dialoguer hides it while a menu is up).
fn restore(term: &Term) {
    let _ = term.show_cursor();
    let _ = term.flush();
}

/// Runs the walk until the user quits: [`Exit::Success`] on Quit or Esc, [`Exit::Interrupted`]
/// (130) on Ctrl-C.
pub fn walk(w: &Walk<'_>, out: &mut dyn Write) -> Result<Exit> {
    console::set_colors_enabled(w.color);
    console::set_colors_enabled_stderr(w.color);
    let colorful = ColorfulTheme::default();
    let simple = SimpleTheme;
    let theme: &dyn Theme = if w.color { &colorful } else { &simple };
    let ui = Ui { term: Term::stdout(), theme };
    // Ctrl-C between prompts (while a page prints): restore the cursor and leave quietly.
    let _ = ctrlc::set_handler(|| {
        restore(&Term::stdout());
        std::process::exit(i32::from(Exit::Interrupted.code()));
    });
    let result = run(w, &ui, out);
    restore(&ui.term);
    match result {
        Ok(true) => Ok(Exit::Interrupted),
        Ok(false) | Err(Error::BrokenPipe) => Ok(Exit::Success),
        Err(e) => Err(e),
    }
}

fn print(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The overview menu's entries, in order: layers, causes, settings, export, quit.
pub fn overview_items(d: &Diagnosis) -> Vec<String> {
    let mut items = Vec::new();
    for l in &d.layers {
        let found =
            if l.found.is_empty() { "nothing found".to_string() } else { format!("found {}", l.found.join(", ")) };
        items.push(format!("Layer {} · {} — {}", views::layer_number(l.layer), l.layer.as_str(), found));
    }
    for (i, c) in d.causes.iter().enumerate() {
        items.push(format!(
            "Cause {}: {} — {} failures ({})",
            i + 1,
            c.id,
            crate::report::diagnosis::fmt_n(c.failures),
            crate::report::diagnosis::fmt_pct(c.share)
        ));
    }
    items.push("Recommended settings (copyable)".into());
    items.push("Export the report as markdown".into());
    items.push("Quit".into());
    items
}

/// The walk; `Ok(true)` when Ctrl-C ended it.
fn run(w: &Walk<'_>, ui: &Ui<'_>, out: &mut dyn Write) -> Result<bool> {
    let d = w.diagnosis;
    let p = Paint(w.color);
    let mut screen = Screen::Overview;
    if let Some(partial) = &d.partial {
        print(out, &format!("\n{} {}\n", p.red_bold("! PARTIAL RESULTS:"), partial.sentence()))?;
    }
    print(out, &format!("\n{}\n", p.dim("Walk the diagnosis: ↑/↓ or j/k to move, Enter to open, Esc to go back.")))?;
    loop {
        match screen {
            Screen::Overview => {
                let items = overview_items(d);
                let layers = d.layers.len();
                let causes = d.causes.len();
                let pick = match ui.select("What next?", &items)? {
                    Pick::Chose(i) => i,
                    Pick::Back => return Ok(false),
                    Pick::Quit => return Ok(true),
                };
                if pick < layers {
                    screen = Screen::Layer { index: pick, fresh: true };
                } else if pick < layers + causes {
                    open_cause(w, pick - layers, out)?;
                } else if pick == layers + causes {
                    let snippet = views::recommended_settings(d, w.knowledge);
                    print(
                        out,
                        &format!("\n{}\n\n{snippet}\n", p.bold("Recommended settings — copy into your client config:")),
                    )?;
                } else if pick == layers + causes + 1 {
                    if export(w, ui, out)? {
                        return Ok(true);
                    }
                } else {
                    return Ok(false);
                }
            }
            Screen::Layer { index, fresh } => {
                let Some(layer) = d.layers.get(index) else {
                    screen = Screen::Overview;
                    continue;
                };
                if fresh {
                    print(out, &views::layer_view(d, layer, p))?;
                }
                let mut items = Vec::new();
                let next = d.layers.get(index + 1);
                if let Some(n) = next {
                    items.push(format!("Next: layer {} · {}", views::layer_number(n.layer), n.layer.as_str()));
                }
                let found: Vec<usize> =
                    d.causes.iter().enumerate().filter(|(_, c)| layer.found.contains(&c.id)).map(|(i, _)| i).collect();
                for i in &found {
                    if let Some(c) = d.causes.get(*i) {
                        items.push(format!("Open cause {}: {}", i + 1, c.id));
                    }
                }
                items.push("Back to the overview".into());
                let prompt = format!("Layer {} · {}", views::layer_number(layer.layer), layer.layer.as_str());
                let pick = match ui.select(&prompt, &items)? {
                    Pick::Chose(i) => i,
                    Pick::Back => {
                        screen = Screen::Overview;
                        continue;
                    }
                    Pick::Quit => return Ok(true),
                };
                let offset = usize::from(next.is_some());
                if next.is_some() && pick == 0 {
                    screen = Screen::Layer { index: index + 1, fresh: true };
                } else if let Some(cause) = pick.checked_sub(offset).and_then(|i| found.get(i)) {
                    open_cause(w, *cause, out)?;
                    screen = Screen::Layer { index, fresh: false };
                } else {
                    screen = Screen::Overview;
                }
            }
        }
    }
}

/// Prints a cause's page; with the search backend, then asks the cluster for a few more samples.
fn open_cause(w: &Walk<'_>, index: usize, out: &mut dyn Write) -> Result<()> {
    let p = Paint(w.color);
    print(out, &views::cause_view(w.diagnosis, w.summary, w.knowledge, index, p, w.width))?;
    let (Some(cluster), Some(cause)) = (w.cluster, w.diagnosis.causes.get(index)) else { return Ok(()) };
    let statuses: Vec<u16> = cause.by_status.keys().copied().collect();
    let keys: Vec<String> = views::cause_samples(w.summary, cause)
        .iter()
        .filter_map(|s| s.key_hash.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    match cluster.fetch(&statuses, &keys, &cause.samples) {
        Ok(more) => print(out, &views::more_samples_view(w.knowledge, &more, p, w.width)),
        // Not fatal: the page above stands on its own.
        Err(e) => print(out, &format!("\n{} {e}\n", p.yellow("Could not fetch more samples from the cluster:"))),
    }
}

/// A default file name for the export: the incident's first minute, else "now".
fn default_export_name(d: &Diagnosis) -> String {
    let at = d.window.first.unwrap_or_else(chrono::Utc::now);
    format!("incident-{}.md", at.format("%Y%m%d-%H%M"))
}

/// Asks for a path and writes the markdown report there (the very text `--format markdown`
/// prints). Returns true when the user pressed Ctrl-C.
fn export(w: &Walk<'_>, ui: &Ui<'_>, out: &mut dyn Write) -> Result<bool> {
    let p = Paint(w.color);
    let name = match ui.input("Write the markdown report to", default_export_name(w.diagnosis))? {
        Pick::Chose(n) => n,
        Pick::Back => return Ok(false),
        Pick::Quit => return Ok(true),
    };
    let path = resolve(w.cwd, name.trim());
    if path.exists() {
        match ui.confirm(&format!("{} exists. Overwrite it?", path.display()))? {
            Pick::Chose(true) => {}
            Pick::Chose(false) | Pick::Back => return Ok(false),
            Pick::Quit => return Ok(true),
        }
    }
    let text = crate::report::diagnosis::markdown(w.diagnosis);
    match std::fs::write(&path, text.as_bytes()) {
        Ok(()) => print(out, &format!("{} {} ({} bytes)\n", p.green("Wrote"), path.display(), text.len()))?,
        // Not fatal: the user may pick another path.
        Err(e) => print(out, &format!("{} {}: {e}\n", p.red("Cannot write"), path.display()))?,
    }
    Ok(false)
}

fn resolve(cwd: &Path, name: &str) -> PathBuf {
    let path = PathBuf::from(name);
    if path.is_absolute() {
        path
    } else {
        cwd.join(path)
    }
}
