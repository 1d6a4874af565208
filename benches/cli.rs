//! The benchmark harness of issue 6: `cargo bench` (add `-- --write` to update `BENCHMARKS.md`, `-- --quick`
//! or `PORTQUIZ_BENCH_QUICK=1` for fewer runs, `-- --only check,hostile` for some sections: `check` (the
//! `check` rows at 10,000 and 50,000 cards, with and without `explain:`) and `hostile` (the hostile deck
//! files); `--only` prints its rows and never writes `BENCHMARKS.md`). It generates synthetic libraries, runs the real release
//! binary as whole processes (warm-up, then several runs), and prints a table of target / measured / met.
//!
//! It measures; it never asserts. Timings belong here, never in `cargo test` (the machine is shared).
//! Every child gets a temporary data dir and `HOME`, a fixed `PORTQUIZ_NOW` and `PORTQUIZ_SEED`, and
//! `NO_COLOR=1`. Peak memory is the child's `ru_maxrss` from `wait4`.
#![allow(clippy::cast_precision_loss)]

#[path = "cli/generate.rs"]
mod generate;
#[path = "cli/measure.rs"]
mod measure;
#[path = "cli/scale.rs"]
mod scale;
#[path = "cli/study.rs"]
mod study;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use measure::{Sandbox, Stats, mb, ms, percentiles};

/// One line of the results table.
struct Row {
    what: String,
    target: String,
    measured: String,
    /// `None`: context only, no target.
    met: Option<bool>,
}

struct Bench {
    quick: bool,
    runs: usize,
    bin: PathBuf,
    work: PathBuf,
    rows: Vec<Row>,
    notes: Vec<String>,
    details: String,
    /// Median time to the first study prompt at 10,000 cards, for the comparison with the peers.
    first_prompt: Option<Duration>,
    /// `ru_maxrss` of `true` spawned by the harness at the start, KiB.
    floor_kib: u64,
}

const MB: u64 = 1024;

/// The first lines of a deck, for the hostile files that are decks.
const HOSTILE_HEAD: &str = "format: 1\nid: hostile\ntitle: Hostile\ncards:\n";

