//! A scripted front end for in-process tests of whole sessions: the plain front end reading scripted lines
//! instead of stdin, each line echoed into the transcript after its prompt (`grade (...)> 3`), so a test can
//! assert the full transcript as a candidate would read it. The script ends with the end of input or with
//! Ctrl-C, as a real session can.
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read, Write};
use std::rc::Rc;

use super::plain::PlainUi;
use super::stdin::CtrlC;

/// The output of a scripted session, shared between the front end and the test.
#[derive(Debug, Clone, Default)]
pub struct Transcript(Rc<RefCell<Vec<u8>>>);

impl Transcript {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

impl Write for Transcript {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How a script ends once its lines are used up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// End of input (the plain front end quits).
    Eof,
    /// Ctrl-C at the next prompt.
    CtrlC,
}

/// Scripted input lines.
#[derive(Debug)]
pub struct Script {
    lines: VecDeque<String>,
    end: End,
    current: Vec<u8>,
    at: usize,
    echo: Transcript,
}

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Script {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at >= self.current.len() {
            match self.lines.pop_front() {
                Some(line) => {
                    writeln!(self.echo, "{line}")?;
                    self.current = format!("{line}\n").into_bytes();
                    self.at = 0;
                }
                None => {
                    return match self.end {
                        End::Eof => Ok(&[]),
                        End::CtrlC => Err(io::Error::other(CtrlC)),
                    };
                }
            }
        }
        Ok(&self.current[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.current.len());
    }
}

/// The plain front end driven by `lines`, then `end`; read the transcript from the second value.
pub fn scripted<I, S>(lines: I, end: End) -> (PlainUi<Script, Transcript>, Transcript)
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let transcript = Transcript::default();
    let script = Script {
        lines: lines.into_iter().map(Into::into).collect(),
        end,
        current: Vec::new(),
        at: 0,
        echo: transcript.clone(),
    };
    (PlainUi::new(script, transcript.clone()), transcript)
}
