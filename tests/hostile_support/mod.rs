//! Running the real `tintuc` binary under limits, for the hostile-input, damaged-index,
//! crash and concurrency tests: an address-space cap (`RLIMIT_AS`, so unbounded memory
//! fails the child instead of the machine), an optional file-size cap (`RLIMIT_FSIZE`),
//! and a deadline after which the child is killed and the test fails (a hang). The peak
//! RSS the kernel reports for the child (`ru_maxrss`) is returned for the report.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a limited run gave.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident set size of the child, in KiB.
    pub max_rss_kib: i64,
}

impl Run {
    /// The exit code; fails the test when the child died of a signal (a panic with
    /// `panic = abort`, a stack overflow, an allocation failure, a kill).
    pub fn code(&self) -> i32 {
        match self.status.code() {
            Some(c) => c,
            None => panic!(
                "tintuc died of signal {:?}\nstderr: {}",
                self.status.signal(),
                tail(&self.stderr)
            ),
        }
    }

    /// Asserts no panic, no abort, no crash: an exit code and no Rust panic message.
    pub fn no_crash(&self) -> &Run {
        let code = self.code();
        assert!(
            !self.stderr.contains("panicked at") && !self.stderr.contains("stack overflow"),
            "tintuc panicked (exit {code}): {}",
            tail(&self.stderr)
        );
        assert!(
            code == 0 || code == 1 || code == 2,
            "exit code {code}: {}",
            tail(&self.stderr)
        );
        self
    }

    /// Every stderr line is a one-line `tintuc: …` message (no multi-line dumps).
    pub fn one_line_errors(&self) -> &Run {
        for line in self.stderr.lines().filter(|l| !l.trim().is_empty()) {
            let summary = line
                .split_once(' ')
                .is_some_and(|(n, rest)| n.parse::<u64>().is_ok() && rest.starts_with("articles"));
            assert!(
                ["tintuc: ", "error: ", "note: ", "warning: "]
                    .iter()
                    .any(|p| line.starts_with(p))
                    || summary,
                "not a one-line tintuc message: {line:?}\nstderr: {}",
                tail(&self.stderr)
            );
            assert!(line.len() < 2000, "a message of {} bytes", line.len());
        }
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\nstderr: {}",
                tail(&self.stdout),
                tail(&self.stderr)
            )
        })
    }
}

fn tail(s: &str) -> String {
    let n = s.len();
    if n > 3000 {
        let mut i = n - 3000;
        while !s.is_char_boundary(i) {
            i += 1;
        }
        format!("…{}", &s[i..])
    } else {
        s.to_string()
    }
}

/// Limits for one run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Address-space cap in bytes.
    pub address_space: u64,
    /// File-size cap in bytes (`None`: unlimited).
    pub file_size: Option<u64>,
    /// Killed and failed after this long.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Generous for the binary's threads and mappings, far below what reading a
            // 1 GB input into memory would need.
            address_space: 3 << 30,
            file_size: None,
            deadline: Duration::from_secs(300),
        }
    }
}

/// `tintuc` with `--index DIR`, `TINTUC_INDEX` removed and colour off.
pub fn tintuc(index: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tintuc"));
    c.arg("--index")
        .arg(index)
        .env_remove("TINTUC_INDEX")
        .env("NO_COLOR", "1");
    c
}

/// Runs `cmd` under `limits` (stdin empty unless `stdin` is given) and waits for it.
// The child is reaped by `wait4` (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
pub fn run_limited(mut cmd: Command, limits: Limits, stdin: Option<Vec<u8>>) -> Run {
    let Limits {
        address_space,
        file_size,
        ..
    } = limits;
    // SAFETY: the closure only calls async-signal-safe setrlimit between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let set = |what, v: u64| {
                let lim = libc::rlimit {
                    rlim_cur: v as libc::rlim_t,
                    rlim_max: v as libc::rlim_t,
                };
                if libc::setrlimit(what, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            };
            set(libc::RLIMIT_AS, address_space)?;
            if let Some(f) = file_size {
                set(libc::RLIMIT_FSIZE, f)?;
                // A write past the cap then fails with EFBIG instead of killing the child.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            }
            Ok(())
        });
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn tintuc");
    let feeder = stdin.map(|data| {
        let mut w = child.stdin.take().expect("stdin");
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = w.write_all(&data);
        })
    });
    let out = child.stdout.take().expect("stdout");
    let err = child.stderr.take().expect("stderr");
    // Keep at most a few MiB of output (an unbounded stream is a failure of its own).
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 64 * 1024];
            loop {
                match r.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if buf.len() < (64 << 20) {
                            buf.extend_from_slice(&chunk[..n]);
                        }
                    }
                }
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out_t = reader(Box::new(out));
    let err_t = reader(Box::new(err));
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let (status, rss) = loop {
        let mut st: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 on our own child with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut st, libc::WNOHANG, &mut ru) };
        if r == pid {
            break (ExitStatus::from_raw(st), ru.ru_maxrss);
        }
        assert!(r == 0, "wait4: {}", std::io::Error::last_os_error());
        if start.elapsed() > limits.deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tintuc did not finish within {:?} (a hang): {:?}",
                limits.deadline, cmd
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stdout = out_t.join().expect("stdout reader");
    let stderr = err_t.join().expect("stderr reader");
    let run = Run {
        status,
        stdout,
        stderr,
        max_rss_kib: rss,
    };
    let shown: Vec<String> = cmd
        .get_args()
        .take(12)
        .map(|a| a.to_string_lossy().chars().take(60).collect())
        .collect();
    eprintln!(
        "{shown:?} -> {:?}, peak RSS {} MiB",
        run.status,
        run.max_rss_kib / 1024
    );
    run
}