fn main() -> std::process::ExitCode {
    if let Ok(spec) = std::env::var("PQBENCH_GENERATE") {
        return match generate::child_main(&spec) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("generate: {e:#}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --benches` runs this binary without `--bench`: measuring there would only be noise.
        println!(
            "portquiz benchmarks: run them with `cargo bench` (`cargo bench -- --write` updates BENCHMARKS.md)"
        );
        return std::process::ExitCode::SUCCESS;
    }
    let only: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.split(',').map(str::to_string).collect());
    if let Some(only) = &only
        && let Some(unknown) = only
            .iter()
            .find(|s| !matches!(s.as_str(), "check" | "hostile"))
    {
        eprintln!("unknown section `{unknown}` for --only (sections: check, hostile)");
        return std::process::ExitCode::FAILURE;
    }
    let write = args.iter().any(|a| a == "--write") && only.is_none();
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("PORTQUIZ_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    match run(quick, write, only.as_deref()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchmark failed: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(quick: bool, write: bool, only: Option<&[String]>) -> Result<()> {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&base)?;
    let work = tempfile::Builder::new()
        .prefix("portquiz-bench-")
        .tempdir_in(&base)?;
    let load_before = loadavg();
    let started = Instant::now();
    let mut b = Bench {
        quick,
        runs: if quick { 5 } else { 20 },
        bin: PathBuf::from(env!("CARGO_BIN_EXE_portquiz")),
        work: work.path().to_path_buf(),
        rows: Vec::new(),
        notes: Vec::new(),
        details: String::new(),
        first_prompt: None,
        floor_kib: 0,
    };
    eprintln!(
        "portquiz bench: {} mode, work dir {}",
        if quick { "quick" } else { "full" },
        b.work.display()
    );
    b.floor()?;
    if let Some(only) = only {
        return run_only(&mut b, only);
    }
    b.builtin_decks()?;
    let small = b.library(
        "10k",
        generate::Size {
            cards: 10_000,
            reviews: 100_000,
            decks: 50,
        },
    )?;
    let small_figures = b.read_commands(&small, "10,000 cards + 100,000 reviews")?;
    b.check_library(&small)?;
    b.check_without_explain(&small, "10,000")?;
    b.study(&small)?;
    b.fsync()?;
    let large = b.library(
        "50k",
        generate::Size {
            cards: 50_000,
            reviews: 500_000,
            decks: 50,
        },
    )?;
    b.scale_commands(&small, &large, "50,000 cards + 500,000 reviews")?;
    b.check_at_fifty_thousand(&large)?;
    b.experiments()?;
    b.hostile()?;
    b.optimize(&small)?;
    b.peers(small_figures);
    b.memory_every_command(&large, &small)?;
    let huge = b.library(
        "100k",
        generate::Size {
            cards: 100_000,
            reviews: 1_000_000,
            decks: 100,
        },
    )?;
    b.hundred_thousand(&huge)?;
    b.merge_million(&huge)?;
    let folder = b.library(
        "folder",
        generate::Size {
            cards: 30_000,
            reviews: 0,
            decks: 10_000,
        },
    )?;
    b.deck_folder(&folder)?;
    b.binary_size()?;
    b.floor_at_end()?;
    let load_after = loadavg();
    b.notes.push(format!(
        "Load average (1/5/15 min) before: {load_before}; after: {load_after}. Whole run: {:.0} s{}.",
        started.elapsed().as_secs_f64(),
        if quick { " (quick mode)" } else { "" }
    ));
    let report = b.report();
    println!("{report}");
    if write {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
        write_report(&path, &report)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// `cargo bench -- --only SECTIONS`: the rows of those sections, printed.
fn run_only(b: &mut Bench, only: &[String]) -> Result<()> {
    let has = |s: &str| only.iter().any(|o| o == s);
    if has("check") {
        let small = b.library(
            "10k",
            generate::Size {
                cards: 10_000,
                reviews: 0,
                decks: 50,
            },
        )?;
        b.check_library(&small)?;
        b.check_without_explain(&small, "10,000")?;
        let large = b.library(
            "50k",
            generate::Size {
                cards: 50_000,
                reviews: 0,
                decks: 50,
            },
        )?;
        b.check_at_fifty_thousand(&large)?;
    }
    if has("hostile") {
        std::fs::create_dir_all(b.work.join("empty-data"))?;
        b.hostile()?;
    }
    println!("{}", b.report());
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A generated library: its data dir (decks under `decks/`, the database) and its answer key.
struct Library {
    dir: PathBuf,
    data: PathBuf,
    label: &'static str,
}

impl Bench {
    fn sandbox(&self, data_dir: &Path) -> Sandbox {
        Sandbox {
            bin: self.bin.clone(),
            data_dir: data_dir.to_path_buf(),
            home: self.work.join("home"),
        }
    }

    fn scratch(&self) -> PathBuf {
        self.work.join("scratch")
    }

    fn row(
        &mut self,
        what: impl Into<String>,
        target: impl Into<String>,
        measured: impl Into<String>,
        met: Option<bool>,
    ) {
        let row = Row {
            what: what.into(),
            target: target.into(),
            measured: measured.into(),
            met,
        };
        eprintln!(
            "  {} | {} | {} | {}",
            row.what,
            row.target,
            row.measured,
            met_text(row.met)
        );
        self.rows.push(row);
    }

    /// A child's `ru_maxrss` counts the memory of the process that spawned it (exec keeps the old
    /// image's high-water mark): report that floor so peak figures can be read against it.
    fn floor(&mut self) -> Result<()> {
        std::fs::create_dir_all(self.scratch())?;
        std::fs::create_dir_all(self.work.join("home"))?;
        let s = measure::run_once(Command::new("true"), &self.scratch())?;
        self.floor_kib = s.maxrss_kib;
        Ok(())
    }

    fn floor_at_end(&mut self) -> Result<()> {
        let s = measure::run_once(Command::new("true"), &self.scratch())?;
        self.notes.push(format!(
            "Peak memory is the child's `ru_maxrss` (from `wait4`). It includes the memory of the spawning harness \
             at exec time: `true` spawned the same way reports {} at the start of the run and {} at its end, so \
             the small figures (hostile files) are mostly the harness's own size.",
            mb(self.floor_kib),
            mb(s.maxrss_kib)
        ));
        Ok(())
    }

    fn builtin_decks(&mut self) -> Result<()> {
        let empty = self.work.join("empty-data");
        std::fs::create_dir_all(&empty)?;
        let sb = self.sandbox(&empty);
        let stats = measure::repeat(
            &|| sb.command(&["decks", "--json"]),
            self.runs * 2,
            &[0],
            &self.scratch(),
        )?;
        self.row(
            "`decks --json`, built-in decks, empty data dir",
            "median ≤ 10 ms",
            format!(
                "{} (p99 {}, peak {})",
                ms(stats.median),
                ms(stats.p99),
                mb(stats.maxrss_kib)
            ),
            Some(stats.median <= Duration::from_millis(10)),
        );
        Ok(())
    }

    /// Generates a library in a child process (keeping the harness small).
    fn library(&mut self, label: &'static str, size: generate::Size) -> Result<Library> {
        let dir = self.work.join(format!("lib-{label}"));
        std::fs::create_dir_all(&dir)?;
        let start = Instant::now();
        let exe = std::env::current_exe()?;
        let out = Command::new(exe)
            .env(
                "PQBENCH_GENERATE",
                format!(
                    "{}\t{}\t{}\t{}",
                    dir.display(),
                    size.cards,
                    size.reviews,
                    size.decks
                ),
            )
            .output()?;
        if !out.status.success() {
            bail!(
                "generating the {label} library failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let bytes: u64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .context("generator output")?;
        let took = start.elapsed();
        let db =
            std::fs::metadata(dir.join("data").join("portquiz.sqlite3")).map_or(0, |m| m.len());
        self.notes.push(format!(
            "Library {label}: {} cards in {} deck files ({:.2} MB of YAML), {} reviews (database {:.1} MB), \
             generated through `Store::import_reviews` with `Scheduler` states in {:.1} s.",
            size.cards,
            size.decks,
            bytes as f64 / 1e6,
            size.reviews,
            db as f64 / 1e6,
            took.as_secs_f64()
        ));
        let lib = Library {
            data: dir.join("data"),
            dir,
            label,
        };
        // Every generated file must pass `check`.
        let sb = self.sandbox(&lib.data);
        let s = measure::run_once(sb.command(&["check"]), &self.scratch())?;
        let summary = std::fs::read_to_string(self.scratch().join("stdout")).unwrap_or_default();
        if s.code != 0 {
            let stderr = std::fs::read_to_string(self.scratch().join("stderr")).unwrap_or_default();
            bail!(
                "the generated {label} library fails `portquiz check`:\n{}",
                stderr.chars().take(3000).collect::<String>()
            );
        }
        eprintln!(
            "  {label} library: {} in {:.1} s; check: {}",
            mb(bytes / 1024),
            took.as_secs_f64(),
            summary.trim()
        );
        Ok(lib)
    }

    /// `cards --due --json` and `stats --json`. With `base` (the 10k figures), the target is ≤ 5x those.
    /// `cards --due --json` and `stats --json` on the 10,000-card library.
    fn read_commands(&mut self, lib: &Library, scale: &str) -> Result<(Stats, Stats)> {
        let (cards, stats) = self.due_and_stats(lib, &lib.data, self.runs)?;
        for (name, s) in [("`cards --due --json`", cards), ("`stats --json`", stats)] {
            self.row(
                format!("{name}, {scale}"),
                "median ≤ 100 ms, peak ≤ 64 MB",
                format!(
                    "{} (p99 {}), peak {}",
                    ms(s.median),
                    ms(s.p99),
                    mb(s.maxrss_kib)
                ),
                Some(s.median <= Duration::from_millis(100) && s.maxrss_kib <= 64 * MB),
            );
        }
        Ok((cards, stats))
    }

    /// `cards --due --json` then `stats --json` on `data` (a copy of `lib`'s data dir, or it), `runs` times.
    fn due_and_stats(&mut self, lib: &Library, data: &Path, runs: usize) -> Result<(Stats, Stats)> {
        let sb = self.sandbox(data);
        let cards = measure::repeat(
            &|| sb.command(&["cards", "--due", "--json"]),
            runs,
            &[0],
            &self.scratch(),
        )?;
        self.note_due(lib);
        let stats = measure::repeat(
            &|| sb.command(&["stats", "--json"]),
            runs,
            &[0],
            &self.scratch(),
        )?;
        Ok((cards, stats))
    }

    /// The same commands at the large scale, against the small one measured alternately with it (so a
    /// change of load between the two does not show up as a change of scale).
    fn scale_commands(&mut self, small: &Library, large: &Library, scale: &str) -> Result<()> {
        let (sa, sb) = (self.sandbox(&small.data), self.sandbox(&large.data));
        let runs = self.runs.div_ceil(2).max(5);
        for (name, args) in [
            ("`cards --due --json`", &["cards", "--due", "--json"][..]),
            ("`stats --json`", &["stats", "--json"][..]),
        ] {
            let (s, b) = measure::repeat_pair(
                &|| sa.command(args),
                &|| sb.command(args),
                runs,
                &[0],
                &self.scratch(),
            )?;
            if args[0] == "cards" {
                self.note_due(large);
            }
            let ratio = b.median.as_secs_f64() / s.median.as_secs_f64().max(1e-9);
            let mem = b.maxrss_kib as f64 / (s.maxrss_kib as f64).max(1.0);
            self.row(
                format!("{name}, {scale}"),
                "≤ 5x the 10,000-card figure",
                format!(
                    "{} ({ratio:.1}x the {} of 10,000 cards run alternately), peak {} ({mem:.1}x)",
                    ms(b.median),
                    ms(s.median),
                    mb(b.maxrss_kib)
                ),
                Some(ratio <= 5.0),
            );
        }
        Ok(())
    }

    /// Notes how many cards the last `cards --due --json` run listed, counted without parsing: the harness
    /// stays small (its size is the floor of every child's peak).
    fn note_due(&mut self, lib: &Library) {
        if let Ok(text) = std::fs::read_to_string(self.scratch().join("stdout")) {
            let n = text
                .lines()
                .filter(|l| l.starts_with("      \"deck\":"))
                .count();
            self.notes.push(format!(
                "Library {}: `cards --due --json` lists {n} due cards.",
                lib.label
            ));
        }
    }

    fn check_library(&mut self, lib: &Library) -> Result<()> {
        let sb = self.sandbox(&lib.data);
        let decks = lib.data.join("decks");
        let decks = decks.to_string_lossy().into_owned();
        let s = measure::repeat(
            &|| sb.command(&["check", &decks]),
            self.runs,
            &[0],
            &self.scratch(),
        )?;
        self.row(
            "`check` on the 10,000-card library (parses every file)",
            "≤ 200 ms",
            format!(
                "{} (p99 {}), peak {}",
                ms(s.median),
                ms(s.p99),
                mb(s.maxrss_kib)
            ),
            Some(s.median <= Duration::from_millis(200)),
        );
        Ok(())
    }

    /// `check` on the 50,000-card library, with `explain:` on every card and without: against hashcards'
    /// `check` on the same cards (issue 27: 1.04 s without, 1.12 s with, BENCHMARKS.md "Side by side").
    fn check_at_fifty_thousand(&mut self, lib: &Library) -> Result<()> {
        let sb = self.sandbox(&lib.data);
        let decks = lib.data.join("decks").to_string_lossy().into_owned();
        let runs = if self.quick { 3 } else { 10 };
        let s = measure::repeat(
            &|| sb.command(&["check", &decks]),
            runs,
            &[0],
            &self.scratch(),
        )?;
        self.row(
            "`check`, 50,000 cards with `explain:`",
            "≤ 0.3 × hashcards' 1.12 s = 336 ms",
            format!(
                "{} (p99 {}), peak {}",
                ms(s.median),
                ms(s.p99),
                mb(s.maxrss_kib)
            ),
            Some(s.median <= Duration::from_millis(336)),
        );
        self.check_without_explain(lib, "50,000")
    }

    /// `check` on a copy of `lib`'s decks with every `explain:` line removed: a warning per card, of which
    /// `check` prints 20 and a count. `cards` names the size in the row.
    fn check_without_explain(&mut self, lib: &Library, cards: &str) -> Result<()> {
        let dir = self.work.join(format!("no-explain-{}", lib.label));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        for entry in std::fs::read_dir(lib.data.join("decks"))? {
            let path = entry?.path();
            let text = std::fs::read_to_string(&path)?;
            let kept: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("explain:"))
                .map(|l| format!("{l}\n"))
                .collect();
            let name = path.file_name().context("deck file name")?;
            std::fs::write(dir.join(name), kept)?;
        }
        // An empty data dir: the library's own data dir holds the same decks with the same ids, which
        // `check DIR` loads as context and would report as duplicate deck ids.
        let empty = self.work.join("empty-data");
        std::fs::create_dir_all(&empty)?;
        let sb = self.sandbox(&empty);
        let decks = dir.to_string_lossy().into_owned();
        let runs = if self.quick { 3 } else { 10 };
        let s = measure::repeat(
            &|| sb.command(&["check", &decks]),
            runs,
            &[0],
            &self.scratch(),
        )?;
        let (target, limit) = if cards == "50,000" {
            (
                "≤ 0.3 × hashcards' 1.04 s = 312 ms",
                Duration::from_millis(312),
            )
        } else {
            (
                "≤ 0.3 × hashcards' 0.20 s = 60 ms",
                Duration::from_millis(60),
            )
        };
        self.row(
            format!("`check`, {cards} cards without `explain:` (a warning each)"),
            target,
            format!(
                "{} (p99 {}), peak {}",
                ms(s.median),
                ms(s.p99),
                mb(s.maxrss_kib)
            ),
            Some(s.median <= limit),
        );
        Ok(())
    }

    /// A copy of a library's data dir, so a writing command leaves the generated one as it was.
    fn copy_data(&self, lib: &Library, name: &str) -> Result<PathBuf> {
        let to = self.work.join(name);
        if to.exists() {
            std::fs::remove_dir_all(&to)?;
        }
        copy_dir(&lib.data, &to)?;
        Ok(to)
    }

    fn study(&mut self, lib: &Library) -> Result<()> {
        let key = study::read_key(&lib.dir.join("answers.tsv"))?;
        let (sessions, answers) = if self.quick { (3, 20) } else { (15, 40) };
        let mut first = Vec::new();
        let mut writes = Vec::new();
        let mut others = Vec::new();
        let mut peak = 0;
        // One data dir for every session, so the deck cache (keyed by file path) stays warm as it would in
        // daily use; each session starts from the generated database again.
        let data = self.copy_data(lib, "study-data")?;
        let sb = self.sandbox(&data);
        for i in 0..=sessions {
            let db = data.join("portquiz.sqlite3");
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(data.join(format!("portquiz.sqlite3{suffix}")));
            }
            std::fs::copy(lib.data.join("portquiz.sqlite3"), &db)?;
            std::fs::File::open(&db)?.sync_all()?;
            let s = study::session(sb.command(&["study", "--plain"]), &key, answers)?;
            if i == 0 {
                continue; // warm-up: fills the page cache and the deck cache of this data dir
            }
            first.push(s.first_prompt);
            writes.extend(s.writes);
            others.extend(s.others);
            peak = peak.max(s.maxrss_kib);
        }
        let (median, p99, _) = percentiles(first);
        self.first_prompt = Some(median);
        self.row(
            "`study --plain`, 10,000 cards + 100,000 reviews: process start to the first prompt",
            "≤ 100 ms",
            format!("{} (p99 {}), peak {}", ms(median), ms(p99), mb(peak)),
            Some(median <= Duration::from_millis(100)),
        );
        let n = writes.len();
        let (median, p99, max) = percentiles(writes);
        self.row(
            "one answer: answer line to the next prompt, database write included",
            "median ≤ 2 ms, p99 ≤ 10 ms",
            format!(
                "{} median, {} p99, {} max ({n} answers)",
                ms(median),
                ms(p99),
                ms(max)
            ),
            Some(median <= Duration::from_millis(2) && p99 <= Duration::from_millis(10)),
        );
        let n = others.len();
        let (median, p99, _) = percentiles(others);
        self.notes.push(format!(
            "Lines that record nothing (a right answer, shown with its grade choices; revealing a flashcard) \
             or answer a built-in card: {} median, {} p99 over {n} lines.",
            ms(median),
            ms(p99)
        ));
        Ok(())
    }

    /// The cost of one `fdatasync` of a small append on the disk the data dir lives on: the floor under
    /// every durable answer (`synchronous=FULL` in WAL mode syncs the WAL once per commit).
    fn fsync(&mut self) -> Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        let n = if self.quick { 50 } else { 200 };
        let block = [7u8; 4096];
        // Appending changes the file size (metadata to journal, like a growing WAL); overwriting a block of
        // an allocated file does not (like a WAL reused after a checkpoint). SQLite's commits see both.
        let run = |append: bool| -> Result<(Duration, Duration)> {
            let path = self.work.join("fsync-probe");
            let mut file = std::fs::File::create(&path)?;
            if !append {
                file.write_all(&vec![0u8; 4096 * n])?;
                file.sync_all()?;
            }
            let mut samples = Vec::new();
            for i in 0..n {
                if !append {
                    file.seek(SeekFrom::Start((4096 * i) as u64))?;
                }
                let t = Instant::now();
                file.write_all(&block)?;
                file.sync_data()?;
                if i > 0 {
                    samples.push(t.elapsed());
                }
            }
            let (median, p99, _) = percentiles(samples);
            Ok((median, p99))
        };
        let (append, append_p99) = run(true)?;
        let (overwrite, overwrite_p99) = run(false)?;
        self.row(
            "(context) one 4 KiB write + `fdatasync` on this disk: appending / overwriting",
            "-",
            format!(
                "{} / {} median, {} / {} p99",
                ms(append),
                ms(overwrite),
                ms(append_p99),
                ms(overwrite_p99)
            ),
            None,
        );
        Ok(())
    }

    fn experiments(&mut self) -> Result<()> {
        let empty = self.work.join("empty-data");
        let sb = self.sandbox(&empty);
        let whole = measure::repeat(
            &|| sb.command(&["experiments", "run", "--json"]),
            self.runs.div_ceil(2).max(3),
            &[0, 1],
            &self.scratch(),
        )?;
        self.row(
            "the whole practical catalogue, one run (`experiments run --json`)",
            "≤ 1.5 s",
            format!(
                "{} median (p99 {}), peak {}",
                ms(whole.median),
                ms(whole.p99),
                mb(whole.maxrss_kib)
            ),
            Some(whole.p99 <= Duration::from_millis(1500)),
        );
        let s = measure::run_once(sb.command(&["experiments", "--json"]), &self.scratch())?;
        let list: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(self.scratch().join("stdout"))?)
                .with_context(|| {
                    format!("`experiments --json` (exit {}) printed no JSON", s.code)
                })?;
        let ids: Vec<String> = list["experiments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["kind"] == "experiment")
            .filter_map(|e| e["experiment"].as_str().map(str::to_string))
            .collect();
        let rounds = if self.quick { 1 } else { 8 };
        let mut worst: Option<(String, Duration)> = None;
        let _ = writeln!(
            self.details,
            "\n### Each experiment, 8 processes at once ({rounds} round{} of 8)\n\n| experiment | median | p99 | max |\n|---|---|---|---|",
            if rounds == 1 { "" } else { "s" }
        );
        for id in &ids {
            let mut samples = Vec::new();
            for _ in 0..rounds {
                let mut started = std::collections::HashMap::new();
                for _ in 0..8 {
                    let mut cmd = sb.command(&["experiments", "run", id, "--json"]);
                    cmd.stdin(std::process::Stdio::null())
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null());
                    let t = Instant::now();
                    let child = cmd.spawn()?;
                    started.insert(libc::pid_t::try_from(child.id())?, t);
                }
                while !started.is_empty() {
                    let (pid, code, _) = measure::wait_any()?;
                    let Some(t) = started.remove(&pid) else {
                        continue;
                    };
                    if code != 0 && code != 1 {
                        bail!("`experiments run {id}` exited with {code}");
                    }
                    samples.push(t.elapsed());
                }
            }
            let (median, p99, max) = percentiles(samples);
            let _ = writeln!(
                self.details,
                "| {id} | {} | {} | {} |",
                ms(median),
                ms(p99),
                ms(max)
            );
            if worst.as_ref().is_none_or(|(_, w)| p99 > *w) {
                worst = Some((id.clone(), p99));
            }
        }
        if let Some((id, p99)) = worst {
            self.row(
                format!(
                    "each experiment, 8 runs in parallel ({} experiments)",
                    ids.len()
                ),
                "p99 ≤ 200 ms",
                format!("worst p99 {} (`{id}`); all in the table below", ms(p99)),
                Some(p99 <= Duration::from_millis(200)),
            );
        }
        Ok(())
    }

    fn hostile(&mut self) -> Result<()> {
        let dir = self.work.join("hostile");
        std::fs::create_dir_all(&dir)?;
        let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            let _ = writeln!(
                laughs,
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]"
            );
        }
        let mut anchors = format!("big: &big \"{}\"\nrefs:\n", "x".repeat(1 << 20));
        for _ in 0..5000 {
            anchors.push_str("  - *big\n");
        }
        let mut block = String::new();
        for depth in 0..2_000 {
            let _ = writeln!(block, "{}k:", " ".repeat(depth));
        }
        let files: Vec<(&str, &str, Vec<u8>)> = vec![
            (
                "laughs.yaml",
                "billion laughs (9 levels of 9 aliases)",
                laughs.into_bytes(),
            ),
            (
                "anchors.yaml",
                "a 1 MB anchored scalar referenced 5,000 times",
                anchors.into_bytes(),
            ),
            (
                "deep-flow.yaml",
                "flow nesting 100,000 deep",
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            ),
            (
                "deep-block.yaml",
                "block nesting 2,000 deep",
                block.into_bytes(),
            ),
            (
                "noise.yaml",
                "binary noise",
                vec![0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0xff, 0xfe, 0x00, 0x9c],
            ),
            (
                "latin1.yaml",
                "invalid UTF-8",
                b"format: 1\nid: caf\xe9\n".to_vec(),
            ),
            (
                "nul.yaml",
                "a NUL byte",
                b"format: 1\nid: a\x00b\n".to_vec(),
            ),
            (
                "scalar.yaml",
                "a scalar root",
                b"just a sentence\n".to_vec(),
            ),
            (
                "list.yaml",
                "a list root",
                b"- format: 1\n- id: x\n".to_vec(),
            ),
            ("empty.yaml", "an empty file", Vec::new()),
            (
                "open-square.yaml",
                "`cards: ` and 100,000 unclosed `[`",
                format!("cards: {}", "[".repeat(100_000)).into_bytes(),
            ),
            (
                "open-curly.yaml",
                "`cards: ` and 100,000 unclosed `{`",
                format!("cards: {}", "{".repeat(100_000)).into_bytes(),
            ),
            (
                "open-flow-map.yaml",
                "`cards: ` and 100,000 unclosed `[{a: `",
                format!("cards: {}", "[{a: ".repeat(100_000)).into_bytes(),
            ),
            (
                "tab-lines.yaml",
                "30,000 tab-indented lines",
                format!("{HOSTILE_HEAD}{}", "\t- key: value\n".repeat(30_000)).into_bytes(),
            ),
            (
                "tab-deck.yaml",
                "6,000 cards indented with tabs",
                (0..6_000)
                    .fold(HOSTILE_HEAD.to_string(), |mut s, i| {
                        let _ = write!(
                            s,
                            "\t- id: c{i}\n\t\ttype: flashcard\n\t\tprompt: What is port {i}?\n\t\tanswer: Port {i}\n\t\texplain: Because.\n"
                        );
                        s
                    })
                    .into_bytes(),
            ),
            (
                "item-lines.yaml",
                "`  - 1` 100,000 times (a diagnostic's line far down)",
                "  - 1\n".repeat(100_000).into_bytes(),
            ),
            (
                "many-errors.yaml",
                "20,000 cards, an error on each",
                (0..20_000)
                    .fold(HOSTILE_HEAD.to_string(), |mut s, i| {
                        let _ = write!(
                            s,
                            "  - id: c{i}\n    type: flashcart\n    prompt: P{i}\n    answer: A{i}\n"
                        );
                        s
                    })
                    .into_bytes(),
            ),
        ];
        let mut cases: Vec<(PathBuf, String)> = Vec::new();
        for (name, what, bytes) in files {
            let path = dir.join(name);
            std::fs::write(&path, bytes)?;
            cases.push((path, what.to_string()));
        }
        let huge = dir.join("huge.yaml");
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&huge)?;
            f.write_all(b"format: 1\n")?;
            f.set_len(110 * 1024 * 1024)?;
        }
        cases.push((huge, "a 110 MB file".to_string()));
        let sb = self.sandbox(&self.work.join("empty-data"));
        let runs = if self.quick { 3 } else { 5 };
        let mut all_ok = true;
        let mut worst_time = Duration::ZERO;
        let mut worst_mem = 0;
        let _ = writeln!(
            self.details,
            "\n### Hostile deck files: `portquiz check FILE` ({runs} runs each, refused with exit 1)\n\n| file | max time | peak memory |\n|---|---|---|"
        );
        for (path, what) in &cases {
            let p = path.to_string_lossy().into_owned();
            let s = measure::repeat(&|| sb.command(&["check", &p]), runs, &[1], &self.scratch())?;
            let ok = s.max < Duration::from_secs(1) && s.maxrss_kib < 100 * MB;
            all_ok &= ok;
            worst_time = worst_time.max(s.max);
            worst_mem = worst_mem.max(s.maxrss_kib);
            let _ = writeln!(
                self.details,
                "| {what} | {} | {} |",
                ms(s.max),
                mb(s.maxrss_kib)
            );
        }
        self.row(
            format!("`check` on each of {} hostile deck files", cases.len()),
            "refused in < 1 s, peak < 100 MB",
            format!("worst {}, worst peak {}", ms(worst_time), mb(worst_mem)),
            Some(all_ok),
        );
        Ok(())
    }

    fn optimize(&mut self, lib: &Library) -> Result<()> {
        let data = self.copy_data(lib, "optimize-data")?;
        let sb = self.sandbox(&data);
        let s = measure::run_once(sb.command(&["optimize"]), &self.scratch())?;
        if s.code != 0 {
            let stderr = std::fs::read_to_string(self.scratch().join("stderr")).unwrap_or_default();
            bail!("`optimize` exited with {}: {stderr}", s.code);
        }
        self.row(
            "`optimize` on 100,000 reviews (one run)",
            "≤ 30 s",
            format!("{}, peak {}", ms(s.wall), mb(s.maxrss_kib)),
            Some(s.wall <= Duration::from_secs(30)),
        );
        Ok(())
    }

    /// The peers' figures from the issue (built and timed on this machine at 10,000 question/answer cards):
    /// portquiz aims to be at least 3x faster than both.
    fn peers(&mut self, (cards, stats): (Stats, Stats)) {
        let report = stats.median.as_secs_f64() * 1000.0;
        self.row(
            "(peers) load and report at 10,000 cards: hashcards 181 ms, repeater 0.28-0.40 s",
            "3x faster than both: ≤ 60 ms",
            format!(
                "`stats --json` {report:.0} ms ({:.1}x faster than hashcards); `cards --due --json` {:.0} ms",
                181.0 / report.max(0.001),
                cards.median.as_secs_f64() * 1000.0
            ),
            Some(report <= 181.0 / 3.0),
        );
        if let Some(first) = self.first_prompt {
            let first = first.as_secs_f64() * 1000.0;
            self.row(
                "(peers) first question at 10,000 cards: repeater 307 ms, hashcards 414 ms",
                "3x faster than both: ≤ 102 ms",
                format!(
                    "{first:.0} ms ({:.1}x faster than repeater)",
                    307.0 / first.max(0.001)
                ),
                Some(first <= 307.0 / 3.0),
            );
        }
    }

    fn report(&self) -> String {
        let mut out = String::new();
        let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let model = cpu
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .and_then(|r| r.split_once(':'))
                    .map(|(_, m)| m.trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let cores = cpu.lines().filter(|l| l.starts_with("processor")).count();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let rustc = Command::new("rustc")
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|_| "unknown rustc".into());
        let now = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
        let _ = writeln!(
            out,
            "Measured {now} by `cargo bench{}`",
            if self.quick { " -- --quick" } else { "" }
        );
        let _ = writeln!(
            out,
            "on {model}, {cores} core{}, Linux {}, {rustc}; release build (`bench` profile).\n",
            if cores == 1 { "" } else { "s" },
            kernel.trim()
        );
        let _ = writeln!(
            out,
            "| what | target | measured | met? |\n|---|---|---|---|"
        );
        for r in &self.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                r.what,
                r.target,
                r.measured,
                met_text(r.met)
            );
        }
        out.push_str(&self.details);
        let _ = writeln!(out, "\n### Notes\n");
        for n in &self.notes {
            let _ = writeln!(out, "- {n}");
        }
        out
    }
}

fn met_text(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "context",
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            // A real data dir is not a dirty fresh copy: flush it so the first fsync measured is an answer's.
            std::fs::File::open(&target)?.sync_all()?;
        }
    }
    Ok(())
}

const BEGIN: &str = "<!-- cargo bench -- --write: results begin -->";
const END: &str = "<!-- cargo bench -- --write: results end -->";

/// Replaces the results between the markers in `BENCHMARKS.md`, keeping the hand-written parts.
fn write_report(path: &Path, report: &str) -> Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let block = format!("{BEGIN}\n{report}{END}");
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &old[..b], &old[e + END.len()..]),
        _ => format!(
            "# Benchmarks\n\nRun `cargo bench` to print these figures; `cargo bench -- --write` rewrites this section.\n\n{block}\n"
        ),
    };
    std::fs::write(path, new)?;
    Ok(())
}
