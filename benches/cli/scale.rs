//! The rows of issue 18: the 100,000-card / 1,000,000-review library (first run with a cold deck cache,
//! warm reads, one deck edited), `merge` of a million reviews, peak memory of every command at 50,000
//! cards, a `--deck` folder of 10,000 small files, and the installed binary's size.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use super::measure::{self, Stats, mb, ms};
use super::{Bench, Library, MB, study};

/// The deck cache of a data dir: removing it makes the next run compile every deck ("cold").
fn deck_cache(data: &Path) -> PathBuf {
    data.join("cache").join("decks.bin")
}

fn timed(s: &Stats) -> String {
    format!(
        "{} (p99 {}), peak {}",
        ms(s.median),
        ms(s.p99),
        mb(s.maxrss_kib)
    )
}

impl Bench {
    /// Start to the first question of `study --plain`, `runs` times after one warm-up; `before` runs
    /// before each start (an edit, a cache removal).
    fn first_questions(
        &self,
        data: &Path,
        key: &std::collections::HashMap<String, study::Key>,
        runs: usize,
        before: &dyn Fn(usize) -> Result<()>,
    ) -> Result<Stats> {
        let sb = self.sandbox(data);
        let mut samples = Vec::new();
        for i in 0..=runs {
            before(i)?;
            let s = study::session(sb.command(&["study", "--plain"]), key, 0)?;
            if i > 0 {
                samples.push(measure::Sample {
                    wall: s.first_prompt,
                    maxrss_kib: s.maxrss_kib,
                    code: 0,
                });
            }
        }
        Ok(Stats::of(&samples))
    }

    /// The 100,000-card library: first run with a cold deck cache, the warm reads, one deck edited.
    pub fn hundred_thousand(&mut self, lib: &Library) -> Result<()> {
        let key = study::read_key(&lib.dir.join("answers.tsv"))?;
        let data = self.copy_data(lib, "huge-data")?;
        let sb = self.sandbox(&data);
        let cache = deck_cache(&data);
        let cold_runs = if self.quick { 2 } else { 5 };
        let cold = measure::repeat(
            &|| {
                let _ = std::fs::remove_file(&cache);
                sb.command(&["decks", "--json"])
            },
            cold_runs,
            &[0],
            &self.scratch(),
        )?;
        self.row(
            "first run on a 100,000-card library, deck cache cold (`decks --json`: compile 100 files, write the cache)",
            "≤ 1.5 s",
            timed(&cold),
            Some(cold.median <= Duration::from_millis(1500)),
        );
        let first = self.first_questions(&data, &key, self.runs.min(10), &|_| Ok(()))?;
        let (cards, stats) = self.due_and_stats(lib, &data, self.runs.min(10))?;
        for (what, s) in [
            ("`study --plain`: start to the first question", first),
            ("`cards --due --json`", cards),
            ("`stats --json`", stats),
        ] {
            self.row(
                format!("{what}, 100,000 cards + 1,000,000 reviews, cache warm"),
                "≤ 150 ms",
                timed(&s),
                Some(s.median <= Duration::from_millis(150)),
            );
        }
        // Each run sees a new edit of one deck file (a comment line that changes its hash).
        let edited = data.join("decks").join("bench-042.yaml");
        let original = std::fs::read_to_string(&edited)?;
        let edit = |i: usize| -> Result<()> {
            std::fs::write(&edited, format!("{original}# edit {i}\n"))?;
            Ok(())
        };
        let s = self.first_questions(&data, &key, self.runs.min(10), &edit)?;
        self.row(
            "one deck file (1,000 cards) edited in the 100,000-card library, then `study --plain` to the first question",
            "≤ 200 ms",
            timed(&s),
            Some(s.median <= Duration::from_millis(200)),
        );
        Ok(())
    }

    /// `merge` of a database holding 1,000,000 reviews none of which are known here (a fresh data dir with
    /// the same decks), then of the same file again (nothing new).
    pub fn merge_million(&mut self, lib: &Library) -> Result<()> {
        let other = lib.data.join("portquiz.sqlite3");
        let other = other.to_string_lossy().into_owned();
        let target = self.work.join("merge-data");
        let sb = self.sandbox(&target);
        let fresh = || {
            let _ = std::fs::remove_dir_all(&target);
            let _ = std::fs::create_dir_all(&target);
            sb.command(&["merge", &other])
        };
        let runs = if self.quick { 1 } else { 2 };
        let first = measure::repeat(&fresh, runs, &[0], &self.scratch())?;
        self.row(
            "`merge` of 1,000,000 new reviews (into an empty database)",
            "≤ 5 s, peak ≤ 200 MB",
            timed(&first),
            Some(first.median <= Duration::from_secs(5) && first.maxrss_kib <= 200 * MB),
        );
        let again = measure::repeat(
            &|| sb.command(&["merge", &other]),
            if self.quick { 2 } else { 5 },
            &[0],
            &self.scratch(),
        )?;
        self.row(
            "`merge` of the same 1,000,000 reviews again (nothing new)",
            "≤ 1 s",
            timed(&again),
            Some(again.median <= Duration::from_secs(1)),
        );
        Ok(())
    }

