//! Runs commands as child processes and measures wall time and peak resident memory
//! (`ru_maxrss` from `wait4`, which covers exactly that child).
//!
//! Linux charges a child with the resident memory of whatever it was forked from
//! (with `posix_spawn`, the parent's peak), so a child started straight from the
//! benchmark, which holds generator buffers, would report at least that. Children
//! are therefore started by a small spawner process: this same executable,
//! re-run with [`SPAWNER_ENV`] set before it allocates anything, which forks (not
//! `posix_spawn`) each command, reaps it with `wait4` and reports one line back.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

/// Set in the environment of the spawner process.
pub const SPAWNER_ENV: &str = "COGNITO_TRAIL_BENCH_SPAWNER";

/// One measured run.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub secs: f64,
    pub rss_kib: u64,
    /// User + system CPU time of the process and its threads (0 in-process).
    pub cpu_secs: f64,
}

/// A command line to measure.
pub struct Job {
    pub label: String,
    pub argv: Vec<OsString>,
}

impl Job {
    pub fn new(label: &str, argv: &[OsString]) -> Self {
        Job {
            label: label.to_string(),
            argv: argv.to_vec(),
        }
    }
}

/// Handle on the spawner process.
pub struct Spawner {
    child: Child,
    requests: Option<ChildStdin>,
    replies: BufReader<ChildStdout>,
}

impl Spawner {
    /// Starts the spawner. Call it early, while this process is still small.
    pub fn start() -> io::Result<Self> {
        let mut child = Command::new(std::env::current_exe()?)
            .env(SPAWNER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let requests = child.stdin.take();
        let replies = BufReader::new(child.stdout.take().expect("piped stdout"));
        Ok(Spawner {
            child,
            requests,
            replies,
        })
    }

    /// Runs `job` once, stdout to `stdout` and stderr to `stderr` (or discarded).
    pub fn run(&mut self, job: &Job, stdout: &Path, stderr: Option<&Path>) -> io::Result<Sample> {
        let mut fields = vec![
            stdout.as_os_str(),
            stderr.map_or("".as_ref(), Path::as_os_str),
        ];
        fields.extend(job.argv.iter().map(|a| a.as_os_str()));
        let mut line = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let bytes = f.as_bytes();
            if bytes.contains(&b'\t') || bytes.contains(&b'\n') {
                return Err(io::Error::other("tab or newline in an argument"));
            }
            if i > 0 {
                line.push(b'\t');
            }
            line.extend_from_slice(bytes);
        }
        line.push(b'\n');
        let requests = self.requests.as_mut().expect("open until drop");
        requests.write_all(&line)?;
        requests.flush()?;
        let mut reply = String::new();
        self.replies.read_line(&mut reply)?;
        let mut parts = reply.split_whitespace();
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("ok"), Some(secs), Some(rss), Some(cpu)) => Ok(Sample {
                secs: secs.parse().map_err(io::Error::other)?,
                rss_kib: rss.parse().map_err(io::Error::other)?,
                cpu_secs: cpu.parse().map_err(io::Error::other)?,
            }),
            _ => Err(io::Error::other(format!("{}: {}", job.label, reply.trim()))),
        }
    }

    /// Runs `job` with stdout to `/dev/null`.
    pub fn run_quiet(&mut self, job: &Job) -> io::Result<Sample> {
        self.run(job, Path::new("/dev/null"), None)
    }
}

impl Drop for Spawner {
    fn drop(&mut self) {
        // Closing its stdin ends the spawner's loop.
        drop(self.requests.take());
        let _ = self.child.wait();
    }
}

/// In the spawner process: serves requests from stdin until it closes.
pub fn serve() {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().split(b'\n') {
        let Ok(line) = line else { return };
        let fields: Vec<OsString> = line
            .split(|b| *b == b'\t')
            .map(|f| OsString::from_vec(f.to_vec()))
            .collect();
        let reply = match spawn_one(&fields) {
            Ok(s) => format!("ok {:.6} {} {:.6}\n", s.secs, s.rss_kib, s.cpu_secs),
            Err(e) => format!("error {e}\n"),
        };
        if out
            .write_all(reply.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Forks and runs one request `[stdout, stderr, program, args...]`, then reaps it.
fn spawn_one(fields: &[OsString]) -> io::Result<Sample> {
    let [stdout, stderr, program, args @ ..] = fields else {
        return Err(io::Error::other("malformed request"));
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(File::create(stdout)?));
    if stderr.is_empty() {
        cmd.stderr(Stdio::null());
    } else {
        cmd.stderr(Stdio::from(File::create(stderr)?));
    }
    // SAFETY: the closure does nothing. Its presence makes std fork instead of
    // posix_spawn, so the child is charged with this small process's pages only.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
    let started = Instant::now();
    let child = cmd.spawn()?;
    let (status, rss_kib, cpu_secs) = wait4(child.id() as libc::pid_t)?;
    let secs = started.elapsed().as_secs_f64();
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(io::Error::other(format!(
            "exited abnormally (wait status {status:#x})"
        )));
    }
    Ok(Sample {
        secs,
        rss_kib,
        cpu_secs,
    })
}

/// Reaps `pid`; returns its wait status, peak RSS in KiB and CPU seconds.
fn wait4(pid: libc::pid_t) -> io::Result<(i32, u64, f64)> {
    let mut status = 0;
    // SAFETY: rusage is plain data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; `pid` is our own child, not yet reaped.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if got == pid {
            let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
            return Ok((status, usage.ru_maxrss as u64, cpu));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Samples of one command on one file.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub samples: Vec<Sample>,
}

impl Series {
    pub fn push(&mut self, s: Sample) {
        self.samples.push(s);
    }

    pub fn best(&self) -> f64 {
        self.samples
            .iter()
            .map(|s| s.secs)
            .fold(f64::INFINITY, f64::min)
    }

    pub fn median(&self) -> f64 {
        let mut t: Vec<f64> = self.samples.iter().map(|s| s.secs).collect();
        t.sort_by(f64::total_cmp);
        match t.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => t[n / 2],
            n => (t[n / 2 - 1] + t[n / 2]) / 2.0,
        }
    }

    /// Least CPU time (user + system) over the runs.
    pub fn best_cpu(&self) -> f64 {
        self.samples
            .iter()
            .map(|s| s.cpu_secs)
            .fold(f64::INFINITY, f64::min)
    }

    /// Highest peak RSS over the runs, in MiB.
    pub fn rss_mib(&self) -> f64 {
        self.samples.iter().map(|s| s.rss_kib).max().unwrap_or(0) as f64 / 1024.0
    }
}
