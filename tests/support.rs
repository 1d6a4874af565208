//! Shared helpers for the integration tests: run the real binary on a temporary data dir.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Path of the portquiz binary built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_portquiz"))
}

/// The repository root (tests run with it as the working directory).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch data dir; `$HOME` is pointed at it too so nothing can reach the real one.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command with a clean, reproducible environment: temp data dir, no colour, fixed seed.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.args(args)
            .current_dir(root())
            .env_remove("PORTQUIZ_NOW")
            .env_remove("CLICOLOR_FORCE")
            .env("PORTQUIZ_DATA_DIR", self.path())
            .env("HOME", self.path())
            .env("NO_COLOR", "1")
            .env("PORTQUIZ_SEED", "7")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs to completion with no input.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("run portquiz"))
    }

    /// Runs with `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], envs: &[(&str, &str)], input: &str) -> Run {
        use std::io::Write;
        let mut cmd = self.cmd(args);
        cmd.envs(envs.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn portquiz");
        if let Some(mut stdin) = child.stdin.take() {
            // The session may end before reading everything; a broken pipe is fine.
            let _ = stdin.write_all(input.as_bytes());
        }
        Run::from(child.wait_with_output().expect("wait for portquiz"))
    }
}