    /// Peak memory of every command at 50,000 cards + 500,000 reviews (one run each after a warm-up of
    /// the deck cache; writing commands work on one copy of the data dir).
    pub fn memory_every_command(&mut self, lib: &Library, other: &Library) -> Result<()> {
        let key = study::read_key(&lib.dir.join("answers.tsv"))?;
        let data = self.copy_data(lib, "memory-data")?;
        let sb = self.sandbox(&data);
        let scratch = self.scratch();
        let anki = scratch.join("export.tsv");
        let anki = anki.to_string_lossy().into_owned();
        let imported = scratch.join("imported.yaml");
        let imported = imported.to_string_lossy().into_owned();
        let new_deck = scratch.join("new.yaml");
        let new_deck = new_deck.to_string_lossy().into_owned();
        let other_db = other.data.join("portquiz.sqlite3");
        let other_db = other_db.to_string_lossy().into_owned();
        let decks = data.join("decks").to_string_lossy().into_owned();
        let commands: Vec<Vec<&str>> = vec![
            vec!["decks", "--json"],
            vec!["cards", "--json"],
            vec!["cards", "--due", "--json"],
            vec!["stats", "--json"],
            vec!["check", &decks],
            vec!["check"],
            vec!["experiments", "--json"],
            vec!["simulate", "--json"],
            vec!["optimize", "--json"],
            vec!["config", "--json"],
            // One deck: the whole library would be over the 8 MB a deck file (the import below) may hold.
            vec!["--deck", "bench-000", "export", "anki", "--force", &anki],
            vec!["export", "reviews", "-"],
            vec![
                "import", "anki", &anki, "--id", "imported", "--out", &imported,
            ],
            vec!["new", "starter", "--out", &new_deck],
            vec!["suspend", "bench-001/c-00001"],
            vec!["unsuspend", "bench-001/c-00001"],
            vec!["reset", "--deck", "bench-002", "--yes"],
            vec!["merge", &other_db],
            vec!["repair"],
            vec!["schema"],
            vec!["completions", "bash"],
            vec!["man"],
        ];
        let _ = writeln!(
            self.details,
            "\n### Peak memory of every command, 50,000 cards + 500,000 reviews (one run each, deck cache warm)\n\n\
             | command | time | peak memory |\n|---|---|---|"
        );
        let mut worst: Option<(String, u64)> = None;
        let mut note = |what: String, wall: Duration, kib: u64, details: &mut String| {
            let _ = writeln!(details, "| `{what}` | {} | {} |", ms(wall), mb(kib));
            if worst.as_ref().is_none_or(|(_, w)| kib > *w) {
                worst = Some((what, kib));
            }
        };
        measure::run_once(sb.command(&["decks"]), &scratch)?; // warms the deck cache
        for args in &commands {
            let _ = std::fs::remove_file(&imported);
            let _ = std::fs::remove_file(&new_deck);
            let s = measure::run_once(sb.command(args), &scratch)?;
            if s.code != 0 && !(args[0] == "repair" && s.code == 1) {
                let stderr = std::fs::read_to_string(scratch.join("stderr")).unwrap_or_default();
                bail!(
                    "`portquiz {}` exited with {}: {stderr}",
                    args.join(" "),
                    s.code
                );
            }
            let what = format!(
                "portquiz {}",
                args.join(" ").replace(&*scratch.to_string_lossy(), "…")
            );
            let what = what.replace(&*self.work.to_string_lossy(), "…");
            note(what, s.wall, s.maxrss_kib, &mut self.details);
        }
        let started = Instant::now();
        let s = study::session(sb.command(&["study", "--plain"]), &key, 10)?;
        note(
            "portquiz study --plain (10 answers)".into(),
            started.elapsed(),
            s.maxrss_kib,
            &mut self.details,
        );
        if let Some((what, kib)) = worst {
            self.row(
                format!(
                    "peak memory at 50,000 cards + 500,000 reviews, each of {} commands",
                    commands.len() + 1
                ),
                "≤ 40 MB (below the leanest peer)",
                format!("worst {} (`{what}`); all in the table below", mb(kib)),
                Some(kib <= 40 * MB),
            );
        }
        Ok(())
    }

    /// A `--deck` folder of 10,000 small files (3 cards each) outside the data dir: cold and warm.
    pub fn deck_folder(&mut self, lib: &Library) -> Result<()> {
        let folder = lib.data.join("decks").to_string_lossy().into_owned();
        let data = self.work.join("folder-data");
        std::fs::create_dir_all(&data)?;
        let sb = self.sandbox(&data);
        let cache = deck_cache(&data);
        let cold = measure::repeat(
            &|| {
                let _ = std::fs::remove_file(&cache);
                sb.command(&["--deck", &folder, "decks", "--json"])
            },
            if self.quick { 2 } else { 5 },
            &[0],
            &self.scratch(),
        )?;
        let warm = measure::repeat(
            &|| sb.command(&["--deck", &folder, "decks", "--json"]),
            self.runs.min(10),
            &[0],
            &self.scratch(),
        )?;
        self.row(
            "`--deck` folder of 10,000 small files (30,000 cards), `decks --json`: cache cold / warm",
            "≤ 1 s / ≤ 200 ms",
            format!("{} / {}", timed(&cold), timed(&warm)),
            Some(
                cold.median <= Duration::from_secs(1)
                    && warm.median <= Duration::from_millis(200),
            ),
        );
        Ok(())
    }

    /// The size of the release binary `cargo install --path .` would install (the same profile).
    pub fn binary_size(&mut self) -> Result<()> {
        let bytes = std::fs::metadata(&self.bin)?.len();
        self.row(
            "installed binary (`release` profile, as `cargo install --path .` builds it)",
            "≤ 12 MB, panics still name file and line",
            format!("{:.1} MB (panic locations: see below)", bytes as f64 / 1e6),
            Some(bytes <= 12_000_000),
        );
        Ok(())
    }
}
