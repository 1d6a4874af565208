//! Whole-process measurements: spawn the real binary, reap it with `wait4` to get its peak memory
//! (`ru_maxrss`), and summarise several runs as median / p99 / max.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// One finished child.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size in KiB.
    pub maxrss_kib: u64,
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
}

/// Waits for child `pid` and returns its exit code and peak RSS in KiB. The `Child` handle must not be
/// waited on afterwards (std does not reap on drop, so this is the only wait).
pub fn wait_rusage(pid: u32) -> Result<(i32, u64)> {
    let pid = libc::pid_t::try_from(pid).context("pid out of range")?;
    let (got, code, rss) = wait4(pid)?;
    if got != pid {
        bail!("wait4({pid}) reaped {got}");
    }
    Ok((code, rss))
}

/// Waits for whichever child exits first: its pid, exit code and peak RSS in KiB.
pub fn wait_any() -> Result<(libc::pid_t, i32, u64)> {
    wait4(-1)
}

/// `wait4(pid)`: (reaped pid, exit code or -1 when killed by a signal, `ru_maxrss` in KiB).
#[allow(unsafe_code)]
fn wait4(pid: libc::pid_t) -> Result<(libc::pid_t, i32, u64)> {
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct of integers, so all-zero bytes are a valid value; `wait4` only
    // writes through the two pointers, which point to live, properly aligned locals for the whole call;
    // the harness reaps its children only here, on one thread, so no other code reaps them concurrently.
    let (rc, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let rc = libc::wait4(pid, &raw mut status, 0, &raw mut usage);
        (rc, usage)
    };
    if rc <= 0 {
        bail!("wait4({pid}) failed: {}", std::io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((rc, code, u64::try_from(usage.ru_maxrss).unwrap_or(0)))
}

/// The environment every benchmarked process gets.
#[derive(Debug, Clone)]
pub struct Sandbox {
    pub bin: PathBuf,
    pub data_dir: PathBuf,
    pub home: PathBuf,
}

impl Sandbox {
    /// `portquiz <args>` with `--data-dir`-equivalent, `HOME`, a fixed clock and seed, and no colour.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("PORTQUIZ_DATA_DIR", &self.data_dir)
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("PORTQUIZ_NOW", super::generate::NOW)
            .env("PORTQUIZ_SEED", "7")
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE");
        cmd
    }
}

/// Runs `cmd` once with stdout and stderr sent to files in `scratch`; stdin is empty.
pub fn run_once(mut cmd: Command, scratch: &Path) -> Result<Sample> {
    let out = std::fs::File::create(scratch.join("stdout"))?;
    let err = std::fs::File::create(scratch.join("stderr"))?;
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    let start = Instant::now();
    let child = cmd.spawn().with_context(|| format!("spawn {cmd:?}"))?;
    let (code, maxrss_kib) = wait_rusage(child.id())?;
    let wall = start.elapsed();
    Ok(Sample {
        wall,
        maxrss_kib,
        code,
    })
}

/// Runs `make()` once to warm up (checking its exit code is `expect`), then `runs` times.
pub fn repeat(
    make: &dyn Fn() -> Command,
    runs: usize,
    expect: &[i32],
    scratch: &Path,
) -> Result<Stats> {
    let warm = run_once(make(), scratch)?;
    check_code(&warm, expect, make, scratch)?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let s = run_once(make(), scratch)?;
        check_code(&s, expect, make, scratch)?;
        samples.push(s);
    }
    Ok(Stats::of(&samples))
}

/// Like [`repeat`] for two commands, alternating their runs (a, b, a, b, ...) so that a change in the
/// machine's load affects both alike: for comparing two sizes of the same work. The last run is `b`'s.
pub fn repeat_pair(
    make_a: &dyn Fn() -> Command,
    make_b: &dyn Fn() -> Command,
    runs: usize,
    expect: &[i32],
    scratch: &Path,
) -> Result<(Stats, Stats)> {
    let (mut a, mut b) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for i in 0..=runs {
        for (make, out) in [(make_a, &mut a), (make_b, &mut b)] {
            let s = run_once(make(), scratch)?;
            check_code(&s, expect, make, scratch)?;
            if i > 0 {
                out.push(s); // run 0 of each is the warm-up
            }
        }
    }
    Ok((Stats::of(&a), Stats::of(&b)))
}

fn check_code(
    s: &Sample,
    expect: &[i32],
    make: &dyn Fn() -> Command,
    scratch: &Path,
) -> Result<()> {
    if !expect.contains(&s.code) {
        let stderr = std::fs::read_to_string(scratch.join("stderr")).unwrap_or_default();
        bail!(
            "{:?} exited with {} (expected {expect:?}); stderr:\n{}",
            make(),
            s.code,
            stderr.chars().take(2000).collect::<String>()
        );
    }
    Ok(())
}

/// Summary of several runs.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub median: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// The largest peak RSS of any run, KiB.
    pub maxrss_kib: u64,
}

impl Stats {
    pub fn of(samples: &[Sample]) -> Stats {
        let walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        let (median, p99, max) = percentiles(walls);
        Stats {
            median,
            p99,
            max,
            maxrss_kib: samples.iter().map(|s| s.maxrss_kib).max().unwrap_or(0),
        }
    }
}

/// Median, p99 (nearest rank) and max of a set of durations.
pub fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    if v.is_empty() {
        return (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    }
    v.sort_unstable();
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    };
    let rank = (n * 99).div_ceil(100).clamp(1, n);
    (median, v[rank - 1], v[n - 1])
}

/// `12.3 ms` / `1.23 s`.
pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// `12.3 MB` (MiB, from KiB).
pub fn mb(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 / 1024.0)
}
