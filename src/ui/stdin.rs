//! Standard input for the plain front end, read on a thread of its own so that Ctrl-C can end a plain
//! session at its prompt like the terminal one: the session prints its summary and exits 130 instead of
//! being killed mid-line. Everything typed reaches the session in order; Ctrl-C arrives as an error of the
//! [`CtrlC`] kind, which [`super::UiError`] reads as `Interrupted`.
use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver};

/// The payload of the `io::Error` a read returns after Ctrl-C.
#[derive(Debug)]
pub struct CtrlC;

impl std::fmt::Display for CtrlC {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted by Ctrl-C")
    }
}

impl std::error::Error for CtrlC {}

enum Chunk {
    Data(Vec<u8>),
    Eof,
    Failed(io::Error),
    Interrupt,
}

/// Standard input fed through a channel by a reader thread, with Ctrl-C as a message of its own.
pub struct InterruptibleStdin {
    chunks: Receiver<Chunk>,
    pending: Vec<u8>,
    at: usize,
    ended: bool,
}

impl InterruptibleStdin {
    /// Starts the reader thread and installs the Ctrl-C handler (once per process).
    pub fn start() -> Result<Self, ctrlc::Error> {
        // Bounded: input arriving faster than the session reads it (500 MB piped in) waits in the pipe,
        // not in memory. 64 chunks of 8 KiB at most.
        let (tx, rx) = mpsc::sync_channel(64);
        let on_ctrl_c = tx.clone();
        ctrlc::set_handler(move || {
            let _ = on_ctrl_c.send(Chunk::Interrupt);
        })?;
        std::thread::spawn(move || {
            let mut stdin = io::stdin().lock();
            let mut buf = vec![0u8; 8192];
            loop {
                let chunk = match stdin.read(&mut buf) {
                    Ok(0) => Chunk::Eof,
                    Ok(n) => Chunk::Data(buf[..n].to_vec()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Chunk::Failed(e),
                };
                let last = !matches!(chunk, Chunk::Data(_));
                if tx.send(chunk).is_err() || last {
                    break;
                }
            }
        });
        Ok(Self {
            chunks: rx,
            pending: Vec::new(),
            at: 0,
            ended: false,
        })
    }
}

impl Read for InterruptibleStdin {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.pending.len() {
            if self.ended {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Chunk::Data(data)) => {
                    self.pending = data;
                    self.at = 0;
                }
                Ok(Chunk::Eof) | Err(_) => {
                    self.ended = true;
                    return Ok(0);
                }
                Ok(Chunk::Failed(e)) => {
                    self.ended = true;
                    return Err(e);
                }
                Ok(Chunk::Interrupt) => return Err(io::Error::other(CtrlC)),
            }
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
